"""The Starlette application factory."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import logging
from collections.abc import AsyncIterator

from opentelemetry.trace import TracerProvider
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from gateway.adapters.connect import open_backends
from gateway.cache.responses import open_responses
from gateway.cache.shared_redis import open_redis
from gateway.cache.store import open_cache
from gateway.config import DEMO_SECRET_KEY, Settings
from gateway.http.dashboard import dashboard_routes
from gateway.http.documents import document_endpoint
from gateway.http.edge import Edge
from gateway.http.graphql import STATIC_DIR, GatewayGraphQL
from gateway.http.health import healthz, readyz
from gateway.http.metrics import metrics_endpoint
from gateway.http.persisted_queries import open_persisted_queries
from gateway.http.refusals import EXCEPTION_HANDLERS
from gateway.metrics import Metrics
from gateway.observability import log_format, tracing
from gateway.outbox import DirectoryOutbox
from gateway.passwords import PasswordHashing
from gateway.ratelimit.buckets import BudgetPolicy, open_budget
from gateway.schema.operation_metrics import operation_names
from gateway.services import Backends, Clock, Services, utc_now
from gateway.session_cache import SessionCache
from gateway.store.db import create_engine, create_sessionmaker, wait_for_store
from gateway.store.prepare import prepare
from gateway.throttle import open_throttle

log = logging.getLogger("gateway")


def create_app(
    settings: Settings | None = None,
    *,
    backends: Backends | None = None,
    clock: Clock = utc_now,
    tracer_provider: TracerProvider | None = None,
) -> Starlette:
    """The gateway. ``backends`` replaces the real adapters (tests give fakes or wrapped ones);
    ``clock`` is what "now" means (tests move it); ``tracer_provider`` receives the traces
    (default: the ``OTEL_*`` variables', none when they are unset)."""
    settings = settings or Settings()
    if not settings.demo and settings.secret_key.get_secret_value() == DEMO_SECRET_KEY:
        raise ValueError("Set GATEWAY_SECRET_KEY outside demo mode: it signs the links to documents.")
    metrics = Metrics()
    log_format.stamp_request_context()
    own_provider = tracer_provider is None
    tracer_provider = tracer_provider or tracing.provider_from_environment()
    app = Starlette(
        routes=[Route("/healthz", healthz), Route("/readyz", readyz), Route("/metrics", metrics_endpoint)],
        lifespan=_lifespan,
        middleware=[
            Middleware(
                Edge,
                tracer=tracing.tracer_of(tracer_provider),
                max_body_bytes=settings.max_body_bytes,
                trusted_proxies=settings.trusted_proxies,
                cookie_name=settings.cookie_name,
            )
        ],
        exception_handlers=EXCEPTION_HANDLERS,
    )
    app.state.settings = settings
    app.state.metrics = metrics
    app.state.given_backends = backends
    app.state.clock = clock
    app.state.own_tracer_provider = tracer_provider if own_provider else None
    return app


@contextlib.asynccontextmanager
async def open_store(settings: Settings) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """The account store, migrated to the newest schema (and seeded in demo mode)."""
    engine = create_engine(settings.database_url)
    try:
        await wait_for_store(engine, for_seconds=settings.database_startup_seconds)
        await prepare(engine, demo=settings.demo)
        yield create_sessionmaker(engine)
    finally:
        await engine.dispose()


@contextlib.asynccontextmanager
async def _lifespan(app: Starlette) -> AsyncIterator[None]:
    settings: Settings = app.state.settings
    async with contextlib.AsyncExitStack() as stack:
        own_provider: TracerProvider | None = app.state.own_tracer_provider
        if own_provider is not None and hasattr(own_provider, "shutdown"):
            stack.callback(own_provider.shutdown)  # exports the spans still waiting in the batch
        store = await stack.enter_async_context(open_store(settings))
        metrics: Metrics = app.state.metrics
        redis = await stack.enter_async_context(
            open_redis(
                settings.redis_url,
                timeout=settings.redis_timeout,
                retry_after=settings.redis_retry_seconds,
                metrics=metrics,
            )
        )
        app.state.redis = redis
        cache = await stack.enter_async_context(open_cache(redis, stale_for=settings.cache_stale_seconds))
        app.state.cache = cache
        backends = app.state.given_backends or await stack.enter_async_context(
            open_backends(settings, cache=cache, metrics=metrics)
        )
        clock: Clock = app.state.clock
        throttle = open_throttle(redis, clock=lambda: clock().timestamp())
        hashing = PasswordHashing(
            threads=settings.password_hash_threads, queue=settings.password_hash_queue, metrics=metrics
        )
        stack.callback(hashing.close)
        budget = open_budget(redis, BudgetPolicy(settings.rate_limit_points, settings.rate_limit_refill))
        # Kept viewers: shared invalidation through Redis, else one process only (its docstring).
        viewers = SessionCache(redis) if redis is not None or settings.worker_processes == 1 else None
        if viewers is not None:
            viewers.watch(store.kw["bind"])
        services = Services(
            backends=backends,
            store=store,
            clock=app.state.clock,
            gate_closure=settings.gate_closure,
            throttle=throttle,
            passwords=hashing,
            outbox=DirectoryOutbox(settings.outbox_dir),
            metrics=metrics,
            budget=budget,
            idempotency_lease=dt.timedelta(seconds=settings.idempotency_lease_seconds),
            sessions=viewers,
        )
        app.state.services = services
        persisted_queries = open_persisted_queries(
            redis, manifest=settings.persisted_manifest, persisted_only=settings.persisted_only
        )
        metrics.know_operations(operation_names(persisted_queries.manifest.values()))
        responses = (
            open_responses(redis, max_bytes=settings.response_cache_bytes, clock=lambda: cache.clock())  # noqa: PLW0108 - tests replace it
            if settings.cache_enabled
            else None
        )
        app.state.responses = responses
        graphql = GatewayGraphQL(
            settings=settings, services=services, persisted_queries=persisted_queries, responses=responses
        )
        app.router.routes.extend(
            [
                Route("/graphql", graphql, methods=["GET", "POST"]),
                Route("/documents/{id}", document_endpoint, methods=["GET"]),
            ]
        )
        app.router.routes.extend(dashboard_routes(settings))  # before /static: 404 for its assets when off
        if STATIC_DIR.is_dir():  # GraphiQL's assets, when packed (README); else /static/... is 404
            app.router.routes.append(Mount("/static", StaticFiles(directory=STATIC_DIR), name="static"))
        log.info("gateway ready on http://%s:%d/graphql", settings.host, settings.port)
        # What startup built (the schema, SOAP clients, ORM mappers: some 190,000 objects the
        # GC tracks) lives as long as the process. Frozen, the cyclic GC stops walking it in
        # every full collection, which otherwise paused a request for about 100 ms every few
        # hundred requests. Unfrozen at shutdown, so an app that ends (tests) can be collected.
        gc.freeze()
        try:
            yield
        finally:
            gc.unfreeze()
