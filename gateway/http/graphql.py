"""``/graphql``: Strawberry's ASGI view with our context, error format and offline GraphiQL.

Strawberry's own refusals (not JSON, not a GraphQL request, a method it does not take) are
answered in the gateway's JSON error shape (``gateway.http.refusals``); the request's JSON is
bounded and checked (``gateway.http.limits``) before anything parses it as GraphQL. Answers
are ``application/json`` or ``application/graphql-response+json``, as the client's ``Accept``
asks, with the status codes of GraphQL over HTTP (``gateway.http.media_types``); ``HEAD`` is
``GET`` without the body.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

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
from gateway.config import Settings
from gateway.context import Context
from gateway.dataloaders import Loaders
from gateway.errors import GatewayError
from gateway.http.graphiql import graphiql_page
from gateway.http.headers import content_security_policy
from gateway.http.limits import check_request, decode_request_json
from gateway.http.media_types import GRAPHQL_RESPONSE, JSON, did_not_run, negotiate, retry_after, status_of
from gateway.http.persisted_queries import PersistedQueries
from gateway.http.refusals import allowed_methods, refusal
from gateway.schema import schema
from gateway.schema.errors import format_error
from gateway.services import Services

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
GRAPHIQL_ASSETS = STATIC_DIR / "graphiql"
GRAPHIQL_MISSING = """<!doctype html><title>GraphiQL assets missing</title>
<p>GraphiQL's assets are not installed, and this network may not reach a CDN.
Run <code>make graphiql-assets</code> (needs npm) and restart.
The API itself works: POST JSON to /graphql.</p>"""


class GatewayGraphQL(GraphQL[Context, None]):
    def __init__(
        self, *, settings: Settings, services: Services, persisted_queries: PersistedQueries
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
        self._ide_html = (
            graphiql_page() if (GRAPHIQL_ASSETS / "graphiql.min.js").exists() else GRAPHIQL_MISSING
        )
        self._ide_headers = {"Content-Security-Policy": content_security_policy(self._ide_html)}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        head = scope["method"] == "HEAD"
        if head:  # answered as GET, and its body left out below
            scope = {**scope, "method": "GET"}
        request = Request(scope, receive)
        try:
            response = await self.run(request)
        except HTTPException as exc:  # Strawberry's messages are its own, never the client's input
            headers = {"Allow": allowed_methods("GET, HEAD, POST")} if exc.status_code == 405 else None
            media_type = negotiate(request.headers.get("accept")) or JSON
            response = refusal(exc.status_code, exc.reason, headers=headers, media_type=media_type)
        await response(scope, receive, _without_body(send) if head else send)

    async def get_sub_response(self, request: Request | WebSocket) -> Response:
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
        return "extensions" not in request.query_params and super().should_render_graphql_ide(request)

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

        try:
            return await self.persisted_queries.execute(request_data, execute)
        except GatewayError as error:  # answered like every other error (gateway.schema.errors)
            return ExecutionResult(data=None, errors=[GraphQLError(error.message, original_error=error)])

    async def get_context(self, request: Request | WebSocket, response: Response | Any) -> Context:
        if not isinstance(request, Request):
            raise TypeError("subscriptions are not served")
        request.state.stale_served = stale.begin_request()  # the cache layer records into it
        context = Context(
            request=request,
            response=response,
            settings=self.settings,
            services=self.services,
            loaders=Loaders.for_request(self.services.backends),
        )
        await sessions.authenticate_request(context)
        return context

    async def process_result(self, request: Request, result: ExecutionResult) -> GraphQLHTTPResponse:
        data: GraphQLHTTPResponse = {"data": result.data}
        if result.errors:
            data["errors"] = [format_error(error) for error in result.errors]
        if result.extensions:
            data["extensions"] = result.extensions
        served: stale.StaleServed | None = getattr(request.state, "stale_served", None)
        if served is not None and served.ages:
            data["extensions"] = {**(data.get("extensions") or {}), "stale": served.as_extension()}
        if getattr(request.state, "media_type", JSON) == GRAPHQL_RESPONSE and did_not_run(data):
            del data["data"]  # a request that never ran has no data (GraphQL over HTTP)
        return data


def _without_body(send: Send) -> Send:
    """``send`` for a HEAD request: the GET answer's status and headers, no body."""

    async def send_head(message: Message) -> None:
        if message["type"] == "http.response.body":
            if message.get("more_body", False):
                return
            message = {"type": "http.response.body", "body": b""}
        await send(message)

    return send_head
