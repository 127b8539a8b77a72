"""``/graphql``: Strawberry's ASGI view with our context, error format and offline GraphiQL.

Strawberry's own refusals (not JSON, not a GraphQL request, a method it does not take) are
answered in the gateway's JSON error shape (``gateway.http.refusals``); the request's JSON is
bounded and checked (``gateway.http.limits``) before anything parses it as GraphQL. Answers
are ``application/json`` or ``application/graphql-response+json``, as the client's ``Accept``
asks, with the status codes of GraphQL over HTTP (``gateway.http.media_types``); ``HEAD`` is
``GET`` without the body.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import orjson
from cross_web import AsyncHTTPRequestAdapter, HTTPException
from graphql import GraphQLError
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.types import Message, Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.http.base import BaseRequestProtocol
from strawberry.types import ExecutionResult

from gateway import sessions
from gateway.cache import stale
from gateway.cache.responses import Hit, Lookup, Reads, ResponseStore, customer_tag, response_key
from gateway.config import Settings
from gateway.context import Context, Viewer
from gateway.dataloaders import Loaders
from gateway.errors import GatewayError, RateLimited, StoreUnavailable
from gateway.http.graphiql import graphiql_page
from gateway.http.headers import content_security_policy
from gateway.http.limits import check_request, decode_request_json
from gateway.http.media_types import GRAPHQL_RESPONSE, JSON, did_not_run, negotiate, retry_after, status_of
from gateway.http.persisted_queries import PersistedQueries
from gateway.http.refusals import allowed_methods, refusal, store_unavailable_refusal
from gateway.i18n.language import current as current_language
from gateway.observability import request_record
from gateway.schema import schema
from gateway.schema.errors import classify, format_error
from gateway.schema.rate_limits import charge
from gateway.services import Services
from gateway.staff import write_staff_reads

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
GRAPHIQL_ASSETS = STATIC_DIR / "graphiql"
GRAPHIQL_MISSING = """<!doctype html><title>GraphiQL assets missing</title>
<p>GraphiQL's assets are not installed, and this network may not reach a CDN.
Run <code>make graphiql-assets</code> (needs npm) and restart.
The API itself works: POST JSON to /graphql.</p>"""


MAX_KEPT_BODIES = 256
MAX_KEPT_BODY_BYTES = 8192


class CachedAnswer(dict[str, object]):
    """A response body from the response cache, passed through Strawberry as it is."""

    def __init__(self, body: bytes) -> None:
        super().__init__(data=None)
        self.body = body


class GatewayGraphQL(GraphQL[Context, None]):
    def __init__(
        self,
        *,
        settings: Settings,
        services: Services,
        persisted_queries: PersistedQueries,
        responses: ResponseStore | None = None,
    ) -> None:
        super().__init__(
            schema,
            graphql_ide="graphiql" if settings.graphiql else None,
            allow_queries_via_get=True,
            multipart_uploads_enabled=False,
        )
        self.settings = settings
        self.services = services
        self.persisted_queries = persisted_queries
        self.responses = responses
        self._ide_html = (
            graphiql_page() if (GRAPHIQL_ASSETS / "graphiql.min.js").exists() else GRAPHIQL_MISSING
        )
        self._ide_headers = {"Content-Security-Policy": content_security_policy(self._ide_html)}
        # Request bodies already parsed and checked by _answer_from_cache: a client repeats its
        # queries byte for byte (bounded; read only, never handed to execution).
        self._checked_bodies: dict[bytes, GraphQLRequestData] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        head = scope["method"] == "HEAD"
        if head:  # answered as GET, and its body left out below
            scope = {**scope, "method": "GET"}
        request = Request(scope, receive)
        try:
            response = await self._answer_from_cache(request) or await self.run(request)
        except HTTPException as exc:  # Strawberry's messages are its own, never the client's input
            headers = {"Allow": allowed_methods("GET, HEAD, POST")} if exc.status_code == 405 else None
            media_type = negotiate(request.headers.get("accept")) or JSON
            response = refusal(exc.status_code, exc.reason, headers=headers, media_type=media_type)
        except StoreUnavailable as exc:  # before any field ran (the session's check)
            response = store_unavailable_refusal(exc)
        await response(scope, receive, _without_body(send) if head else send)

    async def _answer_from_cache(self, request: Request) -> Response | None:
        """A response-cache hit for a plain JSON POST, answered without Strawberry's request
        machinery (its adapters, parsing, execution plumbing): what a hit does not need. The
        same steps as through ``run``: the body's checks, the context (who asks), the lookup,
        ``_serve`` (charged, audited, counted), ``process_result`` and ``create_response``.
        None (Strawberry's path, which reuses the body, the response and the context read
        here, and the lookup) for anything else: a miss, anonymous, persisted or unusual."""
        if request.method != "POST" or self.responses is None or self.persisted_queries.persisted_only:
            return None
        content_type, accept = request.headers.get("content-type", ""), request.headers.get("accept")
        if content_type.partition(";")[0].strip().lower() != JSON or negotiate(accept) is None:
            return None
        if accept is not None and "multipart" in accept:  # Strawberry's streaming protocols
            return None
        body = await request.body()
        data = self._checked_bodies.get(body)
        if data is None:
            data = self._checked(body)
            if data is None:
                return None
            if len(body) <= MAX_KEPT_BODY_BYTES:
                if len(self._checked_bodies) >= MAX_KEPT_BODIES:
                    self._checked_bodies.clear()
                self._checked_bodies[body] = data
        sub_response = request.state.sub_response = await self.get_sub_response(request)
        responses = self.responses
        prefetch: list[str] = []  # the answer's key, and the Redis keys its lookup reads

        def also_read(viewer: Viewer) -> list[str]:  # read with the session's check: one round trip
            key = self._key(_viewer_principal(viewer), data)
            prefetch[:] = [key, *(responses.shared_keys(key) or [])]
            return prefetch[1:]

        context, read = await self._context(request, sub_response, also_read=also_read)
        request.state.context = context
        known = (prefetch[0], read) if read else None
        request.state.lookup = found = await self._lookup(context, data, known)
        if found is None or found[2].hit is None:
            return None
        del request.state.lookup
        result = await self._serve(request, context, data, found[2].hit, found[3])
        return self.create_response(await self.process_result(request, result), sub_response)

    @staticmethod
    def _checked(body: bytes) -> GraphQLRequestData | None:
        """``body`` as a plain GraphQL request that passed the request checks, else None."""
        try:
            parsed = decode_request_json(body)
            query, variables, name = parsed.get("query"), parsed.get("variables"), parsed.get("operationName")
            if "extensions" in parsed or not isinstance(query, str):
                return None
            if not (variables is None or isinstance(variables, dict)) or not (
                name is None or isinstance(name, str)
            ):
                return None
            data = GraphQLRequestData(query=query, variables=variables, operation_name=name, extensions=None)
            check_request(data)
        except HTTPException:  # refused again, and answered, by Strawberry's path
            return None
        return data

    async def get_sub_response(self, request: Request | WebSocket) -> Response:
        kept: Response | None = getattr(request.state, "sub_response", None)
        if kept is not None:  # made by _answer_from_cache for this request
            return kept
        sub_response = await super().get_sub_response(request)
        # What the answer will be: create_response and process_result read it back.
        sub_response.media_type = request.state.media_type = negotiate(request.headers.get("accept")) or JSON
        return sub_response

    def create_response(
        self, response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse], sub_response: Response
    ) -> Response:
        response = super().create_response(response_data, sub_response)
        if sub_response.media_type != GRAPHQL_RESPONSE or not isinstance(response_data, dict):
            return response
        response.headers["content-type"] = f"{GRAPHQL_RESPONSE}; charset=utf-8"
        if not sub_response.status_code:
            response.status_code = status_of(response_data)
        if response.status_code == 429 and (seconds := retry_after(response_data)):
            response.headers["Retry-After"] = seconds
        return response

    def decode_json(self, data: str | bytes) -> object:
        return decode_request_json(data)

    def encode_json(self, data: object) -> bytes:
        if isinstance(data, CachedAnswer):
            return data.body
        return orjson.dumps(data)

    async def parse_http_body(self, request: AsyncHTTPRequestAdapter) -> GraphQLRequestData:
        if negotiate(request.headers.get("accept")) is None:
            raise HTTPException(406, f"Ask for {JSON} or {GRAPHQL_RESPONSE} (the Accept header).")
        parsed = await super().parse_http_body(request)
        if isinstance(parsed, list):  # batching is off: Strawberry refuses lists first
            raise HTTPException(400, "Batching is not enabled")
        check_request(parsed)
        return parsed

    async def render_graphql_ide(self, request: Request) -> Response:
        return HTMLResponse(self._ide_html, headers=self._ide_headers)

    def should_render_graphql_ide(self, request: BaseRequestProtocol) -> bool:
        # A GET naming a persisted operation has no ``query`` but wants JSON, not GraphiQL.
        return super().should_render_graphql_ide(request) and "extensions" not in request.query_params

    async def execute_single(  # noqa: PLR0917
        self,
        request: Request,
        request_adapter: AsyncHTTPRequestAdapter,
        sub_response: Response,
        context: Context,
        root_value: None,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        """Strawberry's execution, with the document of a persisted operation (persisted_queries)."""

        async def execute(data: GraphQLRequestData) -> ExecutionResult:
            return await super(GatewayGraphQL, self).execute_single(
                request, request_adapter, sub_response, context, root_value, data
            )

        async def answer(data: GraphQLRequestData) -> ExecutionResult:
            result = await self._answer(request, context, data, execute)
            viewers = self.services.sessions
            if viewers is not None and viewers.pending:  # a write to who may see what: shared now
                await viewers.publish()
            return result

        try:
            return await self.persisted_queries.execute(request_data, answer)
        except GatewayError as error:  # answered like every other error (gateway.schema.errors)
            return ExecutionResult(data=None, errors=[GraphQLError(error.message, original_error=error)])

    async def get_context(self, request: Request | WebSocket, response: Response | Any) -> Context:
        if not isinstance(request, Request):
            raise TypeError("subscriptions are not served")
        kept: Context | None = getattr(request.state, "context", None)
        if kept is not None:  # made by _answer_from_cache for this request
            return kept
        return (await self._context(request, response))[0]

    async def _context(
        self, request: Request, response: Response, *, also_read: Callable[[Viewer], list[str]] | None = None
    ) -> tuple[Context, list[bytes | None] | None]:
        """The request's context (who asks), and the values of ``also_read`` when they were read
        with the session's check (``gateway.sessions.authenticate_request``)."""
        request.state.stale_served = stale.begin_request()  # the cache layer records into it
        reads = Reads()
        context = Context(
            request=request,
            response=response,
            settings=self.settings,
            services=self.services,
            loaders=Loaders.for_request(self.services.backends, reads),
            reads=reads,
        )
        read = await sessions.authenticate_request(context, also_read=also_read)
        record = request_record.current()
        if record is not None:
            record.user_id = context.viewer.user_id if context.viewer else None
            record.staff_key_id = context.staff.key_id if context.staff else None
        return context, read

    async def process_result(self, request: Request, result: ExecutionResult) -> GraphQLHTTPResponse:
        cached: CachedAnswer | None = getattr(request.state, "cached_answer", None)
        if cached is not None:
            return cached  # type: ignore[return-value]  # encode_json passes its body through
        data: GraphQLHTTPResponse = {"data": result.data}
        if result.errors:
            data["errors"] = [format_error(error) for error in result.errors]
        if result.extensions:
            data["extensions"] = result.extensions
        served: stale.StaleServed | None = getattr(request.state, "stale_served", None)
        if served is not None and served.ages:
            data["extensions"] = {**(data.get("extensions") or {}), "stale": served.as_extension()}
        self._observe(result, served)
        if getattr(request.state, "media_type", JSON) == GRAPHQL_RESPONSE and did_not_run(data):
            del data["data"]  # a request that never ran has no data (GraphQL over HTTP)
        return data

    def _observe(self, result: ExecutionResult, served: stale.StaleServed | None) -> None:
        """The answer's error codes in the request's log line; stale and rate-limited answers counted."""
        record = request_record.current()
        if record is not None:
            record.codes = [classify(error)[0].value for error in result.errors or ()]
        metrics = self.services.metrics
        if metrics is None:
            return
        for backend in served.ages if served is not None else ():
            metrics.stale_answers.labels(backend=backend).inc()
        limiters = {
            error.original_error.limiter
            for error in result.errors or ()
            if isinstance(error.original_error, RateLimited)
        }
        for limiter in limiters:
            metrics.rate_limited.labels(limiter=limiter).inc()

    async def _answer(
        self,
        request: Request,
        context: Context,
        data: GraphQLRequestData,
        execute: Callable[[GraphQLRequestData], Awaitable[ExecutionResult]],
    ) -> ExecutionResult:
        """``execute(data)``, or its answer from the response cache (gateway.cache.responses):
        a hit is charged, counted and (for staff) audited like a miss; a miss that may be kept
        is kept; a mutation drops what it touched at its end."""
        responses = self.responses
        if responses is None:
            return await execute(data)
        found = getattr(request.state, "lookup", None)  # _answer_from_cache's miss, for this data
        if found is None or found[4] != (data.query, data.operation_name, data.variables):
            found = await self._lookup(context, data)
        principal = lookup = None
        if found is not None:
            principal, key, lookup, started, _ = found
            if lookup.hit is not None:
                return await self._serve(request, context, data, lookup.hit, started)
        result = await execute(data)
        operation = context.operation
        if operation is None:
            return result
        if operation.mutation:
            await responses.drop(_changed_tags(context, principal))
            return result
        if lookup is not None and self.services.metrics is not None:
            self.services.metrics.response_cache.labels(result="miss").inc()
        if lookup is not None and principal is not None and _keepable(request, context, result):
            hit = Hit(
                body=orjson.dumps({"data": result.data}),
                numbers=tuple(sorted(context.touched)),
                label=operation.label,
                name=operation.name,
                cost=context.cost,
            )
            tags = [*(customer_tag(n) for n in hit.numbers), principal[2]]
            await responses.keep(key, hit, tags, seconds=context.reads.lifetime(), epoch=lookup.epoch)
        return result

    async def _lookup(
        self, context: Context, data: GraphQLRequestData, known: tuple[str, list[bytes | None]] | None = None
    ) -> tuple[tuple[str, list[object], str], str, Lookup, float, tuple[object, ...]] | None:
        """``(principal, key, lookup, when it started, what was looked up)`` of ``data`` in the response
        cache; None when no answer may be kept for it (anonymous, no document). ``known``: a key
        and the values its lookup reads, already read (``_answer_from_cache``)."""
        principal = _principal(context)
        if principal is None or data.query is None or self.responses is None:
            return None
        key = self._key(principal, data)
        started = time.perf_counter()
        looked_up = (data.query, data.operation_name, data.variables)
        read = known[1] if known is not None and known[0] == key else None
        return principal, key, await self.responses.lookup(key, read), started, looked_up

    @staticmethod
    def _key(principal: tuple[str, list[object], str], data: GraphQLRequestData) -> str:
        assert data.query is not None
        # The language too: an answer may hold messages said in the request's language.
        fingerprint = [*principal[1], str(current_language())]
        return response_key(principal[0], fingerprint, data.query, data.operation_name, data.variables)

    async def _serve(
        self, request: Request, context: Context, data: GraphQLRequestData, hit: Hit, started: float
    ) -> ExecutionResult:
        context.cost = hit.cost
        refused = await charge(context)
        if refused is not None:
            return ExecutionResult(data=None, errors=[GraphQLError(refused.message, original_error=refused)])
        if context.staff is not None:
            context.staff_reads.update(hit.numbers)
            await write_staff_reads(context, operation=hit.label)
        metrics = self.services.metrics
        if metrics is not None:
            metrics.response_cache.labels(result="hit").inc()
            metrics.record_request(
                operation=hit.name, valid=True, outcome="ok", seconds=time.perf_counter() - started
            )
        request.state.cached_answer = CachedAnswer(hit.body)
        return ExecutionResult(data=None, errors=None)


def _keepable(request: Request, context: Context, result: ExecutionResult) -> bool:
    """A query of cacheable roots that answered whole and fresh from cached data alone."""
    served: stale.StaleServed | None = getattr(request.state, "stale_served", None)
    return (
        context.operation is not None
        and context.operation.cacheable
        and not result.errors
        and not result.extensions
        and result.data is not None
        and not context.reads.live
        and not (served is not None and served.ages)
    )


def _changed_tags(context: Context, before: tuple[str, list[object], str] | None) -> set[str]:
    """What a mutation drops: every number it touched or changed, and its viewer's answers
    (as it was before and after: a login, a logout, a password change)."""
    tags = {customer_tag(n) for n in context.touched | context.changed}
    after = _principal(context)
    tags.update(who[2] for who in (before, after) if who is not None)
    return tags


def _principal(context: Context) -> tuple[str, list[object], str] | None:
    """``(principal, fingerprint of its access, its tag)`` of who asks; None for anonymous."""
    if context.viewer is not None:
        return _viewer_principal(context.viewer)
    if context.staff is not None:
        roles = sorted(role.value for role in context.staff.roles)  # what the key may read
        return f"k:{context.staff.key_id}", [context.staff.name, roles], f"k:{context.staff.key_id}"
    return None


def _viewer_principal(viewer: Viewer) -> tuple[str, list[object], str]:
    known = viewer.derived.get("principal")  # once per Viewer (the session cache shares it)
    if known is None:
        known = viewer.derived["principal"] = _principal_of(viewer)
    return known  # type: ignore[return-value]  # what _principal_of answered


def _principal_of(viewer: Viewer) -> tuple[str, list[object], str]:
    grants = sorted(
        (number, access.role.value, sorted(scope.value for scope in access.scopes))
        for number, access in viewer.access.items()
    )
    fingerprint: list[object] = [
        viewer.user_id,
        viewer.login,
        viewer.email,
        viewer.email_verified,
        viewer.active_customer,
        grants,
    ]
    return f"s:{viewer.session_id}", fingerprint, f"u:{viewer.user_id}"


def _without_body(send: Send) -> Send:
    """``send`` for a HEAD request: the GET answer's status and headers, no body."""

    async def send_head(message: Message) -> None:
        if message["type"] == "http.response.body":
            if message.get("more_body", False):
                return
            message = {"type": "http.response.body", "body": b""}
        await send(message)

    return send_head
