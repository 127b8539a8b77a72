"""Every HTTP request's first layer: what each request passes through before its route.

In this order, each rule in the module named for it:

1. its language (``gateway.i18n.language``), so that every refusal below speaks it;
2. its id, its record and its trace (``gateway.http.access_log``, ``gateway.observability``);
3. who the client is (``gateway.http.forwarded``): the scope's ``client`` from here on;
4. the body's declared length (``gateway.http.limits``): ``400`` or ``413`` before the app runs;
5. the CSRF guard (``gateway.http.csrf``): ``403`` before the app runs;

then the app, with the body counted as it streams in (``413`` past the limit) and the headers
every answer carries added to its answer (``gateway.http.headers``, and ``X-Request-ID``);
then the request's access line. A refusal here gets the same headers and the same line.

One ASGI layer rather than one per concern: each layer costs a call, two closures and a reading
of the headers per request; six of them were about a tenth of a response-cache hit's CPU
(``python -m bench.hotpath``).
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from opentelemetry.trace import Tracer
from starlette.datastructures import Headers
from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.http import access_log, csrf, limits
from gateway.http.forwarded import Network, forwarded_scope
from gateway.http.headers import add_answer_headers
from gateway.i18n import language
from gateway.observability import request_record, tracing
from gateway.observability.request_record import RequestRecord


class Edge:
    def __init__(
        self,
        app: ASGIApp,
        *,
        tracer: Tracer | None = None,
        max_body_bytes: int,
        trusted_proxies: Sequence[Network] = (),
        cookie_name: str,
    ) -> None:
        self.app = app
        self.tracer = tracer
        self.max_body_bytes = max_body_bytes
        self.trusted = tuple(trusted_proxies)
        self.cookie_name = cookie_name

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(forwarded_scope(scope, self.trusted), receive, send)
            return
        headers = Headers(scope=scope)
        language_token = language.begin(headers)
        request_id = request_record.request_id_from(headers.get("x-request-id"))
        record, record_token = request_record.begin(request_id)
        try:
            await self._answer(forwarded_scope(scope, self.trusted), receive, send, headers, record)
        finally:
            request_record.end(record_token)
            language.end(language_token)

    async def _answer(
        self, scope: Scope, receive: Receive, send: Send, headers: Headers, record: RequestRecord
    ) -> None:
        started = time.perf_counter()
        path = str(scope["path"])
        static = path.startswith("/static/")
        status = 500  # what the client gets when the app fails before answering
        answered = False

        async def answer(message: Message) -> None:
            nonlocal status, answered
            if message["type"] == "http.response.start":
                answered = True
                status = int(message["status"])
                add_answer_headers(message, request_id=record.request_id, static=static)
            await send(message)

        received = 0
        limit = self.max_body_bytes

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise limits.BodyTooLarge
            return message

        route = access_log.route_of(path)
        tracer = None if path in access_log.UNTRACED_PATHS else self.tracer
        with tracing.request_span(
            tracer, method=scope["method"], route=route, headers=headers, request_id=record.request_id
        ) as span:
            try:
                refused = limits.declared_length_refusal(headers, limit) or csrf.refusal(
                    scope["method"], headers, self.cookie_name
                )
                if refused is not None:
                    await refused(scope, receive, answer)
                else:
                    await self.app(scope, counted_receive, answer)
            except limits.BodyTooLarge:
                if answered:  # the app answered before reading it all: nothing more to say
                    raise
                await limits.too_large(limit)(scope, receive, answer)
            except ClientDisconnect:  # gone before its answer: nothing to say, no traceback
                status = status if answered else access_log.CLIENT_CLOSED_REQUEST
            finally:
                if span is not None:
                    span.set_attribute("http.response.status_code", status)
                    if status >= 500:
                        tracing.mark_error(span, f"HTTP {status}")
                access_log.log_request(scope, route, status, time.perf_counter() - started, record)
