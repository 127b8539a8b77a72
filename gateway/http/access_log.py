"""One line per HTTP request (``gateway.access``, INFO), replacing uvicorn's access log.

Logged URLs keep their parameters' names but not their values, except ``operationName``:
a signed document link's ``sig`` and ``exp``, a token, a GET request's document and
variables stay out of the log. No header is logged (Authorization, Cookie, X-API-Key).
"""

from __future__ import annotations

import logging
import time
from urllib.parse import parse_qsl, quote, urlencode

from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("gateway.access")

KEPT_PARAMETERS = frozenset({"operationName"})
REDACTED = "-"


def loggable_url(path: str, query_string: bytes) -> str:
    """``path`` and its query with every value but ``KEPT_PARAMETERS``' replaced by ``-``."""
    path = quote(path)  # no control character reaches the log
    if not query_string:
        return path
    pairs = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)
    kept = [(name, value if name in KEPT_PARAMETERS else REDACTED) for name, value in pairs]
    return f"{path}?{urlencode(kept, safe=REDACTED)}"


class AccessLogMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # what the client gets when the app fails before answering

        async def send_and_note(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        finally:
            client = scope.get("client")
            log.info(
                '%s "%s %s" %d %.1f ms',
                client[0] if client else "-",
                scope["method"],
                loggable_url(scope["path"], scope.get("query_string", b"")),
                status,
                (time.perf_counter() - started) * 1000,
            )
