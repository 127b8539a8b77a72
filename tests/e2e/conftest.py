"""End to end: the app over HTTP (httpx's ASGI transport) against the simulators on real sockets.

The demo database is migrated and seeded once per session (Argon2 hashing is slow on
purpose), then copied for each test so every test starts from the same accounts.

Two back ends for the gateway's own state. ``embedded``: a SQLite file, and the cache,
throttle counters and persisted queries in process. ``servers`` (when
``GATEWAY_TEST_POSTGRES_URL`` and ``GATEWAY_TEST_REDIS_URL`` are set): PostgreSQL and
Redis, as in production. The modules of ``ON_SERVERS_TOO`` (sessions, throttling,
persisted queries, caching, idempotency and the two replicas, the documented guarantees) run
on both; their ``servers`` runs are marked ``servers`` (``pytest -m servers``). On the
servers each test gets its own database, created from a seeded template
(``CREATE DATABASE ... TEMPLATE``), and a flushed Redis database.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import os
import shutil
from collections.abc import AsyncIterator, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from redis.asyncio import Redis
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine
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


POSTGRES_URL = os.environ.get("GATEWAY_TEST_POSTGRES_URL")
REDIS_URL = os.environ.get("GATEWAY_TEST_REDIS_URL")
E2E_ON_SERVERS = os.environ.get("GATEWAY_TEST_E2E_ON_SERVERS", "1") != "0"  # make mutate: 0
# Not test_submit_requests: the simulators live for the session and the CRM files a request
# once per reference (derived from the user and the idempotency key), so a second run of the
# same keys would be answered with the first run's cases.
ON_SERVERS_TOO = {
    "test_sessions",
    "test_login",
    "test_persisted_queries",
    "test_caching",
    "test_response_cache",
    "test_session_cache",  # the viewer epoch in Redis, the store PostgreSQL
    "test_exactly_once",  # idempotency and the two replicas
    "test_crash_recovery",  # a gateway process SIGKILLed mid-submission
    "test_guarantees_end_to_end",
    "test_csrf_guard",
}
_databases = itertools.count()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """The modules of ``ON_SERVERS_TOO`` run on PostgreSQL and Redis as well, when both are set."""
    if "store_backend" not in metafunc.fixturenames or not (POSTGRES_URL and REDIS_URL and E2E_ON_SERVERS):
        return
    if metafunc.module.__name__.rpartition(".")[2] in ON_SERVERS_TOO:
        servers = pytest.param("servers", marks=pytest.mark.servers)
        metafunc.parametrize("store_backend", ["embedded", servers], indirect=True)


@pytest.fixture
def store_backend(request: pytest.FixtureRequest) -> str:
    return str(getattr(request, "param", "embedded"))


async def _administer(*statements: str) -> None:
    """Runs ``statements`` on the test server outside a transaction (CREATE / DROP DATABASE)."""
    assert POSTGRES_URL is not None
    engine = create_async_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            for statement in statements:
                await connection.execute(text(statement))
    finally:
        await engine.dispose()


async def _create_database(name: str, *, template: str | None = None) -> str:
    """A new database on the test server; its SQLAlchemy URL."""
    assert POSTGRES_URL is not None
    await _administer(
        f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
        f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""),
    )
    return make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)


async def _drop_database(name: str) -> None:
    await _administer(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def seeded_postgres_template() -> Iterator[str]:
    """A PostgreSQL database migrated and seeded once per session: the template of each test's."""
    name = f"gw_e2e_template_{os.getpid()}"

    async def seed() -> None:
        url = await _create_database(name)
        async with open_store(Settings(demo=True, database_url=url)):
            pass

    _run_apart(seed())
    yield name
    _run_apart(_drop_database(name))


def _run_apart(work: Coroutine[Any, Any, None]) -> None:
    """Runs ``work`` to its end in a thread of its own (a test's event loop may be running here)."""
    with ThreadPoolExecutor(max_workers=1) as thread:
        thread.submit(asyncio.run, work).result()


async def _flushed_redis() -> str:
    assert REDIS_URL is not None
    redis = Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        assert await redis.ping(), f"Redis at {REDIS_URL} does not answer"
        await redis.flushdb()
    finally:
        await redis.aclose()
    return REDIS_URL


def settings_in(
    directory: Path,
    *,
    simulators: dict[str, str],
    seeded_database: Path,
    database_url: str | None = None,
    redis_url: str | None = None,
) -> Settings:
    """Demo settings against the simulators: on a copy of the seeded SQLite database in
    ``directory``, or on ``database_url`` (and ``redis_url``) when given."""
    if database_url is None:
        database = directory / "gateway.db"
        shutil.copy(seeded_database, database)
        database_url = f"sqlite+aiosqlite:///{database}"
    return Settings(
        demo=True,
        database_url=database_url,
        redis_url=redis_url,
        billing_url=f"{simulators['billing']}/soap",
        crm_url=simulators["crm"],
        nomination_url=f"{simulators['nomination']}/soap",
        billing_timeout=2.0,
        crm_timeout=2.0,
        nomination_timeout=2.0,
        outbox_dir=directory / "outbox",
    )


@pytest.fixture
async def settings(
    simulators: dict[str, str],
    seeded_database: Path,
    tmp_path: Path,
    store_backend: str,
    request: pytest.FixtureRequest,
) -> AsyncIterator[Settings]:
    if store_backend == "embedded":
        yield settings_in(tmp_path, simulators=simulators, seeded_database=seeded_database)
        return
    template: str = request.getfixturevalue("seeded_postgres_template")
    name = f"gw_e2e_{os.getpid()}_{next(_databases)}"
    database_url = await _create_database(name, template=template)
    try:
        yield settings_in(
            tmp_path,
            simulators=simulators,
            seeded_database=seeded_database,
            database_url=database_url,
            redis_url=await _flushed_redis(),
        )
    finally:
        await _drop_database(name)


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
    # English: the tests read the messages as the code raises them; Czech, the default, has
    # its own (tests/e2e/test_languages.py).
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app), base_url="http://gateway.test", headers={"Accept-Language": "en"}
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
