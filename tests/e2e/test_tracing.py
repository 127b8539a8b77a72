"""Tracing end to end: one request's spans, from the client's ``traceparent`` down to the
simulators on real sockets, read with the OpenTelemetry SDK's in-memory exporter."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from fixtures.server import serve_in_thread
from gateway.app import create_app
from gateway.config import Settings
from gateway.observability.tracing import provider_from_environment
from tests.e2e.client import GraphQLClient, set_faults

OVERVIEW = """
query Overview($number: String!) {
  customer(number: $number) { name supplyPoints { code } invoices(first: 3) { totalCount } }
}
"""
NOVAK = "1000012345"
CLIENT_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
CLIENT_SPAN = "00f067aa0ba902b7"
TRACEPARENT = f"00-{CLIENT_TRACE}-{CLIENT_SPAN}-01"


class Traced:
    def __init__(self, http: httpx.AsyncClient, exporter: InMemorySpanExporter) -> None:
        self.http = http
        self.gql = GraphQLClient(http)
        self.exporter = exporter

    async def overview(self, *, note: str = "", **headers: str) -> tuple[dict[str, Any], list[ReadableSpan]]:
        """The overview's answer, and the spans of that one request (``note``: a comment that makes
        it another document, which the response cache does not answer whole)."""
        self.exporter.clear()
        response = await self.http.post(
            "/graphql",
            json={"query": f"# {note}\n{OVERVIEW}" if note else OVERVIEW, "variables": {"number": NOVAK}},
            headers={**self.gql.headers, **headers},
        )
        return response.json(), list(self.exporter.get_finished_spans())


@pytest.fixture
async def traced(settings: Settings) -> AsyncIterator[Traced]:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    app = create_app(settings, tracer_provider=provider)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://gateway.test") as http,
    ):
        traced = Traced(http, exporter)
        await traced.gql.login("novak")
        yield traced


def named(spans: list[ReadableSpan], name: str) -> ReadableSpan:
    (found,) = [s for s in spans if s.name == name]
    return found


def received(simulator: str) -> list[dict[str, str]]:
    body: dict[str, list[dict[str, str]]] = httpx.get(f"{simulator}/__sim/headers").json()
    return body["received"]


def clear_received(simulators: dict[str, str]) -> None:
    for base in simulators.values():
        httpx.delete(f"{base}/__sim/headers").raise_for_status()


def span_id(span: ReadableSpan) -> str:
    assert span.context is not None
    return format(span.context.span_id, "016x")


def trace_id(span: ReadableSpan) -> str:
    assert span.context is not None
    return format(span.context.trace_id, "032x")


async def test_one_request_is_one_trace_from_the_client_to_the_back_ends(
    traced: Traced, simulators: dict[str, str]
) -> None:
    # given
    clear_received(simulators)

    # when: the client sends its own trace context
    answer, spans = await traced.overview(traceparent=TRACEPARENT)

    # then: the request continues the client's trace...
    assert "errors" not in answer
    assert {trace_id(s) for s in spans} == {CLIENT_TRACE}
    request = named(spans, "POST /graphql")
    assert request.kind is SpanKind.SERVER
    assert request.parent is not None and format(request.parent.span_id, "016x") == CLIENT_SPAN
    assert request.attributes is not None and request.attributes["http.response.status_code"] == 200
    # ...with the operation below it, and each back-end call below that
    operation = named(spans, "graphql query Overview")
    assert operation.parent is not None and operation.parent.span_id == int(span_id(request), 16)
    by_id = {span_id(s): s for s in spans}

    def ancestors(span: ReadableSpan) -> list[str]:
        chain = []
        while span.parent is not None and format(span.parent.span_id, "016x") in by_id:
            span = by_id[format(span.parent.span_id, "016x")]
            chain.append(span.name)
        return chain

    invoice_call = named(spans, "billing GetInvoiceList")
    assert invoice_call.kind is SpanKind.CLIENT
    assert ancestors(invoice_call) == [
        "billing.invoice_pages",
        "cache billing.invoice_pages",
        "graphql query Overview",
        "POST /graphql",
    ]
    policy = named(spans, "billing.invoice_pages")
    assert policy.attributes is not None
    assert policy.attributes["gateway.outcome"] == "ok"
    assert policy.attributes["gateway.attempts"] == 1
    assert policy.attributes["gateway.breaker.state"] == "closed"
    cache = named(spans, "cache billing.invoice_pages")
    assert cache.attributes is not None
    assert cache.attributes["gateway.cache.miss"] == 1 and cache.attributes["gateway.cache.kind"] == "billing"
    crm_routes = {s.name for s in spans if s.name.startswith("crm GET ")}
    assert "crm GET /api/v2/zakaznici/{id}/odberna-mista" in crm_routes, crm_routes
    assert not any(NOVAK in s.name or NOVAK in str(s.attributes) for s in spans)

    # and: the back ends received that trace, each call as a child of its client span
    client_spans = {span_id(s) for s in spans if s.kind is SpanKind.CLIENT}
    for backend in ("billing", "crm"):
        parents = [seen["traceparent"] for seen in received(simulators[backend])]
        assert parents
        for traceparent in parents:
            version, trace, parent, flags = traceparent.split("-")
            assert (version, trace, flags) == ("00", CLIENT_TRACE, "01")
            assert parent in client_spans


async def test_a_cached_answer_is_traced_as_a_hit_without_a_back_end_call(traced: Traced) -> None:
    # given
    await traced.overview()

    # when: the same reads in another document (the response cache does not answer it whole)
    _, spans = await traced.overview(note="again")

    # then
    cache = named(spans, "cache billing.invoice_pages")
    assert cache.attributes is not None and cache.attributes["gateway.cache.hit"] == 1
    assert not [s for s in spans if s.kind is SpanKind.CLIENT]
    assert len({trace_id(s) for s in spans}) == 1  # a new trace of its own, without a traceparent


async def test_retries_and_the_breaker_show_on_the_back_end_call(
    traced: Traced, simulators: dict[str, str]
) -> None:
    # given: billing down; reads are tried three times; five failures open the breaker
    set_faults(simulators["billing"], mode="down")

    # when
    first, first_spans = await traced.overview(traceparent=TRACEPARENT)
    _, second_spans = await traced.overview()

    # then: three attempts, each an event and an HTTP call, all failing
    assert first["errors"][0]["extensions"]["code"] == "BACKEND_UNAVAILABLE"
    policy = named(first_spans, "billing.invoice_pages")
    assert policy.attributes is not None and policy.attributes["gateway.attempts"] == 3
    assert [e.attributes["outcome"] for e in policy.events if e.name == "attempt" and e.attributes] == [
        "unavailable"
    ] * 3
    assert len([s for s in first_spans if s.name == "billing GetInvoiceList"]) == 3
    assert not policy.status.is_ok
    # and: the fifth failure, in the next request, opens the breaker: an event, then a refusal
    policy = named(second_spans, "billing.invoice_pages")
    assert any(e.name == "breaker" and e.attributes and e.attributes["to"] == "open" for e in policy.events)
    assert policy.attributes is not None and policy.attributes["gateway.outcome"] == "rejected"


async def test_a_malformed_traceparent_starts_a_new_trace(traced: Traced) -> None:
    answer, spans = await traced.overview(traceparent="00-not-a-trace-01")

    assert "errors" not in answer
    request = named(spans, "POST /graphql")
    assert request.parent is None
    assert len({trace_id(s) for s in spans}) == 1


async def test_without_otel_variables_nothing_is_traced_or_propagated(
    client: httpx.AsyncClient, simulators: dict[str, str]
) -> None:
    # given: the default app (no OTEL_* variables in the test environment)
    assert provider_from_environment() is None
    gql = GraphQLClient(client)
    await gql.login("novak")
    clear_received(simulators)

    # when
    response = await client.post(
        "/graphql",
        json={"query": OVERVIEW, "variables": {"number": NOVAK}},
        headers={**gql.headers, "traceparent": TRACEPARENT},
    )

    # then: answered; the back ends got the request id but no trace context
    assert "errors" not in response.json()
    seen = received(simulators["billing"])
    assert seen and all("traceparent" not in s for s in seen)
    assert {s["x-request-id"] for s in seen} == {response.headers["X-Request-ID"]}


async def test_with_an_otlp_endpoint_set_the_traces_are_exported_over_otlp_http(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: a collector on a real socket, named by the standard variables
    exported: list[tuple[str, str, bytes]] = []

    async def collector(request: Request) -> Response:
        exported.append((request.url.path, request.headers["content-type"], await request.body()))
        return Response(b"", media_type="application/x-protobuf")

    receiver = Starlette(routes=[Route("/v1/traces", collector, methods=["POST"])])
    with serve_in_thread(receiver) as endpoint:
        monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint)
        monkeypatch.setenv("OTEL_SERVICE_NAME", "gateway-under-test")
        app = create_app(settings)

        # when: one request, then shutdown (which flushes the batch)
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://gateway.test") as http,
        ):
            await http.post("/graphql", json={"query": "query Me { viewer { login } }"})

    # then
    assert exported
    path, content_type, body = exported[0]
    assert (path, content_type) == ("/v1/traces", "application/x-protobuf")
    request = ExportTraceServiceRequest.FromString(body)
    (resource_spans,) = request.resource_spans
    service = {a.key: a.value.string_value for a in resource_spans.resource.attributes}["service.name"]
    assert service == "gateway-under-test"
    names = {span.name for scope in resource_spans.scope_spans for span in scope.spans}
    assert names == {"POST /graphql", "graphql query Me"}


@pytest.mark.parametrize(
    ("environ", "on"),
    [
        ({}, False),
        ({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:18304"}, True),
        ({"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://127.0.0.1:18304/v1/traces"}, True),
        ({"OTEL_TRACES_EXPORTER": "otlp"}, True),
        ({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:18304", "OTEL_SDK_DISABLED": "true"}, False),
        ({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:18304", "OTEL_TRACES_EXPORTER": "none"}, False),
    ],
)
def test_otlp_export_is_on_only_when_the_otel_variables_ask_for_it(environ: dict[str, str], on: bool) -> None:
    provider = provider_from_environment(environ)

    assert (provider is not None) is on
    if isinstance(provider, TracerProvider):
        provider.shutdown()
