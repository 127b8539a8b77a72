"""Bringing the store to where the gateway can serve: the migrations, and in demo mode the demo data.

Several processes may start at once on one database: the workers of ``gateway serve``, the
replicas of a deployment. On PostgreSQL each takes its turn under one advisory lock (held
to the end of its transaction), so each migration runs once and the demo accounts are made
once; the others find the work done. SQLite serves one host: there ``gateway serve``
prepares the store in its parent process before it starts the workers, which then find it
ready (``seed_demo`` only reads what exists).
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from gateway.store.db import create_engine, create_sessionmaker, transaction
from gateway.store.demo import seed_demo
from gateway.store.migrate import take_turn, upgrade_to_head


async def prepare(engine: AsyncEngine, *, demo: bool) -> None:
    await upgrade_to_head(engine)
    if demo:
        async with transaction(create_sessionmaker(engine)) as session:
            await take_turn(session)
            await seed_demo(session)


async def prepare_database(url: str, *, demo: bool) -> None:
    """``prepare`` with an engine of its own (``gateway serve``'s parent process)."""
    engine = create_engine(url)
    try:
        await prepare(engine, demo=demo)
    finally:
        await engine.dispose()
