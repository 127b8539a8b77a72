from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Column, Connection, Integer, MetaData, Table, inspect, text
from sqlalchemy.ext.asyncio import AsyncEngine

from gateway.permissions import StaffRole
from gateway.store.api_keys import roles_of
from gateway.store.db import create_sessionmaker
from gateway.store.migrate import downgrade_to, upgrade_to_head
from gateway.store.models import ApiKey, Base, CustomerAccess, User

pytestmark = pytest.mark.parametrize(
    "empty_database", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)


def _differences(connection: Connection, metadata: MetaData) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, metadata))


async def _diff_against(engine: AsyncEngine, metadata: MetaData) -> list[Any]:
    async with engine.connect() as connection:
        return await connection.run_sync(_differences, metadata)


async def _table_names(engine: AsyncEngine) -> set[str]:
    async with engine.connect() as connection:
        return await connection.run_sync(lambda sync: set(inspect(sync).get_table_names()))


async def test_the_migrated_schema_matches_the_models(empty_engine: AsyncEngine) -> None:
    # given
    await upgrade_to_head(empty_engine)

    # when
    differences = await _diff_against(empty_engine, Base.metadata)

    # then
    assert differences == []


async def test_the_comparison_notices_a_table_the_migrations_lack(empty_engine: AsyncEngine) -> None:
    # given: the models plus one table no migration creates
    await upgrade_to_head(empty_engine)
    extended = MetaData()
    for table in Base.metadata.sorted_tables:
        table.to_metadata(extended)
    Table("not_migrated", extended, Column("id", Integer, primary_key=True))

    # when
    differences = await _diff_against(empty_engine, extended)

    # then
    assert [difference[0] for difference in differences] == ["add_table"]


async def test_downgrade_removes_every_table_and_upgrade_restores_them(empty_engine: AsyncEngine) -> None:
    await upgrade_to_head(empty_engine)
    await downgrade_to(empty_engine, "base")
    after_downgrade = await _table_names(empty_engine)
    await upgrade_to_head(empty_engine)
    after_upgrade = await _table_names(empty_engine)

    assert after_downgrade == {"alembic_version"}
    assert after_upgrade == set(Base.metadata.tables) | {"alembic_version"}


async def test_upgrading_twice_is_harmless(empty_engine: AsyncEngine) -> None:
    await upgrade_to_head(empty_engine)
    await upgrade_to_head(empty_engine)

    assert await _diff_against(empty_engine, Base.metadata) == []


async def test_0002_gives_every_customer_number_owned_before_it_its_lock_row(
    empty_engine: AsyncEngine,
) -> None:
    # given: a store at 0001 with one owner, one revoked owner and one delegate
    await upgrade_to_head(empty_engine)
    await downgrade_to(empty_engine, "0001")
    at = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    users_now, grants = (
        Base.metadata.tables[User.__tablename__],
        Base.metadata.tables[CustomerAccess.__tablename__],
    )
    # the users table as 0001 made it (later revisions add columns with defaults of their own)
    users = sa.table(
        "users",
        *(
            sa.column(name, users_now.c[name].type)
            for name in ("id", "login", "login_key", "password_hash", "status", "created_at", "updated_at")
        ),
    )
    async with empty_engine.begin() as connection:
        await connection.execute(
            users.insert().values(
                id=1,
                login="novak",
                login_key="novak",
                password_hash="x",
                status="ACTIVE",
                created_at=at,
                updated_at=at,
            )
        )
        for number, role, revoked in (
            ("1000012345", "OWNER", None),
            ("1000023456", "OWNER", at),
            ("2000034567", "DELEGATE", None),
        ):
            await connection.execute(
                grants.insert().values(
                    user_id=1, customer_number=number, role=role, scopes=[], created_at=at, revoked_at=revoked
                )
            )

    # when
    await upgrade_to_head(empty_engine)

    # then
    async with empty_engine.connect() as connection:
        rows = (await connection.execute(text("SELECT customer_number FROM owned_customers"))).scalars().all()
    assert rows == ["1000012345"]


async def test_0005_gives_every_key_from_before_it_the_support_role(empty_engine: AsyncEngine) -> None:
    # given: a store at 0004 with a key, as a key was then: no roles
    await upgrade_to_head(empty_engine)
    await downgrade_to(empty_engine, "0004")
    at = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    keys_now = Base.metadata.tables[ApiKey.__tablename__]
    keys = sa.table(
        "api_keys",
        *(sa.column(name, keys_now.c[name].type) for name in ("id", "name", "key_hash", "created_at")),
    )
    async with empty_engine.begin() as connection:
        await connection.execute(
            keys.insert().values(id=1, name="dashboard", key_hash="0" * 64, created_at=at)
        )

    # when
    await upgrade_to_head(empty_engine)

    # then: it reads customers as before, and a new key must name its roles
    async with empty_engine.connect() as connection:
        stored = (await connection.execute(sa.select(keys_now.c.roles))).scalars().all()
    assert stored == [["SUPPORT"]]
    async with create_sessionmaker(empty_engine)() as session:
        key = await session.get(ApiKey, 1)
        assert key is not None
        assert roles_of(key) == {StaffRole.SUPPORT}
    with pytest.raises(sa.exc.IntegrityError):
        async with empty_engine.begin() as connection:
            await connection.execute(
                keys.insert().values(id=2, name="no roles", key_hash="1" * 64, created_at=at)
            )
