"""Engine and session factory for the gateway's own database.

``sqlite+aiosqlite:///var/gateway.db`` by default (a file next to the working directory),
``postgresql+asyncpg://...`` in production: the same code runs on both.

Service functions in this package flush but never commit: the caller owns the
transaction (``transaction`` below, one per request or per mutation), so a multi-step
change such as merging accounts is all or nothing.

A database that does not answer (refused, reset, timed out, gone mid-transaction) raises
``StoreUnavailable`` from ``transaction`` and ``connect``: the client gets the retryable
``SERVICE_UNAVAILABLE``, and the next request tries again (the pool pings a connection before
using it), so the gateway recovers by itself. At start-up ``wait_for_store`` tries for a while,
with back-off, before giving up with ``StoreUnreachable``.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event, exc, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from gateway.errors import StoreUnavailable

log = logging.getLogger("gateway.store")

DEFAULT_URL = "sqlite+aiosqlite:///var/gateway.db"
CONNECT_TIMEOUT = 5.0  # seconds for PostgreSQL to accept a connection (asyncpg's default: 60)
# The database gone while in use: a connection lost or a database locked, no pooled
# connection in time. (Refused or timed out while connecting: raw OSError from asyncpg.)
LOST = (exc.OperationalError, exc.InterfaceError, exc.TimeoutError)
_LOG_EVERY = 10.0
_last_logged = -_LOG_EVERY


class StoreUnreachable(Exception):
    """The database did not answer at start-up, however long the gateway tried."""


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
    if parsed.get_backend_name() == "postgresql":
        kwargs["connect_args"] = {"timeout": CONNECT_TIMEOUT, **kwargs.get("connect_args", {})}
    return create_async_engine(parsed, **kwargs)


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    # expire_on_commit=False: objects stay readable after commit without lazy I/O.
    return async_sessionmaker(engine, expire_on_commit=False)


def _lost(error: exc.SQLAlchemyError) -> bool:
    return isinstance(error, LOST) or (isinstance(error, exc.DBAPIError) and error.connection_invalidated)


def _unavailable(error: BaseException) -> StoreUnavailable:
    global _last_logged  # noqa: PLW0603 - one line per outage's stretch of 10 s, not one per request
    if time.monotonic() - _last_logged >= _LOG_EVERY:
        _last_logged = time.monotonic()
        log.warning("store: the database does not answer (%s); answering SERVICE_UNAVAILABLE", _reason(error))
    return StoreUnavailable()


def _reason(error: BaseException) -> str:
    original = error.orig if isinstance(error, exc.DBAPIError) and error.orig is not None else error
    return f"{type(original).__name__}: {str(original).splitlines()[0] if str(original) else ''}".rstrip(": ")


@asynccontextmanager
async def transaction(sessionmaker: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    """A session whose work is committed when the block ends normally and rolled back
    when it raises. ``StoreUnavailable`` when the database does not answer."""
    async with sessionmaker() as session:
        try:
            async with session.begin():
                await _reach(session.connection)  # now: a refusal is the store's, not the block's
                yield session
        except exc.SQLAlchemyError as error:
            if _lost(error):
                raise _unavailable(error) from error
            raise


async def _reach(connect: Callable[[], Awaitable[object]]) -> None:
    try:
        await connect()
    except (OSError, TimeoutError, exc.SQLAlchemyError) as error:
        raise _unavailable(error) from error


@asynccontextmanager
async def connect(sessionmaker: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncConnection]:
    """A bare connection to the database of ``sessionmaker``, without an ORM session, rolled
    back when the block ends unless committed. For the read on every request's path
    (``gateway.sessions.authenticate_request``): there the ORM session's own work and its
    commit cost more than the query itself."""
    engine = sessionmaker.kw.get("bind")
    if not isinstance(engine, AsyncEngine):
        raise TypeError("the sessionmaker is not bound to an AsyncEngine")
    connected = False
    try:
        async with engine.connect() as connection:
            connected = True
            yield connection
    except (OSError, TimeoutError) as error:
        if connected:
            raise
        raise _unavailable(error) from error
    except exc.SQLAlchemyError as error:
        if not connected or _lost(error):
            raise _unavailable(error) from error
        raise


async def wait_for_store(
    engine: AsyncEngine, *, for_seconds: float, sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
) -> None:
    """Return once the database answers; until then try again with back-off (0.5 s, doubling
    to 5 s), a log line per failed try; ``StoreUnreachable`` after ``for_seconds``."""
    where = engine.url.render_as_string(hide_password=True)
    deadline = time.monotonic() + for_seconds
    delay, attempt = 0.5, 1
    while True:
        try:
            async with engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        except (OSError, TimeoutError, exc.SQLAlchemyError) as error:
            left = deadline - time.monotonic()
            if left <= 0:
                raise StoreUnreachable(
                    f"the database at {where} does not answer ({_reason(error)}); tried {attempt} times "
                    f"in {for_seconds:g} s (GATEWAY_DATABASE_STARTUP_SECONDS)"
                ) from None
            wait = min(delay, left)
            log.warning(
                "store: the database at %s does not answer (%s); try %d, next in %.1f s",
                where,
                _reason(error),
                attempt,
                wait,
            )
            await sleep(wait)
            delay, attempt = min(delay * 2, 5.0), attempt + 1
        else:
            if attempt > 1:
                log.info("store: the database at %s answers after %d tries", where, attempt)
            return
