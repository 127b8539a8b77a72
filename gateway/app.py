"""The Starlette application factory."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.applications import Starlette
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from gateway.adapters.connect import open_backends
from gateway.config import Settings
from gateway.http.graphql import STATIC_DIR, GatewayGraphQL
from gateway.http.health import healthz, readyz
from gateway.services import Backends, Services
from gateway.store.db import create_engine, create_sessionmaker, transaction
from gateway.store.demo import seed_demo
from gateway.store.migrate import upgrade_to_head

log = logging.getLogger("gateway")


def create_app(settings: Settings | None = None, *, backends: Backends | None = None) -> Starlette:
    """The gateway. ``backends`` replaces the real adapters (tests give fakes or wrapped ones)."""
    settings = settings or Settings()
    app = Starlette(routes=[Route("/healthz", healthz), Route("/readyz", readyz)], lifespan=_lifespan)
    app.state.settings = settings
    app.state.given_backends = backends
    return app


@contextlib.asynccontextmanager
async def open_store(settings: Settings) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """The account store, migrated to the newest schema (and seeded in demo mode)."""
    engine = create_engine(settings.database_url)
    try:
        await upgrade_to_head(engine)
        sessionmaker = create_sessionmaker(engine)
        if settings.demo:
            async with transaction(sessionmaker) as session:
                await seed_demo(session)
        yield sessionmaker
    finally:
        await engine.dispose()


@contextlib.asynccontextmanager
async def _lifespan(app: Starlette) -> AsyncIterator[None]:
    settings: Settings = app.state.settings
    async with contextlib.AsyncExitStack() as stack:
        store = await stack.enter_async_context(open_store(settings))
        backends = app.state.given_backends or await stack.enter_async_context(open_backends(settings))
        services = Services(backends=backends, store=store)
        app.state.services = services
        graphql = GatewayGraphQL(settings=settings, services=services)
        app.router.routes.extend(
            [
                Route("/graphql", graphql, methods=["GET", "POST"]),
                Mount("/static", StaticFiles(directory=STATIC_DIR, check_dir=False), name="static"),
            ]
        )
        log.info("gateway ready on http://%s:%d/graphql", settings.host, settings.port)
        yield
