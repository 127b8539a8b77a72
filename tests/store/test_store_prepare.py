"""Replicas starting at once on one fresh PostgreSQL database: each migration runs once and
the demo accounts are made once; every replica starts."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select

from gateway.store.demo import DEMO_KEYS, DEMO_USERS
from gateway.store.models import ApiKey, User
from gateway.store.prepare import prepare
from tests.store.conftest import Database

pytestmark = pytest.mark.parametrize(
    "empty_database", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)


async def test_three_replicas_preparing_one_fresh_database_at_once_all_start(
    empty_database: Database,
) -> None:
    # given three replicas' engines on a database with no tables
    engines = [empty_database.engine() for _ in range(3)]
    try:
        # when they all migrate and seed at the same time
        results = await asyncio.gather(
            *(prepare(engine, demo=True) for engine in engines), return_exceptions=True
        )

        # then none failed, and there is one of each demo account
        assert results == [None, None, None]
        async with engines[0].connect() as connection:
            users = (await connection.execute(select(User.login, func.count()).group_by(User.login))).all()
            keys = (await connection.execute(select(func.count()).select_from(ApiKey))).scalar_one()
        assert sorted(users) == sorted((demo.login, 1) for demo in DEMO_USERS)
        assert keys == len(DEMO_KEYS)
    finally:
        for engine in engines:
            await engine.dispose()
