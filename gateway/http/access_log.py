"""One line per HTTP request (``gateway.access``, INFO), replacing uvicorn's access log, and the
request's id and trace.

The request id is the client's ``X-Request-ID`` when well-formed (``request_record.REQUEST_ID``),
else a new one; it is answered in ``X-Request-ID``, sent to the back ends, and on every log line
of the request. The request is traced (``gateway.observability.tracing``) from here, continuing
the client's ``traceparent``; probes and scrapes are not traced.

The line has the method, the URL, the status and the duration in its message, and as fields
(``gateway.observability.log_format``): the operation's name and type, the user's id (never the
login) or the staff key's, every back-end attempt with its outcome and time, the cache lookups,
and the errors' codes. A client that goes away before its answer (its body cut short) is logged
with status 499, as nginx does, and without a traceback. Logged URLs keep their parameters'
names but not their values, except ``operationName``: a signed document link's ``sig`` and
``exp``, a token, a GET request's document and variables stay out of the log. No header is
logged (Authorization, Cookie, X-API-Key).
"""

from __future__ import annotations

import logging
import time
from urllib.parse import parse_qsl, quote, urlencode

from opentelemetry.trace import Tracer
from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.observability import request_record, tracing

log = logging.getLogger("gateway.access")

KEPT_PARAMETERS = frozenset({"operationName"})
REDACTED = "-"
REQUEST_ID_HEADER = "X-Request-ID"
UNTRACED_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})
CLIENT_CLOSED_REQUEST = 499  # logged when the client went away before it was answered (as nginx does)


def loggable_url(path: str, query_string: bytes) -> str:
    """``path`` and its query with every value but ``KEPT_PARAMETERS``' replaced by ``-``."""
    path = quote(path)  # no control character reaches the log
    if not query_string:
        return path
    pairs = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)
    kept = [(name, value if name in KEPT_PARAMETERS else REDACTED) for name, value in pairs]
    return f"{path}?{urlencode(kept, safe=REDACTED)}"


def route_of(path: str) -> str:
    """The route ``path`` belongs to, for a span's name and the log: never an id."""
    if path in ("/graphql", *UNTRACED_PATHS):
        return path
    if path.startswith("/documents/"):
        return "/documents/{id}"
    if path.startswith("/static/"):
        return "/static"
    return "other"


class AccessLogMiddleware:
    def __init__(self, app: ASGIApp, *, tracer: Tracer | None = None) -> None:
        self.app = app
        self.tracer = tracer

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # what the client gets when the app fails before answering
        headers = Headers(scope=scope)
        record, token = request_record.begin(request_record.request_id_from(headers.get(REQUEST_ID_HEADER)))

        answered = False

        async def send_and_note(message: Message) -> None:
            nonlocal status, answered
            if message["type"] == "http.response.start":
                answered = True
                status = int(message["status"])
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = record.request_id
            await send(message)

        path = str(scope["path"])
        route = route_of(path)
        tracer = None if path in UNTRACED_PATHS else self.tracer
        try:
            with tracing.request_span(
                tracer, method=scope["method"], route=route, headers=headers, request_id=record.request_id
            ) as span:
                try:
                    await self.app(scope, receive, send_and_note)
                except ClientDisconnect:  # gone before its answer: nothing to say, no traceback
                    status = status if answered else CLIENT_CLOSED_REQUEST
                finally:
                    if span is not None:
                        span.set_attribute("http.response.status_code", status)
                        if status >= 500:
                            tracing.mark_error(span, f"HTTP {status}")
                    client = scope.get("client")
                    duration_ms = round((time.perf_counter() - started) * 1000, 1)
                    log.info(
                        '%s "%s %s" %d %.1f ms',
                        client[0] if client else "-",
                        scope["method"],
                        loggable_url(path, scope.get("query_string", b"")),
                        status,
                        duration_ms,
                        extra={
                            "fields": {
                                "method": scope["method"],
                                "route": route,
                                "status": status,
                                "duration_ms": duration_ms,
                                **record.fields(),
                            }
                        },
                    )
        finally:
            request_record.end(token)
