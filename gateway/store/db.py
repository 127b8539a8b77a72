"""Engine and session factory for the gateway's own database.

``sqlite+aiosqlite:///var/gateway.db`` by default (a file next to the working directory),
``postgresql+asyncpg://...`` in production: the same code runs on both.

Service functions in this package flush but never commit: the caller owns the
transaction (``transaction`` below, one per request or per mutation), so a multi-step
change such as merging accounts is all or nothing.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

DEFAULT_URL = "sqlite+aiosqlite:///var/gateway.db"


def _set_sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")  # wait for a writer instead of failing at once
    cursor.close()


def create_engine(url: str = DEFAULT_URL, **kwargs: Any) -> AsyncEngine:
    """An async engine for ``url``. For SQLite files, creates the parent directory and
    turns on foreign keys and write-ahead logging on every connection."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(parsed, **kwargs)
        event.listen(engine.sync_engine, "connect", _set_sqlite_pragmas)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_async_engine(parsed, **kwargs)


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    # expire_on_commit=False: objects stay readable after commit without lazy I/O.
    return async_sessionmaker(engine, expire_on_commit=False)


@asynccontextmanager
async def transaction(sessionmaker: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    """A session whose work is committed when the block ends normally and rolled back
    when it raises."""
    async with sessionmaker() as session, session.begin():
        yield session


@asynccontextmanager
async def connect(sessionmaker: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncConnection]:
    """A bare connection to the database of ``sessionmaker``, without an ORM session, rolled
    back when the block ends unless committed. For the read on every request's path
    (``gateway.sessions.authenticate_request``): there the ORM session's own work and its
    commit cost more than the query itself."""
    engine = sessionmaker.kw.get("bind")
    if not isinstance(engine, AsyncEngine):
        raise TypeError("the sessionmaker is not bound to an AsyncEngine")
    async with engine.connect() as connection:
        yield connection
