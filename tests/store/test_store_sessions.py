from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from gateway.domain.access import ALL_SCOPES, Scope
from gateway.errors import NotFound
from gateway.passwords import hash_password
from gateway.store.access import grant_delegate, grant_owner, list_customer_access
from gateway.store.accounts import create_user
from gateway.store.db import connect, create_sessionmaker, transaction
from gateway.store.models import AccessRole, User, UserSession, UserStatus
from gateway.store.sessions import (
    SessionViewer,
    create_session,
    resolve_session_viewer,
    revoke_all_sessions,
    revoke_session,
    set_active_customer,
)

PASSWORD_HASH = hash_password("Demo-heslo-2026")
NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
IDLE = timedelta(minutes=30)
ABSOLUTE = timedelta(hours=12)
MINUTE = timedelta(minutes=1)


async def _user(session: AsyncSession, login: str = "novak") -> User:
    return await create_user(session, login=login, password_hash=PASSWORD_HASH, email=None, now=NOW)


async def _viewer(
    session: AsyncSession,
    token: str,
    now: datetime,
    *,
    touch_after: timedelta = MINUTE,
    absolute_timeout: timedelta = ABSOLUTE,
) -> SessionViewer | None:
    await session.flush()
    return await resolve_session_viewer(
        await session.connection(),
        token=token,
        now=now,
        idle_timeout=IDLE,
        absolute_timeout=absolute_timeout,
        touch_after=touch_after,
    )


async def _resolve(
    session: AsyncSession, token: str, now: datetime, touch_after: timedelta = MINUTE
) -> int | None:
    """The id of the user whose live session ``token`` is, else None."""
    viewer = await _viewer(session, token, now, touch_after=touch_after)
    return None if viewer is None else viewer.user_id


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
    assert await _resolve(session, token, NOW + MINUTE) == user.id
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
        assert await _resolve(session, token, NOW + step * 20 * MINUTE) == user.id
    await session.refresh(user_session)
    assert user_session.last_seen_at == NOW + 60 * MINUTE


async def test_last_seen_is_written_at_most_once_per_touch_interval(session: AsyncSession) -> None:
    user = await _user(session)
    token, user_session = await create_session(session, user_id=user.id, now=NOW, absolute_timeout=ABSOLUTE)

    await _resolve(session, token, NOW + 30 * timedelta(seconds=1), touch_after=MINUTE)
    await session.refresh(user_session)
    assert user_session.last_seen_at == NOW
    await _resolve(session, token, NOW + 2 * MINUTE, touch_after=MINUTE)
    await session.refresh(user_session)
    assert user_session.last_seen_at == NOW + 2 * MINUTE


async def test_activity_does_not_extend_a_session_past_its_absolute_expiry(session: AsyncSession) -> None:
    user = await _user(session)
    token, _ = await create_session(session, user_id=user.id, now=NOW, absolute_timeout=ABSOLUTE)
    moment = NOW
    while moment + 20 * MINUTE < NOW + ABSOLUTE:
        moment += 20 * MINUTE
        assert await _resolve(session, token, moment) == user.id

    assert await _resolve(session, token, NOW + ABSOLUTE) is None


async def test_a_shorter_configured_absolute_timeout_also_ends_older_sessions(session: AsyncSession) -> None:
    user = await _user(session)
    token, _ = await create_session(session, user_id=user.id, now=NOW, absolute_timeout=ABSOLUTE)

    resolved = await _viewer(session, token, NOW + 2 * MINUTE, absolute_timeout=MINUTE)

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
    assert await _resolve(session, kept_token, NOW) == user.id
    assert await _resolve(session, other_token, NOW) == other_user.id
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

    resolved = await _viewer(session, token, NOW)
    assert resolved is not None
    assert resolved.active_customer_number == "1000012345"


async def test_the_session_viewer_carries_the_user_and_only_the_grants_valid_now(
    session: AsyncSession,
) -> None:
    owner = await _user(session, "novak")
    user = await _user(session, "poradce")
    await grant_owner(session, user_id=user.id, customer_number="1000099999", now=NOW)
    await grant_owner(session, user_id=owner.id, customer_number="1000012345", now=NOW)
    await grant_owner(session, user_id=owner.id, customer_number="1000023456", now=NOW)
    await grant_owner(session, user_id=owner.id, customer_number="1000034567", now=NOW)
    for number, expires_at in (("1000012345", NOW + 2 * MINUTE), ("1000023456", NOW + MINUTE)):
        await grant_delegate(
            session,
            owner_user_id=owner.id,
            delegate_login="poradce",
            customer_number=number,
            scopes=[Scope.VIEW_BILLING],
            expires_at=expires_at,
            consent_text="Souhlas.",
            now=NOW,
        )
    revoked = await grant_delegate(
        session,
        owner_user_id=owner.id,
        delegate_login="poradce",
        customer_number="1000034567",
        scopes=[Scope.VIEW_BILLING],
        expires_at=None,
        consent_text="Souhlas.",
        now=NOW,
    )
    revoked.revoked_at = NOW
    token, user_session = await create_session(
        session, user_id=user.id, now=NOW, absolute_timeout=ABSOLUTE, active_customer_number="1000099999"
    )

    viewer = await _viewer(session, token, NOW + MINUTE)

    assert viewer is not None
    assert (viewer.user_id, viewer.login, viewer.session_id) == (user.id, "poradce", user_session.id)
    assert viewer.active_customer_number == "1000099999"
    assert not viewer.email_verified
    # Owned first; the grant expiring at this very moment and the revoked one are gone.
    assert [(g.customer_number, g.role, g.scopes) for g in viewer.grants] == [
        ("1000099999", AccessRole.OWNER, ALL_SCOPES),
        ("1000012345", AccessRole.DELEGATE, frozenset({Scope.VIEW_BILLING})),
    ]
    assert viewer.grants == await list_customer_access(session, user_id=user.id, now=NOW + MINUTE)


async def test_the_session_viewer_of_a_user_without_grants_has_none(session: AsyncSession) -> None:
    user = await _user(session)
    token, _ = await create_session(session, user_id=user.id, now=NOW, absolute_timeout=ABSOLUTE)

    viewer = await _viewer(session, token, NOW)

    assert viewer is not None
    assert (viewer.user_id, viewer.grants) == (user.id, [])


async def test_the_session_viewer_ends_when_the_session_does(session: AsyncSession) -> None:
    user = await _user(session)
    other = await _user(session, "svobodova")
    idle, _ = await create_session(session, user_id=user.id, now=NOW, absolute_timeout=ABSOLUTE)
    logged_out, _ = await create_session(session, user_id=user.id, now=NOW, absolute_timeout=ABSOLUTE)
    await revoke_session(session, token=logged_out, now=NOW)
    cancelled, _ = await create_session(session, user_id=other.id, now=NOW, absolute_timeout=ABSOLUTE)
    other.status = UserStatus.CANCELLED

    assert await _viewer(session, idle, NOW + IDLE) is None
    assert await _viewer(session, idle, NOW + IDLE - MINUTE) is not None
    assert await _viewer(session, logged_out, NOW) is None
    assert await _viewer(session, cancelled, NOW) is None
    assert await _viewer(session, idle + "x", NOW) is None


async def test_the_session_viewer_writes_last_seen_at_most_once_per_touch_interval(
    session: AsyncSession,
) -> None:
    user = await _user(session)
    token, user_session = await create_session(session, user_id=user.id, now=NOW, absolute_timeout=ABSOLUTE)

    first = await _viewer(session, token, NOW + 30 * timedelta(seconds=1))
    second = await _viewer(session, token, NOW + 2 * MINUTE)

    assert first is not None and not first.touched
    assert second is not None and second.touched
    stored = await session.scalar(select(UserSession.last_seen_at).where(UserSession.id == user_session.id))
    assert stored == NOW + 2 * MINUTE
    # The touch keeps the session alive past the idle timeout counted from its start.
    assert await _viewer(session, token, NOW + IDLE + MINUTE) is not None


async def test_a_touch_on_a_bare_connection_is_kept_only_when_committed(engine: AsyncEngine) -> None:
    sessionmaker = create_sessionmaker(engine)
    async with transaction(sessionmaker) as session:
        user = await _user(session)
        token, user_session = await create_session(
            session, user_id=user.id, now=NOW, absolute_timeout=ABSOLUTE
        )

    async def touch(*, commit: bool, now: datetime) -> None:
        async with connect(sessionmaker) as connection:
            viewer = await resolve_session_viewer(
                connection, token=token, now=now, idle_timeout=IDLE, absolute_timeout=ABSOLUTE
            )
            assert viewer is not None and viewer.touched
            if commit:
                await connection.commit()

    async def last_seen() -> datetime | None:
        async with sessionmaker() as session:
            return await session.scalar(
                select(UserSession.last_seen_at).where(UserSession.id == user_session.id)
            )

    await touch(commit=False, now=NOW + 2 * MINUTE)
    assert await last_seen() == NOW
    await touch(commit=True, now=NOW + 3 * MINUTE)
    assert await last_seen() == NOW + 3 * MINUTE
