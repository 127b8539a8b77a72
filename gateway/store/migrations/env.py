"""Alembic environment for the gateway store.

Two ways in: ``gateway.store.migrate`` hands over an open connection in
``config.attributes["connection"]`` (the application's async engine, run through
``run_sync``); the command line gives a URL and this module opens an async engine itself.
"""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy import Connection

from gateway.store.db import DEFAULT_URL, create_engine
from gateway.store.models import Base

config = context.config
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # ALTER TABLE on SQLite
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_with_own_engine() -> None:
    engine = create_engine(config.get_main_option("sqlalchemy.url") or DEFAULT_URL)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_run)
            await connection.commit()
    finally:
        await engine.dispose()


def _run_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url") or DEFAULT_URL,
        target_metadata=target_metadata,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    _run_offline()
elif (shared := config.attributes.get("connection")) is not None:
    _run(shared)
else:
    asyncio.run(_run_with_own_engine())
