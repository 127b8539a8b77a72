"""Cross-site request forgery guard for cookie-authenticated requests.

A cross-site HTML form can POST ``application/x-www-form-urlencoded``, ``multipart/form-data``
or ``text/plain`` with the victim's cookie, but it cannot send ``application/json`` or a
custom header without a CORS preflight (which this server never approves). So a POST that
carries the session cookie must be JSON or carry ``X-Requested-With`` or
``Apollo-Require-Preflight``. Requests with a bearer token or an API key carry no ambient
credentials and pass untouched; GET never mutates (Strawberry refuses mutations over GET).

A request counts as carrying the session cookie when its Cookie header names it at all, not
only when some parser finds it: parsers differ on malformed headers (the one that
authenticates, Starlette's, reads it as browsers write it and finds the cookie where
``http.cookies`` gives up), and a false alarm costs only a JSON content type.
"""

from __future__ import annotations

import json

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from gateway.i18n.language import current
from gateway.i18n.translate import translate

PREFLIGHT_HEADERS = ("x-requested-with", "apollo-require-preflight")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
REFUSAL_MESSAGE = "A request authenticated by cookie must be sent as application/json."


def _has_cookie(headers: Headers, name: str) -> bool:
    return any(name in header for header in headers.getlist("cookie"))


class CSRFMiddleware:
    def __init__(self, app: ASGIApp, *, cookie_name: str) -> None:
        self.app = app
        self.cookie_name = cookie_name

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        if self._allowed(headers):
            await self.app(scope, receive, send)
            return
        message = translate(REFUSAL_MESSAGE, current(), code="FORBIDDEN")
        refusal = {"errors": [{"message": message, "extensions": {"code": "FORBIDDEN", "retryable": False}}]}
        body = json.dumps(refusal).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 403,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    def _allowed(self, headers: Headers) -> bool:
        if headers.get("authorization", "").lower().startswith("bearer ") or "x-api-key" in headers:
            return True
        if not _has_cookie(headers, self.cookie_name):
            return True
        media_type = headers.get("content-type", "").split(";")[0].strip().lower()
        return media_type == "application/json" or any(name in headers for name in PREFLIGHT_HEADERS)
