"""End to end: the app over HTTP (httpx's ASGI transport) against the simulators on real sockets.

The demo database is migrated and seeded once per session (Argon2 hashing is slow on
purpose), then copied for each test so every test starts from the same accounts.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from fixtures.billing.app import create_app as create_billing
from fixtures.crm.app import create_app as create_crm
from fixtures.nomination.app import create_app as create_nomination
from fixtures.server import serve_in_thread
from gateway.app import create_app, open_store
from gateway.config import Settings
from tests.e2e.client import GraphQLClient


@pytest.fixture(scope="session")
def simulators() -> Iterator[dict[str, str]]:
    with (
        serve_in_thread(create_billing()) as billing,
        serve_in_thread(create_crm()) as crm,
        serve_in_thread(create_nomination()) as nomination,
    ):
        yield {"billing": billing, "crm": crm, "nomination": nomination}


@pytest.fixture(scope="session")
def seeded_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("store") / "seeded.db"
    settings = Settings(demo=True, database_url=f"sqlite+aiosqlite:///{path}")

    async def seed() -> None:
        async with open_store(settings):
            pass

    asyncio.run(seed())
    return path


def settings_in(directory: Path, *, simulators: dict[str, str], seeded_database: Path) -> Settings:
    """Demo settings on a copy of the seeded database in ``directory``, against the simulators."""
    database = directory / "gateway.db"
    shutil.copy(seeded_database, database)
    return Settings(
        demo=True,
        database_url=f"sqlite+aiosqlite:///{database}",
        billing_url=f"{simulators['billing']}/soap",
        crm_url=simulators["crm"],
        nomination_url=f"{simulators['nomination']}/soap",
        billing_timeout=2.0,
        crm_timeout=2.0,
        nomination_timeout=2.0,
        outbox_dir=directory / "outbox",
    )


@pytest.fixture
def settings(simulators: dict[str, str], seeded_database: Path, tmp_path: Path) -> Settings:
    return settings_in(tmp_path, simulators=simulators, seeded_database=seeded_database)


class SettableClock:
    """The gateway's "now": real time until a test fixes it with ``set``."""

    def __init__(self) -> None:
        self.fixed: dt.datetime | None = None

    def set(self, now: dt.datetime) -> None:
        self.fixed = now

    def __call__(self) -> dt.datetime:
        return self.fixed if self.fixed is not None else dt.datetime.now(dt.UTC)


@pytest.fixture
def clock() -> SettableClock:
    return SettableClock()


@pytest.fixture
async def app(settings: Settings, clock: SettableClock) -> AsyncIterator[Starlette]:
    app = create_app(settings, clock=clock)
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app), base_url="http://gateway.test"
    ) as client:
        yield client


@pytest.fixture(autouse=True)
def _reset_simulators(simulators: dict[str, str]) -> Iterator[None]:
    yield
    for base in simulators.values():
        httpx.delete(f"{base}/__sim/faults")


@pytest.fixture
def gql(client: httpx.AsyncClient) -> GraphQLClient:
    return GraphQLClient(client)
