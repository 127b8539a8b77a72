"""Login sessions: one row per browser cookie or bearer token.

The raw token goes to the client once (``create_session``); the database keeps only its
SHA-256 hash. A session ends when revoked (logout, password change, merge), when idle
longer than the idle timeout, or when older than the absolute timeout.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from gateway import tokens
from gateway.errors import NotFound
from gateway.store.access import access_for
from gateway.store.models import User, UserSession, UserStatus

# ``last_seen_at`` is written at most this often, so reads do not each cost a write;
# a session may therefore end up to this much before its exact idle deadline.
DEFAULT_TOUCH_AFTER = timedelta(seconds=30)


@dataclass(frozen=True, slots=True)
class ResolvedSession:
    session: UserSession
    user: User


async def create_session(
    session: AsyncSession,
    *,
    user_id: int,
    now: datetime,
    absolute_timeout: timedelta,
    active_customer_number: str | None = None,
    user_agent: str | None = None,
    client_address: str | None = None,
) -> tuple[str, UserSession]:
    """A new session and its raw token, which is returned only here and never stored."""
    raw = tokens.new_token()
    user_session = UserSession(
        token_hash=tokens.hash_token(raw),
        user_id=user_id,
        active_customer_number=active_customer_number,
        created_at=now,
        last_seen_at=now,
        expires_at=now + absolute_timeout,
        user_agent=user_agent[:512] if user_agent else None,
        client_address=client_address[:64] if client_address else None,
    )
    session.add(user_session)
    await session.flush()
    return raw, user_session


async def resolve_session(
    session: AsyncSession,
    *,
    token: str,
    now: datetime,
    idle_timeout: timedelta,
    absolute_timeout: timedelta,
    touch_after: timedelta = DEFAULT_TOUCH_AFTER,
) -> ResolvedSession | None:
    """The live session of this raw token and its ACTIVE user, else None.

    Both the ``expires_at`` fixed at creation and ``absolute_timeout`` measured from
    ``created_at`` apply, so shortening the configured lifetime also ends older sessions.
    """
    query = (
        select(UserSession, User)
        .join(User, User.id == UserSession.user_id)
        .where(
            UserSession.token_hash == tokens.hash_token(token),
            UserSession.revoked_at.is_(None),
            UserSession.expires_at > now,
            UserSession.created_at > now - absolute_timeout,
            UserSession.last_seen_at > now - idle_timeout,
            User.status == UserStatus.ACTIVE,
        )
    )
    row = (await session.execute(query)).one_or_none()
    if row is None:
        return None
    user_session, user = row
    if now - user_session.last_seen_at >= touch_after:
        user_session.last_seen_at = now
        await session.flush()
    return ResolvedSession(session=user_session, user=user)


async def revoke_session(session: AsyncSession, *, token: str, now: datetime) -> bool:
    """Logout: end the session of this raw token. False when there was no live one."""
    result = await session.execute(
        update(UserSession)
        .where(UserSession.token_hash == tokens.hash_token(token), UserSession.revoked_at.is_(None))
        .values(revoked_at=now)
        .returning(UserSession.id)
    )
    return result.scalar_one_or_none() is not None


async def revoke_all_sessions(
    session: AsyncSession, *, user_id: int, now: datetime, except_session_id: int | None = None
) -> int:
    """End every session of the user (but ``except_session_id``); returns how many."""
    query = update(UserSession).where(UserSession.user_id == user_id, UserSession.revoked_at.is_(None))
    if except_session_id is not None:
        query = query.where(UserSession.id != except_session_id)
    result = await session.execute(query.values(revoked_at=now).returning(UserSession.id))
    return len(result.scalars().all())


async def set_active_customer(
    session: AsyncSession, *, session_id: int, customer_number: str, now: datetime
) -> UserSession:
    """Switch the customer number the portal shows in this session. ``NotFound`` when the
    session's user may not see that number."""
    user_session = await session.get(UserSession, session_id)
    if user_session is None or user_session.revoked_at is not None:
        raise NotFound
    if (
        await access_for(session, user_id=user_session.user_id, customer_number=customer_number, now=now)
        is None
    ):
        raise NotFound
    user_session.active_customer_number = customer_number
    await session.flush()
    return user_session
