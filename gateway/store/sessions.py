"""Login sessions: one row per browser cookie or bearer token.

The raw token goes to the client once (``create_session``); the database keeps only its
SHA-256 hash. A session ends when revoked (logout, password change, merge), when idle
longer than the idle timeout, or when older than the absolute timeout.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from gateway import tokens
from gateway.errors import NotFound
from gateway.store.access import Access, access_for, owned_first, to_access, valid_at
from gateway.store.models import CustomerAccess, User, UserSession, UserStatus, UTCDateTime

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


@dataclass(frozen=True, slots=True)
class SessionViewer:
    """Who a live session belongs to and every customer number that user may see now."""

    session_id: int
    active_customer_number: str | None
    user_id: int
    login: str
    email: str | None
    email_verified: bool
    grants: list[Access]  # owned numbers first, then by number (as ``list_customer_access``)
    touched: bool = False  # ``last_seen_at`` was written now (see ``resolve_session_viewer``)
    # Until when this answer holds if nothing is written meanwhile: the next ``last_seen_at``
    # write, the session's own end, the first grant to expire (``gateway.session_cache``).
    holds_until: datetime | None = None


_NOW = bindparam("now", type_=UTCDateTime())
# The session, its user and the user's valid grants in ONE statement, built once: every
# authenticated request runs it, and on SQLite (aiosqlite) each statement costs several
# round trips to the driver's thread plus SQLAlchemy's per-statement work, which the
# separate session and grant queries paid twice (about 1 ms of every request). One
# statement also reads one consistent snapshot. A row per valid grant; one row with NULL
# grant columns for a user without any.
_SESSION_VIEWER = (
    select(
        UserSession.id,
        UserSession.active_customer_number,
        UserSession.last_seen_at,
        UserSession.created_at,
        UserSession.expires_at,
        User.id,
        User.login,
        User.email,
        User.email_verified_at,
        CustomerAccess.customer_number,
        CustomerAccess.role,
        CustomerAccess.scopes,
        CustomerAccess.expires_at,
    )
    .join(User, User.id == UserSession.user_id)
    .outerjoin(CustomerAccess, and_(CustomerAccess.user_id == User.id, valid_at(_NOW)))
    .where(
        UserSession.token_hash == bindparam("token_hash"),
        UserSession.revoked_at.is_(None),
        UserSession.expires_at > _NOW,
        UserSession.created_at > bindparam("created_after", type_=UTCDateTime()),
        UserSession.last_seen_at > bindparam("seen_after", type_=UTCDateTime()),
        User.status == UserStatus.ACTIVE,
    )
)

# The idle clock's write: it changes nothing a viewer is made of, so it does not count as a
# write to who may see what (``gateway.session_cache``: no epoch bump, no dropped entries).
_TOUCH = (
    update(UserSession)
    .where(UserSession.id == bindparam("session_id"))
    .values(last_seen_at=_NOW)
    .execution_options(viewer_neutral=True)
)


async def resolve_session_viewer(
    connection: AsyncConnection,
    *,
    token: str,
    now: datetime,
    idle_timeout: timedelta,
    absolute_timeout: timedelta,
    touch_after: timedelta = DEFAULT_TOUCH_AFTER,
) -> SessionViewer | None:
    """The live session of this raw token, its ACTIVE user and the user's grants valid at
    ``now`` (``access.list_customer_access``), in one query; else None. Both the
    ``expires_at`` fixed at creation and ``absolute_timeout`` measured from ``created_at``
    apply, so shortening the configured lifetime also ends older sessions.
    Read from the store on every call (``gateway.session_cache`` keeps the answer until
    ``holds_until`` or the next write to users, sessions or grants).

    Runs on a Core connection (no ORM objects: cheaper on the path of every request).
    ``touched`` says ``last_seen_at`` was written: the caller commits it, as it owns the
    transaction (an ORM session's work must be flushed before its connection is passed)."""
    rows = (
        await connection.execute(
            _SESSION_VIEWER,
            {
                "token_hash": tokens.hash_token(token),
                "now": now,
                "created_after": now - absolute_timeout,
                "seen_after": now - idle_timeout,
            },
        )
    ).all()
    if not rows:
        return None
    session_id, active_customer, last_seen_at, created_at, expires_at = rows[0][:5]
    user_id, login, email, email_verified_at = rows[0][5:9]
    touched = now - last_seen_at >= touch_after
    if touched:
        last_seen_at = now
        await connection.execute(_TOUCH, {"session_id": session_id, "now": now})
    grants = owned_first(
        to_access(number, role, scopes, grant_expires_at)
        for *_, number, role, scopes, grant_expires_at in rows
        if number is not None
    )
    ends = [
        last_seen_at + min(touch_after, idle_timeout),
        expires_at,
        created_at + absolute_timeout,
        *(grant.expires_at for grant in grants if grant.expires_at is not None),
    ]
    return SessionViewer(
        touched=touched,
        session_id=session_id,
        active_customer_number=active_customer,
        user_id=user_id,
        login=login,
        email=email,
        email_verified=email_verified_at is not None,
        grants=grants,
        holds_until=min(ends),
    )


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
