"""Prometheus metrics, served at ``GET /metrics``.

Each app has its own ``CollectorRegistry`` (held by ``Metrics``) rather than the
process-wide default: the tests build many apps in one process, and metrics registered
twice in the default registry raise; a per-app registry also lets a test read exactly
what its own app counted. Under several uvicorn workers each worker serves its own
numbers (Prometheus scrapes per replica); multi-process aggregation is not set up.

    gateway_requests_total{operation, outcome}                  outcome: ok | partial | error
    gateway_request_duration_seconds{operation}                 histogram
    gateway_backend_calls_total{backend, operation, outcome}    one per attempt; outcome below
    gateway_backend_call_duration_seconds{backend, operation}   histogram
    gateway_cache_lookups_total{backend, operation, result}     result: hit | miss | stale
    gateway_breaker_state{backend}                              0 closed, 1 half-open, 2 open
    gateway_breaker_transitions_total{backend, to}
    gateway_password_checks_total{outcome}                      Argon2 runs: run | refused (pool full)

Back-end call outcomes: ``ok``; ``client_error`` (the back end answered, e.g. not found);
``unavailable``; ``timeout``; ``protocol_error``; ``rejected`` (not sent: breaker open or
concurrency cap full).
"""

from __future__ import annotations

import re

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from starlette.requests import Request
from starlette.responses import Response

OPERATION_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
NAMED_OPERATION = re.compile(r"\b(?:query|mutation|subscription)\s+([A-Za-z_][A-Za-z0-9_]*)")
MAX_OPERATION_NAMES = 200  # client-chosen names: bound the label's cardinality

REQUEST_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
BACKEND_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.requests = Counter(
            "gateway_requests",
            "GraphQL requests by operation and outcome.",
            ["operation", "outcome"],
            registry=r,
        )
        self.request_seconds = Histogram(
            "gateway_request_duration_seconds",
            "GraphQL request latency.",
            ["operation"],
            buckets=REQUEST_BUCKETS,
            registry=r,
        )
        self.backend_calls = Counter(
            "gateway_backend_calls",
            "Calls to back ends (one per attempt).",
            ["backend", "operation", "outcome"],
            registry=r,
        )
        self.backend_seconds = Histogram(
            "gateway_backend_call_duration_seconds",
            "Back-end call latency (one per attempt).",
            ["backend", "operation"],
            buckets=BACKEND_BUCKETS,
            registry=r,
        )
        self.cache_lookups = Counter(
            "gateway_cache_lookups",
            "Cache lookups by result: hit, miss, or stale (served past its TTL while the back end failed).",
            ["backend", "operation", "result"],
            registry=r,
        )
        self.breaker_state = Gauge(
            "gateway_breaker_state",
            "Circuit breaker: 0 closed, 1 half-open, 2 open.",
            ["backend"],
            registry=r,
        )
        self.breaker_transitions = Counter(
            "gateway_breaker_transitions", "Circuit breaker state changes.", ["backend", "to"], registry=r
        )
        self.password_checks = Counter(
            "gateway_password_checks",
            "Argon2 hashes and verifications: run, or refused because the hashing pool was full.",
            ["outcome"],
            registry=r,
        )
        self._operation_names: set[str] = set()

    def operation_label(self, name: str | None) -> str:
        """A bounded label for a client-chosen operation name."""
        if not name or not OPERATION_NAME.fullmatch(name):
            return "anonymous" if not name else "other"
        if name in self._operation_names:
            return name
        if len(self._operation_names) >= MAX_OPERATION_NAMES:
            return "other"
        self._operation_names.add(name)
        return name

    @staticmethod
    def operation_name(document: str | None, given: str | None) -> str | None:
        """The name the client gave, else the first operation's name in the document."""
        if given or not document:
            return given
        named = NAMED_OPERATION.search(document)
        return named.group(1) if named else None

    def record_request(self, *, operation: str | None, outcome: str, seconds: float) -> None:
        label = self.operation_label(operation)
        self.requests.labels(operation=label, outcome=outcome).inc()
        self.request_seconds.labels(operation=label).observe(seconds)

    async def endpoint(self, request: Request) -> Response:
        return Response(generate_latest(self.registry), media_type=CONTENT_TYPE_LATEST)
