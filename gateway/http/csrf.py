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

from starlette.datastructures import Headers
from starlette.responses import Response

from gateway.errors import ErrorCode
from gateway.http.refusals import refusal as refusal_response

PREFLIGHT_HEADERS = ("x-requested-with", "apollo-require-preflight")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
REFUSAL_MESSAGE = "A request authenticated by cookie must be sent as application/json."


def _has_cookie(headers: Headers, name: str) -> bool:
    return any(name in header for header in headers.getlist("cookie"))


def refusal(method: str, headers: Headers, cookie_name: str) -> Response | None:
    """The ``403`` for a request the guard refuses; None for one it lets through."""
    if method in SAFE_METHODS or _allowed(headers, cookie_name):
        return None
    return refusal_response(403, REFUSAL_MESSAGE, code=ErrorCode.FORBIDDEN)


def _allowed(headers: Headers, cookie_name: str) -> bool:
    if headers.get("authorization", "").lower().startswith("bearer ") or "x-api-key" in headers:
        return True
    if not _has_cookie(headers, cookie_name):
        return True
    media_type = headers.get("content-type", "").split(";")[0].strip().lower()
    return media_type == "application/json" or any(name in headers for name in PREFLIGHT_HEADERS)
