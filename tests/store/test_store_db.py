from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from gateway.passwords import hash_password
from gateway.store.accounts import create_user
from gateway.store.audit import write_audit
from gateway.store.db import create_engine, create_sessionmaker, transaction
from gateway.store.models import ActorKind, AuditEntry, User

PASSWORD_HASH = hash_password("Demo-heslo-2026")
NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


async def test_sqlite_connections_enforce_foreign_keys_and_use_wal(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'nested' / 'gateway.db'}")
    try:
        async with engine.connect() as connection:
            foreign_keys = (await connection.execute(text("PRAGMA foreign_keys"))).scalar_one()
            journal_mode = (await connection.execute(text("PRAGMA journal_mode"))).scalar_one()
    finally:
        await engine.dispose()

    assert foreign_keys == 1
    assert journal_mode == "wal"
    assert (tmp_path / "nested" / "gateway.db").exists()


async def test_timestamps_come_back_aware_and_in_utc(session: AsyncSession) -> None:
    # given: a time given in Prague's winter offset
    prague_time = datetime(2026, 1, 15, 10, 30, 15, 123456, tzinfo=timezone(timedelta(hours=1)))
    await write_audit(session, now=prague_time, actor_kind=ActorKind.ANONYMOUS, actor_id=None, action="x")
    await session.commit()
    session.expunge_all()

    # when
    entry = (await session.execute(select(AuditEntry))).scalar_one()

    # then
    assert entry.at == prague_time
    assert entry.at.tzinfo is UTC
    assert entry.at.hour == 9


async def test_naive_timestamps_are_refused(session: AsyncSession) -> None:
    with pytest.raises(Exception, match="naive datetime"):
        await write_audit(
            session,
            now=datetime(2026, 1, 1, 12, 0),
            actor_kind=ActorKind.ANONYMOUS,
            actor_id=None,
            action="x",
        )


async def test_transaction_commits_on_success_and_rolls_back_on_error(engine: AsyncEngine) -> None:
    sessionmaker = create_sessionmaker(engine)
    async with transaction(sessionmaker) as session:
        await create_user(session, login="kept", password_hash=PASSWORD_HASH, email=None, now=NOW)

    async def fail_half_way() -> None:
        async with transaction(sessionmaker) as session:
            await create_user(session, login="dropped", password_hash=PASSWORD_HASH, email=None, now=NOW)
            raise RuntimeError("half-way")

    with pytest.raises(RuntimeError):
        await fail_half_way()

    async with sessionmaker() as session:
        logins = (await session.execute(select(User.login))).scalars().all()
    assert logins == ["kept"]
