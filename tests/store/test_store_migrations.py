from __future__ import annotations

from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Column, Connection, Integer, MetaData, Table, inspect
from sqlalchemy.ext.asyncio import AsyncEngine

from gateway.store.migrate import downgrade_to, upgrade_to_head
from gateway.store.models import Base

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
