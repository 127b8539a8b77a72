"""``GET /metrics``: the app's registry in Prometheus' text format.

With ``GATEWAY_METRICS_TOKEN`` set, only a scraper sending ``Authorization: Bearer <token>``
gets it (compared in constant time); anyone else gets ``401``.
"""

from __future__ import annotations

import hmac

from prometheus_client import CONTENT_TYPE_LATEST
from starlette.requests import Request
from starlette.responses import Response

from gateway.config import Settings
from gateway.errors import ErrorCode
from gateway.http.refusals import refusal
from gateway.metrics import Metrics


def _authorised(request: Request, token: str) -> bool:
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode())


async def metrics_endpoint(request: Request) -> Response:
    settings: Settings = request.app.state.settings
    metrics: Metrics = request.app.state.metrics
    token = settings.metrics_token
    if token is not None and not _authorised(request, token.get_secret_value()):
        return refusal(
            401,
            "The metrics need a bearer token.",
            code=ErrorCode.UNAUTHENTICATED,
            headers={"WWW-Authenticate": "Bearer"},
        )
    return Response(metrics.exposition(), media_type=CONTENT_TYPE_LATEST)
