"""Every store test runs on SQLite (a temporary file) and, when
``GATEWAY_TEST_POSTGRES_URL`` is set, on PostgreSQL in a schema of its own.

The schema is migrated once per run with the real Alembic migrations; each test then
starts from empty tables. If the variable is set and the server does not answer, the
PostgreSQL tests fail (they are never skipped silently).
"""

from __future__ import annotations

import asyncio
import os
import secrets
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher, Type
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from gateway import passwords
from gateway.store.db import create_engine, create_sessionmaker
from gateway.store.migrate import upgrade_to_head
from gateway.store.models import Base

POSTGRES_URL_VARIABLE = "GATEWAY_TEST_POSTGRES_URL"
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@dataclass(frozen=True)
class Database:
    """Where one backend's test database lives and how to reach it."""

    backend: str
    url: str
    engine_options: dict[str, Any] = field(default_factory=dict)

    def engine(self) -> AsyncEngine:
        return create_engine(self.url, **self.engine_options)


def _postgres_url_or_skip() -> str:
    url = os.environ.get(POSTGRES_URL_VARIABLE)
    if not url:
        pytest.skip(f"{POSTGRES_URL_VARIABLE} is not set")
    return url


async def _create_schema(url: str, schema: str) -> None:
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    finally:
        await engine.dispose()


async def _drop_schema(url: str, schema: str) -> None:
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    finally:
        await engine.dispose()


@pytest.fixture
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A database with no tables at all, of the backend named by the test's ``backend``
    parameter; PostgreSQL gets a fresh schema, dropped afterwards."""
    backend: str = request.param
    if backend == "sqlite":
        yield Database(backend, f"sqlite+aiosqlite:///{tmp_path / 'gateway.db'}")
        return
    url = _postgres_url_or_skip()
    schema = f"gw_test_{os.getpid()}_{secrets.token_hex(4)}"
    try:
        asyncio.run(_create_schema(url, schema))
    except (OSError, ConnectionError) as error:
        pytest.fail(f"{POSTGRES_URL_VARIABLE} is set but PostgreSQL does not answer: {error!r}")
    try:
        yield Database(backend, url, {"connect_args": {"server_settings": {"search_path": schema}}})
    finally:
        asyncio.run(_drop_schema(url, schema))


@pytest.fixture
async def empty_engine(empty_database: Database) -> AsyncIterator[AsyncEngine]:
    engine = empty_database.engine()
    yield engine
    await engine.dispose()


async def _migrate(database: Database) -> None:
    engine = database.engine()
    try:
        await upgrade_to_head(engine)
    finally:
        await engine.dispose()


@pytest.fixture(scope="session", params=BACKENDS)
def migrated_database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Database]:
    """One migrated database per backend for the whole run."""
    backend: str = request.param
    if backend == "sqlite":
        database = Database(backend, f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('store') / 'gateway.db'}")
        asyncio.run(_migrate(database))
        yield database
        return
    url = _postgres_url_or_skip()
    schema = f"gw_test_{os.getpid()}_{secrets.token_hex(4)}"
    try:
        asyncio.run(_create_schema(url, schema))
    except (OSError, ConnectionError) as error:
        pytest.fail(f"{POSTGRES_URL_VARIABLE} is set but PostgreSQL does not answer: {error!r}")
    database = Database(backend, url, {"connect_args": {"server_settings": {"search_path": schema}}})
    try:
        asyncio.run(_migrate(database))
        yield database
    finally:
        asyncio.run(_drop_schema(url, schema))


@pytest.fixture
async def engine(migrated_database: Database) -> AsyncIterator[AsyncEngine]:
    """The run's migrated database, emptied before the test."""
    engine = migrated_database.engine()
    async with engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            await connection.execute(table.delete())
    yield engine
    await engine.dispose()


@pytest.fixture
async def session(engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    async with create_sessionmaker(engine)() as session:
        yield session


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch: pytest.MonkeyPatch) -> Iterator[PasswordHasher]:
    """Argon2id with small parameters: the store's behaviour is the same, the suite fast.
    (tests/test_passwords.py exercises the real parameters.)"""
    hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1, type=Type.ID)
    monkeypatch.setattr(passwords, "HASHER", hasher)
    passwords.dummy_hash.cache_clear()
    yield hasher
    passwords.dummy_hash.cache_clear()
