"""Prometheus metrics, served at ``GET /metrics``.

Each app has its own ``CollectorRegistry`` (held by ``Metrics``) rather than the
process-wide default: the tests build many apps in one process, and metrics registered
twice in the default registry raise; a per-app registry also lets a test read exactly
what its own app counted.

Several workers (``gateway serve`` with ``GATEWAY_WORKERS`` > 1) use prometheus-client's
multiprocess mode: ``gateway serve`` sets ``PROMETHEUS_MULTIPROC_DIR`` (emptied at start)
before it starts the workers, each worker writes its values there, and every scrape,
whichever worker answers it, sums the files of all of them (``Metrics.exposition``). A
worker that dies is marked dead (``forget_worker``): its counters stay in the sums, its
live gauges leave them. So every ``Gauge`` names how workers' values combine
(``multiprocess_mode``, one of ``LIVE_GAUGE_MODES``; a test holds every gauge to it).

    gateway_requests_total{operation, outcome}                  outcome: ok | partial | error
    gateway_request_duration_seconds{operation}                 histogram
    gateway_backend_calls_total{backend, operation, outcome}    one per attempt; outcome below
    gateway_backend_call_duration_seconds{backend, operation}   histogram
    gateway_cache_lookups_total{backend, operation, result}     result: hit | miss | stale
    gateway_cache_hits_total{kind}, gateway_cache_misses_total{kind}
                                                                keys looked up, by kind of data
                                                                (gateway.cache.policy.Kind): hit ratio
    gateway_stale_answers_total{backend}                        answers that served that back end's
                                                                data stale (extensions.stale)
    gateway_rate_limited_total{limiter}                         requests answered RATE_LIMITED, by
                                                                limiter: budget | login | hashing
    gateway_idempotent_replays_total{operation}                 mutations answered from their
                                                                idempotency record, not run again
    gateway_breaker_state{backend}                              0 closed, 1 half-open, 2 open
    gateway_breaker_transitions_total{backend, to}
    gateway_password_checks_total{outcome}                      Argon2 runs: run | refused (pool full)
    gateway_redis_up                                            1 Redis answers; 0 down (or not configured)
    gateway_redis_fallbacks_total{user}                         calls a local fallback served (Redis down)
                                                                user: throttle|budget|cache|persisted_queries

``operation`` is bounded: the name of a document that validated (the persisted manifest's
operations always, other names first come up to ``MAX_OPERATION_NAMES``), ``anonymous`` for
a valid document without a name, ``other`` for the rest and for every document that did
not validate, so junk sent under made-up names never takes a label.

Back-end call outcomes: ``ok``; ``client_error`` (the back end answered, e.g. not found);
``unavailable``; ``timeout``; ``protocol_error``; ``rejected`` (not sent: breaker open or
concurrency cap full).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest, multiprocess

OPERATION_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
MAX_OPERATION_NAMES = 200  # names of valid documents, first come: bound the label's cardinality

REQUEST_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
BACKEND_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)

MULTIPROC_DIR = "PROMETHEUS_MULTIPROC_DIR"  # prometheus-client reads it when it is imported
# How a gauge's values of several workers combine: only live workers' values count.
LIVE_GAUGE_MODES = ("livesum", "livemax", "livemin", "liveall", "livemostrecent")


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self._request_children: dict[tuple[str, str], tuple[Counter, Histogram]] = {}
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
        self.response_cache = Counter(
            "gateway_response_cache_lookups",
            "Whole answers looked up in the response cache for a logged-in caller: hit or miss.",
            ["result"],
            registry=r,
        )
        self.breaker_state = Gauge(
            "gateway_breaker_state",
            "Circuit breaker: 0 closed, 1 half-open, 2 open (several workers: the most open).",
            ["backend"],
            registry=r,
            multiprocess_mode="livemax",
        )
        self.breaker_transitions = Counter(
            "gateway_breaker_transitions", "Circuit breaker state changes.", ["backend", "to"], registry=r
        )
        self._persisted_names: set[str] = set()
        self._seen_names: set[str] = set()
        self.password_checks = Counter(
            "gateway_password_checks",
            "Argon2 hashes and verifications: run, or refused because the hashing pool was full.",
            ["outcome"],
            registry=r,
        )
        self.redis_up = Gauge(
            "gateway_redis_up",
            "Redis (GATEWAY_REDIS_URL) answers: 1; 0 while it is down and local fallbacks serve "
            "(several workers: 0 if any sees it down).",
            registry=r,
            multiprocess_mode="livemin",
        )
        self.redis_fallbacks = Counter(
            "gateway_redis_fallbacks",
            "Redis calls served by a local fallback instead (Redis down), by user.",
            ["user"],
            registry=r,
        )
        self.cache_hits = Counter(
            "gateway_cache_hits", "Keys found fresh in the cache, by kind of data.", ["kind"], registry=r
        )
        self.cache_misses = Counter(
            "gateway_cache_misses",
            "Keys not found fresh in the cache (asked of the back end), by kind of data.",
            ["kind"],
            registry=r,
        )
        self.stale_answers = Counter(
            "gateway_stale_answers",
            "Answers that served a back end's data stale (past its TTL, the back end failing).",
            ["backend"],
            registry=r,
        )
        self.rate_limited = Counter(
            "gateway_rate_limited",
            "Requests answered RATE_LIMITED, by limiter: budget, login (throttling) or hashing (pool full).",
            ["limiter"],
            registry=r,
        )
        self.idempotent_replays = Counter(
            "gateway_idempotent_replays",
            "Mutations sent again with a used idempotency key: answered from the record, not run again.",
            ["operation"],
            registry=r,
        )

    def count_cache_result(self, kind: str, result: str, n: int) -> None:
        if result == "hit":
            self.cache_hits.labels(kind=kind).inc(n)
        elif result == "miss":
            self.cache_misses.labels(kind=kind).inc(n)

    def exposition(self) -> bytes:
        """The scrape in Prometheus' text format: this app's registry, or, under several
        workers, the sums over every worker's files."""
        if os.environ.get(MULTIPROC_DIR):
            workers = CollectorRegistry()
            multiprocess.MultiProcessCollector(workers)  # type: ignore[no-untyped-call]
            return generate_latest(workers)
        return generate_latest(self.registry)

    def know_operations(self, names: Iterable[str]) -> None:
        """Names that always have their own label (the persisted operations' of the manifest)."""
        self._persisted_names.update(name for name in names if OPERATION_NAME.fullmatch(name))

    def operation_label(self, name: str | None, *, valid: bool) -> str:
        """A bounded label for a document that validated: a persisted operation's name, or a
        name first seen while fewer than ``MAX_OPERATION_NAMES`` were; ``anonymous`` without a
        name; ``other`` for the rest and for every document that did not validate."""
        if not valid:
            return "other"
        if not name:
            return "anonymous"
        if name in self._persisted_names or name in self._seen_names:
            return name
        if len(self._seen_names) >= MAX_OPERATION_NAMES or not OPERATION_NAME.fullmatch(name):
            return "other"
        self._seen_names.add(name)
        return name

    def record_request(self, *, operation: str | None, valid: bool, outcome: str, seconds: float) -> None:
        label = self.operation_label(operation, valid=valid)
        # The labelled children, looked up once per (operation, outcome): ``labels()`` takes a
        # lock and checks its arguments on every call, a tenth of a response-cache hit.
        children = self._request_children.get((label, outcome))
        if children is None:
            children = self._request_children[label, outcome] = (
                self.requests.labels(operation=label, outcome=outcome),
                self.request_seconds.labels(operation=label),
            )
        children[0].inc()
        children[1].observe(seconds)


def prepare_multiprocess_dir(directory: Path) -> None:
    """Make ``directory`` the workers' metrics directory, emptied of an earlier run's files
    (whose counters would otherwise be added to this run's)."""
    directory.mkdir(parents=True, exist_ok=True)
    for stale in directory.glob("*.db"):
        stale.unlink()
    os.environ[MULTIPROC_DIR] = str(directory)


def forget_worker(pid: int) -> None:
    """A worker is gone: its live gauges leave the sums (its counters stay)."""
    multiprocess.mark_process_dead(pid, os.environ[MULTIPROC_DIR])  # type: ignore[no-untyped-call]
