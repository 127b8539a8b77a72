"""Portal user accounts: creation, password change, e-mail verification, merging.

Logins are unique regardless of case (``login_key`` is the case-folded login); e-mail
addresses are stored lower-cased. Functions flush and never commit (see ``db``).
Passwords arrive here already hashed and leave as hashes: Argon2 runs outside any
transaction (``gateway.passwords.PasswordHashing``), never holding a connection.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from gateway import tokens
from gateway.errors import BadUserInput, Forbidden
from gateway.store.access import merge_customer_access
from gateway.store.models import EmailVerification, User, UserSession, UserStatus, login_key
from gateway.store.sessions import revoke_all_sessions

MAX_LOGIN_LENGTH = 64


class LoginTaken(BadUserInput):
    def __init__(self) -> None:
        super().__init__("This login is already taken.")


def normalise_email(email: str) -> str:
    return email.strip().lower()


async def create_user(
    session: AsyncSession,
    *,
    login: str,
    password_hash: str,
    email: str | None,
    now: datetime,
    email_verified_at: datetime | None = None,
) -> User:
    """A new ACTIVE user. Raises ``LoginTaken`` when the login exists in any letter case."""
    login = login.strip()
    if not login or len(login) > MAX_LOGIN_LENGTH:
        raise BadUserInput(f"A login has 1 to {MAX_LOGIN_LENGTH} characters.")
    if await find_user_by_login(session, login=login, include_cancelled=True) is not None:
        raise LoginTaken
    user = User(
        login=login,
        login_key=login_key(login),
        email=normalise_email(email) if email else None,
        email_verified_at=email_verified_at if email else None,
        password_hash=password_hash,
        status=UserStatus.ACTIVE,
        created_at=now,
        updated_at=now,
    )
    session.add(user)
    try:
        await session.flush()
    except IntegrityError as error:  # a concurrent registration won the race for the login
        raise LoginTaken from error
    return user


async def get_user(session: AsyncSession, *, user_id: int) -> User | None:
    return await session.get(User, user_id)


async def find_user_by_login(
    session: AsyncSession, *, login: str, include_cancelled: bool = False
) -> User | None:
    """The user with this login in any letter case; cancelled accounts only on request."""
    query = select(User).where(User.login_key == login_key(login))
    if not include_cancelled:
        query = query.where(User.status == UserStatus.ACTIVE)
    return (await session.execute(query)).scalar_one_or_none()


async def _swap_password_hash(
    session: AsyncSession, *, user_id: int, old_hash: str, new_hash: str, now: datetime
) -> bool:
    """Set the hash if the active user's hash is still ``old_hash`` (the one the caller
    verified, outside this transaction); False when it is not (a concurrent change won)."""
    swapped = await session.execute(
        update(User)
        .where(User.id == user_id, User.status == UserStatus.ACTIVE, User.password_hash == old_hash)
        .values(password_hash=new_hash, updated_at=now)
        .returning(User.id)
        .execution_options(synchronize_session="fetch")
    )
    return swapped.scalar_one_or_none() is not None


async def change_password_hash(
    session: AsyncSession,
    *,
    user_id: int,
    old_hash: str,
    new_hash: str,
    now: datetime,
    keep_session_id: int | None = None,
) -> None:
    """A password change: the new hash replaces ``old_hash`` (``Forbidden`` when the
    stored hash is no longer that one) and every other session of the user is revoked."""
    if not await _swap_password_hash(session, user_id=user_id, old_hash=old_hash, new_hash=new_hash, now=now):
        raise Forbidden("The current password is not right.")
    await revoke_all_sessions(session, user_id=user_id, now=now, except_session_id=keep_session_id)
    await session.flush()


async def upgrade_password_hash(
    session: AsyncSession, *, user_id: int, old_hash: str, new_hash: str, now: datetime
) -> None:
    """After a successful login, a hash with today's parameters for the same password
    (nothing happens if the password changed meanwhile)."""
    await _swap_password_hash(session, user_id=user_id, old_hash=old_hash, new_hash=new_hash, now=now)


async def start_email_verification(
    session: AsyncSession, *, user_id: int, email: str, now: datetime, valid_for: timedelta
) -> str:
    """Record a pending verification of ``email`` for the user; returns the raw token to
    mail (only its hash is stored)."""
    raw = tokens.new_token()
    session.add(
        EmailVerification(
            token_hash=tokens.hash_token(raw),
            user_id=user_id,
            email=normalise_email(email),
            created_at=now,
            expires_at=now + valid_for,
        )
    )
    await session.flush()
    return raw


class TokenProblem(enum.Enum):
    """Why an e-mail verification token confirmed nothing."""

    UNKNOWN = "UNKNOWN"  # never issued (mistyped), or its account was cancelled
    USED = "USED"  # it confirmed its address already
    EXPIRED = "EXPIRED"


async def confirm_email_verification(
    session: AsyncSession, *, token: str, now: datetime
) -> User | TokenProblem:
    """Mark the address verified and make it the user's e-mail; the problem when the token is
    unknown, used or expired."""
    verification = (
        await session.execute(
            select(EmailVerification).where(EmailVerification.token_hash == tokens.hash_token(token))
        )
    ).scalar_one_or_none()
    if verification is None:
        return TokenProblem.UNKNOWN
    if verification.used_at is not None:
        return TokenProblem.USED
    if now >= verification.expires_at:
        return TokenProblem.EXPIRED
    user = await session.get(User, verification.user_id)
    if user is None or user.status is not UserStatus.ACTIVE:
        return TokenProblem.UNKNOWN
    verification.used_at = now
    user.email = verification.email
    user.email_verified_at = now
    user.updated_at = now
    await session.flush()
    return user


async def users_sharing_email(session: AsyncSession, *, user_id: int) -> list[User]:
    """Other ACTIVE accounts with the same verified e-mail as this user's verified e-mail
    (none when this user's e-mail is not verified), oldest first."""
    user = await session.get(User, user_id)
    if user is None or user.email is None or user.email_verified_at is None:
        return []
    query = (
        select(User)
        .where(
            User.email == user.email,
            User.email_verified_at.is_not(None),
            User.status == UserStatus.ACTIVE,
            User.id != user_id,
        )
        .order_by(User.id)
    )
    return list((await session.execute(query)).scalars())


@dataclass(frozen=True, slots=True)
class MergeResult:
    cancelled_user_ids: tuple[int, ...]
    moved_customer_numbers: tuple[str, ...]


async def merge_accounts(
    session: AsyncSession, *, user_id: int, merged_user_ids: Sequence[int], now: datetime
) -> MergeResult:
    """Cancel the picked accounts and move their customer access to ``user_id``.

    Every picked account must currently share the user's verified e-mail, else
    ``BadUserInput`` and nothing is changed (the caller's transaction rolls back what
    this function flushed, if it raises midway). The cancelled accounts lose their
    sessions.
    """
    picked = set(merged_user_ids)
    if not picked:
        raise BadUserInput("Pick at least one account to merge.")
    sharing = {other.id: other for other in await users_sharing_email(session, user_id=user_id)}
    if not picked <= sharing.keys():
        raise BadUserInput("Only accounts with the same verified e-mail can be merged.")
    moved: list[str] = []
    for source_id in sorted(picked):
        moved.extend(
            await merge_customer_access(session, from_user_id=source_id, to_user_id=user_id, now=now)
        )
        source = sharing[source_id]
        source.status = UserStatus.CANCELLED
        source.merged_into_user_id = user_id
        source.updated_at = now
    await session.execute(
        update(UserSession)
        .where(UserSession.user_id.in_(picked), UserSession.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    await session.flush()
    return MergeResult(cancelled_user_ids=tuple(sorted(picked)), moved_customer_numbers=tuple(moved))
