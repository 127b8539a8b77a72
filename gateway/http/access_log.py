"""One line per HTTP request (``gateway.access``, INFO), replacing uvicorn's access log, and the
request's id and trace (``gateway.http.edge`` begins both and writes the line).

The request id is the client's ``X-Request-ID`` when well-formed (``request_record.REQUEST_ID``),
else a new one; it is answered in ``X-Request-ID``, sent to the back ends, and on every log line
of the request. The request is traced (``gateway.observability.tracing``), continuing the
client's ``traceparent``; probes and scrapes are not traced.

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
from urllib.parse import parse_qsl, quote, urlencode

from starlette.types import Scope

from gateway.observability import request_record

log = logging.getLogger("gateway.access")

KEPT_PARAMETERS = frozenset({"operationName"})
REDACTED = "-"
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


def log_request(
    scope: Scope, route: str, status: int, seconds: float, record: request_record.RequestRecord
) -> None:
    """The request's line: what it asked, how it ended, and what its record gathered."""
    if not log.isEnabledFor(logging.INFO):
        return
    client = scope.get("client")
    duration_ms = round(seconds * 1000, 1)
    log.info(
        '%s "%s %s" %d %.1f ms',
        client[0] if client else "-",
        scope["method"],
        loggable_url(str(scope["path"]), scope.get("query_string", b"")),
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
