"""Tracing with OpenTelemetry: every span the gateway makes is started here.

One trace per HTTP request (``POST /graphql``, a server span that continues a client's W3C
``traceparent``), with, below it:

    graphql <type> <name>                 the GraphQL operation
      cache <backend>.<operation>         a cached read: hits, misses, stale keys, kind
        <backend>.<operation>             an adapter call under its resilience policy: attempts,
                                          outcome, breaker state; an event per retry and per
                                          breaker change
          <backend> <SOAP op | REST route> one HTTP call to the back end (client span); its
                                          ``traceparent`` is sent along, so the back end's own
                                          spans join the trace

Export is configured by the standard variables (``OTEL_EXPORTER_OTLP_ENDPOINT`` or
``OTEL_EXPORTER_OTLP_TRACES_ENDPOINT``, ``OTEL_SERVICE_NAME``, ``OTEL_TRACES_SAMPLER``,
``OTEL_EXPORTER_OTLP_HEADERS``, ``OTEL_BSP_*``...) and is off unless an endpoint is set (or
``OTEL_TRACES_EXPORTER=otlp``): then no tracer exists, every helper below returns at once and
nothing is propagated. ``OTEL_SDK_DISABLED=true`` or ``OTEL_TRACES_EXPORTER=none`` turn it off.

The tracer of the app serving a request travels in a ``ContextVar`` set by the request's first
layer (``gateway.http.edge``), so the adapters, the cache and the schema need no tracer handed
to them (tests run several apps in one process, each with its own ``TracerProvider``).

Attributes hold names, counts and codes only: never a customer number, a document, a URL's
query or a header's value (a REST route's numeric path segments become ``{id}``).
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import re
from collections.abc import Iterator, Mapping, MutableMapping

from opentelemetry import propagate, trace
from opentelemetry.context import Context as TraceContext
from opentelemetry.trace import Span, SpanKind, Status, StatusCode, Tracer

SCOPE = "gateway"
_tracer: contextvars.ContextVar[Tracer | None] = contextvars.ContextVar("gateway_tracer", default=None)

# A path segment carrying a number (a customer number, an id: 3 digits or more, not "v2")
# becomes a placeholder.
NUMERIC_SEGMENT = re.compile(r"(?<=/)[^/]*\d{3,}[^/]*")
SOAP_ACTION = re.compile(r'^"?(?:.*[/#])?([A-Za-z_][A-Za-z0-9_.]{0,63})"?$')


def provider_from_environment(environ: Mapping[str, str] | None = None) -> trace.TracerProvider | None:
    """An SDK ``TracerProvider`` exporting over OTLP/HTTP in batches, when the ``OTEL_*``
    variables ask for one; ``None`` (tracing off) otherwise."""
    env = os.environ if environ is None else environ
    exporter = env.get("OTEL_TRACES_EXPORTER", "").strip().lower()
    endpoint = env.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") or env.get("OTEL_EXPORTER_OTLP_ENDPOINT")
    if env.get("OTEL_SDK_DISABLED", "").strip().lower() == "true" or exporter == "none":
        return None
    if not endpoint and exporter != "otlp":
        return None
    # Imported only when tracing is on: the SDK and the exporter cost start-up time otherwise.
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter  # noqa: PLC0415
    from opentelemetry.sdk.resources import SERVICE_NAME, Resource  # noqa: PLC0415
    from opentelemetry.sdk.trace import TracerProvider  # noqa: PLC0415
    from opentelemetry.sdk.trace.export import BatchSpanProcessor  # noqa: PLC0415

    resource = Resource.create({SERVICE_NAME: env.get("OTEL_SERVICE_NAME", "portal-gateway")})
    provider = TracerProvider(resource=resource)  # the sampler: OTEL_TRACES_SAMPLER
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    return provider


def tracer_of(provider: trace.TracerProvider | None) -> Tracer | None:
    return provider.get_tracer(SCOPE) if provider is not None else None


@contextlib.contextmanager
def request_span(
    tracer: Tracer | None, *, method: str, route: str, headers: Mapping[str, str], request_id: str
) -> Iterator[Span | None]:
    """The server span of one HTTP request, continuing the client's ``traceparent`` if it sent a
    valid one; the tracer is current for everything the request does."""
    if tracer is None:
        yield None
        return
    token = _tracer.set(tracer)
    try:
        parent = propagate.extract(headers)
        with tracer.start_as_current_span(
            f"{method} {route}",
            context=parent,
            kind=SpanKind.SERVER,
            attributes={"http.request.method": method, "http.route": route, "gateway.request_id": request_id},
            record_exception=False,
            set_status_on_exception=False,
        ) as span:
            yield span
    finally:
        _tracer.reset(token)


def current_trace_ids() -> tuple[str, str] | None:
    """``(trace id, span id)`` in hex of the span current here, for log lines; ``None`` outside one."""
    context = trace.get_current_span().get_span_context()
    if not context.is_valid:
        return None
    return format(context.trace_id, "032x"), format(context.span_id, "016x")


@contextlib.contextmanager
def span(
    name: str, *, kind: SpanKind = SpanKind.INTERNAL, attributes: Mapping[str, str | int | bool] | None = None
) -> Iterator[Span | None]:
    """A span below the current one, when the request is traced; ``None`` (and no cost) otherwise.
    An exception marks it as an error, by the exception's class name only."""
    tracer = _tracer.get()
    if tracer is None:
        yield None
        return
    with tracer.start_as_current_span(
        name, kind=kind, attributes=attributes, record_exception=False, set_status_on_exception=False
    ) as current:
        try:
            yield current
        except BaseException as error:
            current.set_status(Status(StatusCode.ERROR, type(error).__name__))
            raise


def annotate(**attributes: str | int | float | bool) -> None:
    """Attributes on the current span (``gateway.`` prefixed, ``_`` becomes ``.``), if traced."""
    if _tracer.get() is None:
        return
    current = trace.get_current_span()
    for key, value in attributes.items():
        current.set_attribute("gateway." + key.replace("_", "."), value)


def add_event(name: str, **attributes: str | int | float | bool) -> None:
    """An event on the current span (a retry, a breaker changing state), if traced."""
    if _tracer.get() is not None:
        trace.get_current_span().add_event(name, attributes)


def mark_error(current: Span | None, description: str) -> None:
    if current is not None:
        current.set_status(Status(StatusCode.ERROR, description))


def http_call_name(method: str, path: str, soap_action: str | None) -> str:
    """What a back-end HTTP call is called in its span: the SOAP operation, or the REST route
    with every numeric path segment as ``{id}``."""
    if soap_action is not None:
        found = SOAP_ACTION.match(soap_action.strip())
        if found:
            return found.group(1)
    return f"{method} {NUMERIC_SEGMENT.sub('{id}', path)}"


@contextlib.contextmanager
def backend_http_span(
    backend: str, *, method: str, path: str, soap_action: str | None, headers: MutableMapping[str, str]
) -> Iterator[Span | None]:
    """The client span of one HTTP call to ``backend``; puts its ``traceparent`` in ``headers``."""
    if _tracer.get() is None:
        yield None
        return
    call = http_call_name(method, path, soap_action)
    with span(
        f"{backend} {call}",
        kind=SpanKind.CLIENT,
        attributes={"gateway.backend": backend, "gateway.call": call, "http.request.method": method},
    ) as current:
        if current is not None:
            propagate.inject(headers, context=trace.set_span_in_context(current, TraceContext()))
        yield current
