"""GraphQL over HTTP's two response media types, and the status code of each answer.

``application/graphql-response+json`` (the spec's own) says what went wrong by the status
code: a request that never ran (it did not parse, validate or coerce its variables, or the
gateway refused it before execution) has no ``data`` and a 4xx (or 5xx) status; a request
that ran answers 200, with ``data`` (possibly null) beside any field errors.
``application/json`` (what clients without an opinion get: no ``Accept``, ``*/*``) answers
200 with ``data: null`` for all of these, as before; only a body that is no GraphQL request
at all is a 4xx there. A client that accepts neither gets 406.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from gateway.errors import ErrorCode

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"

# 4xx/5xx of a request that did not run, by its first error's code (graphql-response+json only).
_STATUS_BY_CODE = {
    ErrorCode.UNAUTHENTICATED.value: 401,
    ErrorCode.FORBIDDEN.value: 403,
    ErrorCode.NOT_FOUND.value: 404,
    ErrorCode.PERSISTED_QUERY_NOT_FOUND.value: 404,
    ErrorCode.RATE_LIMITED.value: 429,
    ErrorCode.INTERNAL.value: 500,
    ErrorCode.BACKEND_UNAVAILABLE.value: 503,
}


def _quality(parameters: list[str]) -> float | None:
    """The ``q`` of one Accept entry; None when its charset is not UTF-8 (we answer only UTF-8)."""
    quality = 1.0
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        name, value = name.strip().lower(), value.strip().strip('"').lower()
        if name == "charset" and value not in {"utf-8", "utf8"}:
            return None
        if name == "q":
            try:
                quality = float(value)
            except ValueError:
                return None
            if not math.isfinite(quality):
                return None
    return quality


def negotiate(accept: str | None) -> str | None:
    """The media type to answer ``accept`` with, or None when the client accepts neither.

    No header (or an empty one), ``*/*`` and ``application/*`` mean ``application/json``;
    of two types listed with the same quality, ``application/graphql-response+json`` wins.
    """
    if accept is None or not accept.strip():
        return JSON
    best: tuple[float, int, str] | None = None
    for entry in accept.split(","):
        media_range, *parameters = entry.split(";")
        media_range = media_range.strip().lower()
        if media_range == GRAPHQL_RESPONSE:
            candidate = (2, GRAPHQL_RESPONSE)
        elif media_range == JSON:
            candidate = (1, JSON)
        elif media_range in {"*/*", "application/*"}:
            candidate = (0, JSON)
        else:
            continue
        quality = _quality(parameters)
        if quality is None or quality <= 0:
            continue
        ranked = (quality, *candidate)
        if best is None or ranked > best:
            best = ranked
    return best[2] if best is not None else None


def did_not_run(response: Mapping[str, Any]) -> bool:
    """Whether an answer's errors stopped the request before execution: no data, and no error
    that belongs to a field (field errors carry a ``path``)."""
    errors = response.get("errors") or []
    return response.get("data") is None and bool(errors) and all("path" not in error for error in errors)


def status_of(response: Mapping[str, Any]) -> int:
    """The status code of a ``graphql-response+json`` answer."""
    if "data" in response:
        return 200
    code = response["errors"][0].get("extensions", {}).get("code")
    return _STATUS_BY_CODE.get(code, 400)


def retry_after(response: Mapping[str, Any]) -> str | None:
    """A ``Retry-After`` header for an answer that says when to retry (``RATE_LIMITED``)."""
    for error in response.get("errors") or []:
        seconds = error.get("extensions", {}).get("retryAfter")
        if isinstance(seconds, int | float):
            return str(max(1, math.ceil(seconds)))
    return None
