from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import String, select
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.errors import NotFound
from gateway.passwords import hash_password
from gateway.permissions import StaffRole
from gateway.store.accounts import create_user, start_email_verification
from gateway.store.api_keys import create_api_key, list_api_keys, resolve_api_key, revoke_api_key, roles_of
from gateway.store.models import Base
from gateway.store.sessions import create_session

PASSWORD_HASH = hash_password("Demo-heslo-2026")
NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


async def test_a_new_key_resolves_until_revoked(session: AsyncSession) -> None:
    raw, key = await create_api_key(session, name="dashboard", roles=[StaffRole.SUPPORT], now=NOW)

    assert raw.startswith("gwk_")
    assert await resolve_api_key(session, raw_key=raw) is key
    assert await resolve_api_key(session, raw_key=raw + "x") is None

    await revoke_api_key(session, key_id=key.id, now=NOW + timedelta(days=1))

    assert await resolve_api_key(session, raw_key=raw) is None
    assert key.revoked_at == NOW + timedelta(days=1)


async def test_a_key_keeps_its_roles_once_each_in_a_fixed_order(session: AsyncSession) -> None:
    # given: roles given out of order and twice
    raw, _ = await create_api_key(
        session,
        name="finance desk",
        roles=[StaffRole.AUDITOR, StaffRole.FINANCE, StaffRole.AUDITOR],
        now=NOW,
    )
    await create_api_key(session, name="desk", roles=[StaffRole.SUPPORT], now=NOW)
    await session.commit()
    session.expunge_all()

    # when
    resolved = await resolve_api_key(session, raw_key=raw)
    listed = await list_api_keys(session)

    # then
    assert resolved is not None
    assert resolved.roles == ["FINANCE", "AUDITOR"]
    assert roles_of(resolved) == {StaffRole.FINANCE, StaffRole.AUDITOR}
    assert [(key.name, key.roles) for key in listed] == [
        ("finance desk", ["FINANCE", "AUDITOR"]),
        ("desk", ["SUPPORT"]),
    ]


async def test_a_key_without_a_role_is_refused(session: AsyncSession) -> None:
    with pytest.raises(ValueError, match="at least one role"):
        await create_api_key(session, name="nothing", roles=[], now=NOW)


async def test_a_stored_role_the_code_no_longer_knows_grants_nothing(session: AsyncSession) -> None:
    _, key = await create_api_key(session, name="old", roles=[StaffRole.SUPPORT], now=NOW)
    key.roles = ["SUPPORT", "RETIRED_ROLE"]

    assert roles_of(key) == {StaffRole.SUPPORT}


async def test_revoking_an_unknown_key_is_not_found(session: AsyncSession) -> None:
    with pytest.raises(NotFound):
        await revoke_api_key(session, key_id=424242, now=NOW)


async def test_two_keys_are_different(session: AsyncSession) -> None:
    first, _ = await create_api_key(session, name="a", roles=[StaffRole.SUPPORT], now=NOW)
    second, _ = await create_api_key(session, name="b", roles=[StaffRole.SUPPORT], now=NOW)

    assert first != second


async def test_no_raw_token_or_key_is_stored_anywhere(session: AsyncSession) -> None:
    # given: one of each secret the store hands out
    user = await create_user(
        session, login="novak", password_hash=PASSWORD_HASH, email="j@example.cz", now=NOW
    )
    session_token, _ = await create_session(
        session, user_id=user.id, now=NOW, absolute_timeout=timedelta(hours=1)
    )
    api_key, _ = await create_api_key(session, name="dashboard", roles=[StaffRole.SUPPORT], now=NOW)
    verification = await start_email_verification(
        session, user_id=user.id, email="j@example.cz", now=NOW, valid_for=timedelta(hours=1)
    )
    secrets = {session_token, api_key, verification, "Demo-heslo-2026"}
    await session.commit()

    # when: every text value of every table is read back
    stored: list[str] = []
    for table in Base.metadata.sorted_tables:
        text_columns = [column for column in table.columns if isinstance(column.type, String)]
        if text_columns:
            for row in (await session.execute(select(*text_columns))).all():
                stored.extend(str(value) for value in row if value is not None)

    # then
    assert stored, "the scan read nothing"
    assert not [value for value in stored if any(secret in value for secret in secrets)]
