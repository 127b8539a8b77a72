from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.errors import NotFound
from gateway.store.access import grant_owner
from gateway.store.accounts import create_user
from gateway.store.models import User, UserSession, UserStatus
from gateway.store.sessions import (
    create_session,
    resolve_session,
    revoke_all_sessions,
    revoke_session,
    set_active_customer,
)

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
IDLE = timedelta(minutes=30)
ABSOLUTE = timedelta(hours=12)
MINUTE = timedelta(minutes=1)


async def _user(session: AsyncSession, login: str = "novak") -> User:
    return await create_user(session, login=login, password="Demo-heslo-2026", email=None, now=NOW)


async def _resolve(
    session: AsyncSession, token: str, now: datetime, touch_after: timedelta = MINUTE
) -> User | None:
    resolved = await resolve_session(
        session, token=token, now=now, idle_timeout=IDLE, absolute_timeout=ABSOLUTE, touch_after=touch_after
    )
    return None if resolved is None else resolved.user


async def test_a_new_session_resolves_to_its_user_and_stores_only_the_token_hash(
    session: AsyncSession,
) -> None:
    user = await _user(session)

    token, user_session = await create_session(
        session,
        user_id=user.id,
        now=NOW,
        absolute_timeout=ABSOLUTE,
        user_agent="Mozilla/5.0" + "x" * 1000,
        client_address="192.0.2.10",
    )
    await session.commit()

    stored = (await session.execute(select(UserSession))).scalar_one()
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in {stored.token_hash, stored.user_agent, stored.client_address}
    assert len(token) >= 43
    assert stored.expires_at == NOW + ABSOLUTE
    assert stored.user_agent is not None
    assert len(stored.user_agent) == 512
    assert await _resolve(session, token, NOW + MINUTE) is user
    assert user_session.id == stored.id


async def test_an_unknown_token_resolves_to_nothing(session: AsyncSession) -> None:
    user = await _user(session)
    token, _ = await create_session(session, user_id=user.id, now=NOW, absolute_timeout=ABSOLUTE)

    assert await _resolve(session, token + "x", NOW) is None
    assert await _resolve(session, "", NOW) is None


async def test_a_session_idle_longer_than_the_idle_timeout_ends(session: AsyncSession) -> None:
    user = await _user(session)
    token, _ = await create_session(session, user_id=user.id, now=NOW, absolute_timeout=ABSOLUTE)

    assert await _resolve(session, token, NOW + IDLE) is None


async def test_activity_keeps_a_session_alive_and_updates_last_seen(session: AsyncSession) -> None:
    user = await _user(session)
    token, user_session = await create_session(session, user_id=user.id, now=NOW, absolute_timeout=ABSOLUTE)

    # Requests every 20 minutes keep it alive past the 30-minute idle timeout.
    for step in range(1, 4):
        assert await _resolve(session, token, NOW + step * 20 * MINUTE) is user
    assert user_session.last_seen_at == NOW + 60 * MINUTE


async def test_last_seen_is_written_at_most_once_per_touch_interval(session: AsyncSession) -> None:
    user = await _user(session)
    token, user_session = await create_session(session, user_id=user.id, now=NOW, absolute_timeout=ABSOLUTE)

    await _resolve(session, token, NOW + 30 * timedelta(seconds=1), touch_after=MINUTE)
    assert user_session.last_seen_at == NOW
    await _resolve(session, token, NOW + 2 * MINUTE, touch_after=MINUTE)
    assert user_session.last_seen_at == NOW + 2 * MINUTE


async def test_activity_does_not_extend_a_session_past_its_absolute_expiry(session: AsyncSession) -> None:
    user = await _user(session)
    token, _ = await create_session(session, user_id=user.id, now=NOW, absolute_timeout=ABSOLUTE)
    moment = NOW
    while moment + 20 * MINUTE < NOW + ABSOLUTE:
        moment += 20 * MINUTE
        assert await _resolve(session, token, moment) is user

    assert await _resolve(session, token, NOW + ABSOLUTE) is None


async def test_a_shorter_configured_absolute_timeout_also_ends_older_sessions(session: AsyncSession) -> None:
    user = await _user(session)
    token, _ = await create_session(session, user_id=user.id, now=NOW, absolute_timeout=ABSOLUTE)

    resolved = await resolve_session(
        session, token=token, now=NOW + 2 * MINUTE, idle_timeout=IDLE, absolute_timeout=MINUTE
    )

    assert resolved is None


async def test_logout_revokes_the_session(session: AsyncSession) -> None:
    user = await _user(session)
    token, _ = await create_session(session, user_id=user.id, now=NOW, absolute_timeout=ABSOLUTE)

    assert await revoke_session(session, token=token, now=NOW + MINUTE) is True
    assert await _resolve(session, token, NOW + MINUTE) is None
    assert await revoke_session(session, token=token, now=NOW + MINUTE) is False


async def test_revoke_all_sessions_ends_every_session_of_the_user_but_the_kept_one(
    session: AsyncSession,
) -> None:
    user = await _user(session)
    other_user = await _user(session, "svobodova")
    tokens = [
        (await create_session(session, user_id=user.id, now=NOW, absolute_timeout=ABSOLUTE))[0]
        for _ in range(3)
    ]
    kept_token, kept = await create_session(session, user_id=user.id, now=NOW, absolute_timeout=ABSOLUTE)
    other_token, _ = await create_session(session, user_id=other_user.id, now=NOW, absolute_timeout=ABSOLUTE)

    revoked = await revoke_all_sessions(session, user_id=user.id, now=NOW, except_session_id=kept.id)

    assert revoked == 3
    assert [await _resolve(session, token, NOW) for token in tokens] == [None, None, None]
    assert await _resolve(session, kept_token, NOW) is user
    assert await _resolve(session, other_token, NOW) is other_user
    assert await revoke_all_sessions(session, user_id=user.id, now=NOW) == 1


async def test_a_cancelled_users_session_resolves_to_nothing(session: AsyncSession) -> None:
    user = await _user(session)
    token, _ = await create_session(session, user_id=user.id, now=NOW, absolute_timeout=ABSOLUTE)
    user.status = UserStatus.CANCELLED
    await session.flush()

    assert await _resolve(session, token, NOW) is None


async def test_the_active_customer_can_only_be_one_the_user_may_see(session: AsyncSession) -> None:
    user = await _user(session)
    await grant_owner(session, user_id=user.id, customer_number="1000012345", now=NOW)
    token, user_session = await create_session(session, user_id=user.id, now=NOW, absolute_timeout=ABSOLUTE)

    await set_active_customer(session, session_id=user_session.id, customer_number="1000012345", now=NOW)
    with pytest.raises(NotFound):
        await set_active_customer(session, session_id=user_session.id, customer_number="1000023456", now=NOW)

    resolved = await resolve_session(
        session, token=token, now=NOW, idle_timeout=IDLE, absolute_timeout=ABSOLUTE
    )
    assert resolved is not None
    assert resolved.session.active_customer_number == "1000012345"
