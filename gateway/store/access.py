"""Who may see which customer number.

A grant is valid at ``now`` when it is not revoked and not expired. An OWNER holds every
scope; a DELEGATE holds the scopes the owner granted, with the customer's consent
recorded. Grants are never deleted: revoking, replacing and merging set ``revoked_at``.

A customer number has one owner or several (co-owners, each approved by an owner, see
``gateway.store.ownership``); the last one cannot be removed. Every change of who may see a
number first takes its lock (``lock_owners``), so concurrent changes cannot both pass a
check of its owners.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import BindParameter, ColumnElement, and_, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from gateway.domain.access import ALL_SCOPES, Scope
from gateway.errors import BadUserInput, Forbidden, NotFound
from gateway.store.models import (
    AccessRole,
    CustomerAccess,
    OwnedCustomer,
    User,
    UserStatus,
    login_key,
)

MAX_CONSENT_LENGTH = 2000  # characters of the consent's wording, as recorded and shown to grantees


@dataclass(frozen=True, slots=True)
class Access:
    """What one user may do with one customer number."""

    customer_number: str
    role: AccessRole
    scopes: frozenset[Scope]
    expires_at: datetime | None = None

    def allows(self, scope: Scope) -> bool:
        return scope in self.scopes


@dataclass(frozen=True, slots=True)
class Grantee:
    """One line of the owner's "users with access" list."""

    grant_id: int
    user_id: int
    login: str
    role: AccessRole
    scopes: frozenset[Scope]
    granted_by_user_id: int | None
    granted_by_login: str | None  # the owner who granted (delegates) or approved (co-owners)
    consent_text: str | None  # the wording the customer agreed to, as recorded
    consent_at: datetime | None
    expires_at: datetime | None


@dataclass(frozen=True, slots=True)
class Owner:
    """An owner of a customer number, and where to tell it of changes (a verified address
    only: an unverified one may be anybody's)."""

    user_id: int
    login: str
    verified_email: str | None


class LastOwner(Exception):
    """The change would leave the customer number without an owner."""


def valid_at(now: datetime | BindParameter[datetime]) -> ColumnElement[bool]:
    """The grants valid at ``now`` (a value, or a bound parameter in a statement built once)."""
    return and_(
        CustomerAccess.revoked_at.is_(None),
        or_(CustomerAccess.expires_at.is_(None), CustomerAccess.expires_at > now),
    )


def _scopes(role: AccessRole, names: Iterable[str]) -> frozenset[Scope]:
    if role is AccessRole.OWNER:
        return ALL_SCOPES
    return frozenset(Scope(name) for name in names)


def _scopes_of(grant: CustomerAccess) -> frozenset[Scope]:
    return _scopes(grant.role, grant.scopes)


def to_access(
    customer_number: str, role: AccessRole, scope_names: Iterable[str], expires_at: datetime | None
) -> Access:
    return Access(
        customer_number=customer_number, role=role, scopes=_scopes(role, scope_names), expires_at=expires_at
    )


def _to_access(grant: CustomerAccess) -> Access:
    return to_access(grant.customer_number, grant.role, grant.scopes, grant.expires_at)


def owned_first(accesses: Iterable[Access]) -> list[Access]:
    """Owned customer numbers first, then by number."""
    return sorted(accesses, key=lambda a: (a.role is not AccessRole.OWNER, a.customer_number))


def _scope_names(scopes: Iterable[Scope | str]) -> list[str]:
    return sorted({Scope(scope).value for scope in scopes})


async def _current_grant(
    session: AsyncSession, *, user_id: int, customer_number: str
) -> CustomerAccess | None:
    """The unrevoked grant (expired or not) of this pair; at most one exists."""
    query = select(CustomerAccess).where(
        CustomerAccess.user_id == user_id,
        CustomerAccess.customer_number == customer_number,
        CustomerAccess.revoked_at.is_(None),
    )
    return (await session.execute(query)).scalar_one_or_none()


async def lock_owners(session: AsyncSession, *, customer_number: str, now: datetime) -> None:
    """Serialise changes of who may see ``customer_number`` until the transaction ends: an
    upsert of its ``owned_customers`` row, which locks that row on PostgreSQL (a second
    transaction waits for the first to end, then reads what it committed) and takes the
    write lock on SQLite. Call it before reading the owners a change depends on."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(OwnedCustomer).values(customer_number=customer_number, changed_at=now)
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[OwnedCustomer.customer_number], set_={"changed_at": statement.excluded.changed_at}
        )
    )


async def list_owners(session: AsyncSession, *, customer_number: str, now: datetime) -> list[Owner]:
    """The active users owning the customer number at ``now``, by login."""
    query = (
        select(User.id, User.login, User.email, User.email_verified_at)
        .join(CustomerAccess, CustomerAccess.user_id == User.id)
        .where(
            CustomerAccess.customer_number == customer_number,
            CustomerAccess.role == AccessRole.OWNER,
            User.status == UserStatus.ACTIVE,
            valid_at(now),
        )
        .order_by(User.login_key)
    )
    return [
        Owner(user_id=user_id, login=login, verified_email=email if verified_at is not None else None)
        for user_id, login, email, verified_at in (await session.execute(query)).all()
    ]


async def grant_owner(
    session: AsyncSession,
    *,
    user_id: int,
    customer_number: str,
    now: datetime,
    granted_by_user_id: int | None = None,
) -> CustomerAccess:
    """Make the user an owner of the customer number. Idempotent; replaces a delegate grant
    the user held. Whether the user may become an owner is the caller's decision (the first
    proof of a number, or an owner's approval, ``granted_by_user_id``:
    ``gateway.store.ownership``)."""
    await lock_owners(session, customer_number=customer_number, now=now)
    current = await _current_grant(session, user_id=user_id, customer_number=customer_number)
    if current is not None and current.role is AccessRole.OWNER and current.expires_at is None:
        return current
    if current is not None:
        current.revoked_at = now
        await session.flush()
    grant = CustomerAccess(
        user_id=user_id,
        customer_number=customer_number,
        role=AccessRole.OWNER,
        scopes=_scope_names(ALL_SCOPES),
        granted_by_user_id=granted_by_user_id,
        created_at=now,
    )
    session.add(grant)
    await session.flush()
    return grant


async def list_customer_access(session: AsyncSession, *, user_id: int, now: datetime) -> list[Access]:
    """Every customer number the user may see at ``now``: owned ones first, then by number."""
    query = select(CustomerAccess).where(CustomerAccess.user_id == user_id, valid_at(now))
    grants = (await session.execute(query)).scalars()
    return owned_first(_to_access(grant) for grant in grants)


async def access_for(
    session: AsyncSession, *, user_id: int, customer_number: str, now: datetime
) -> Access | None:
    """What the user may do with the customer number at ``now``; None when nothing
    (the caller answers NOT_FOUND then, as for a number that does not exist)."""
    query = select(CustomerAccess).where(
        CustomerAccess.user_id == user_id,
        CustomerAccess.customer_number == customer_number,
        valid_at(now),
    )
    grant = (await session.execute(query)).scalar_one_or_none()
    return None if grant is None else _to_access(grant)


async def _require_owner(session: AsyncSession, *, user_id: int, customer_number: str, now: datetime) -> None:
    access = await access_for(session, user_id=user_id, customer_number=customer_number, now=now)
    if access is None:
        raise NotFound
    if access.role is not AccessRole.OWNER:
        raise Forbidden("Only the customer's owner can manage who has access.")


async def grant_delegate(
    session: AsyncSession,
    *,
    owner_user_id: int,
    delegate_login: str,
    customer_number: str,
    scopes: Iterable[Scope | str],
    expires_at: datetime | None,
    consent_text: str,
    now: datetime,
) -> CustomerAccess:
    """Give the user with ``delegate_login`` the scopes on the owner's customer number,
    recording the customer's consent. Replaces that user's earlier delegate grant.

    ``NotFound`` when the granting user cannot see the number, ``Forbidden`` when they are
    not its owner, ``BadUserInput`` for an unknown login, no scopes, no consent, a past
    expiry or a grantee who already owns the number.
    """
    await lock_owners(session, customer_number=customer_number, now=now)
    await _require_owner(session, user_id=owner_user_id, customer_number=customer_number, now=now)
    scope_names = _scope_names(scopes)
    if not scope_names:
        raise BadUserInput("Grant at least one scope.")
    if not consent_text.strip():
        raise BadUserInput("The customer's consent must be recorded.")
    if len(consent_text) > MAX_CONSENT_LENGTH:
        raise BadUserInput(f"The consent's wording may be at most {MAX_CONSENT_LENGTH} characters long.")
    if expires_at is not None and expires_at <= now:
        raise BadUserInput("The expiry must lie in the future.")
    delegate = (
        await session.execute(
            select(User).where(User.login_key == login_key(delegate_login), User.status == UserStatus.ACTIVE)
        )
    ).scalar_one_or_none()
    if delegate is None:
        raise BadUserInput("No user has this login.")
    if delegate.id == owner_user_id:
        raise BadUserInput("You already own this customer number.")
    current = await _current_grant(session, user_id=delegate.id, customer_number=customer_number)
    if current is not None and current.role is AccessRole.OWNER:
        raise BadUserInput("This user already owns this customer number.")
    if current is not None:
        current.revoked_at = now
        await session.flush()
    grant = CustomerAccess(
        user_id=delegate.id,
        customer_number=customer_number,
        role=AccessRole.DELEGATE,
        scopes=scope_names,
        granted_by_user_id=owner_user_id,
        consent_text=consent_text.strip(),
        consent_at=now,
        created_at=now,
        expires_at=expires_at,
    )
    session.add(grant)
    await session.flush()
    return grant


async def revoke_access(
    session: AsyncSession, *, owner_user_id: int, user_id: int, customer_number: str, now: datetime
) -> AccessRole:
    """End a user's access at ``now``: a delegate's (expired or not), or a co-owner's (an
    owner may also leave); answers the role it had. ``NotFound`` when there is no such grant,
    ``Forbidden`` when the asking user is not an owner, ``LastOwner`` for the only owner."""
    await lock_owners(session, customer_number=customer_number, now=now)
    await _require_owner(session, user_id=owner_user_id, customer_number=customer_number, now=now)
    current = await _current_grant(session, user_id=user_id, customer_number=customer_number)
    if current is None:
        raise NotFound
    if current.role is AccessRole.OWNER:
        owners = await list_owners(session, customer_number=customer_number, now=now)
        if [owner.user_id for owner in owners] == [user_id]:
            raise LastOwner
    current.revoked_at = now
    await session.flush()
    return current.role


async def list_grantees(session: AsyncSession, *, customer_number: str, now: datetime) -> list[Grantee]:
    """Every active user who may see the customer number at ``now`` (the owner's view;
    the caller checks that the asking user is an owner)."""
    granter = aliased(User)
    query = (
        select(CustomerAccess, User.login, granter.login)
        .join(User, User.id == CustomerAccess.user_id)
        .outerjoin(granter, granter.id == CustomerAccess.granted_by_user_id)
        .where(
            CustomerAccess.customer_number == customer_number,
            User.status == UserStatus.ACTIVE,
            valid_at(now),
        )
        .order_by(CustomerAccess.role.desc(), User.login_key)
    )
    return [
        Grantee(
            grant_id=grant.id,
            user_id=grant.user_id,
            login=login,
            role=grant.role,
            scopes=_scopes_of(grant),
            granted_by_user_id=grant.granted_by_user_id,
            granted_by_login=granted_by,
            consent_text=grant.consent_text,
            consent_at=grant.consent_at,
            expires_at=grant.expires_at,
        )
        for grant, login, granted_by in (await session.execute(query)).all()
    ]


async def merge_customer_access(
    session: AsyncSession, *, from_user_id: int, to_user_id: int, now: datetime
) -> list[str]:
    """Move the valid grants of one user to another (account merging); returns the
    customer numbers moved. Where the target already has access, the stronger grant stays
    (an owner grant beats a delegate one); the other is revoked. Expired grants are revoked."""
    source_grants = (
        (
            await session.execute(
                select(CustomerAccess)
                .where(CustomerAccess.user_id == from_user_id, CustomerAccess.revoked_at.is_(None))
                .order_by(CustomerAccess.customer_number)
            )
        )
        .scalars()
        .all()
    )
    moved: list[str] = []
    for grant in source_grants:
        if grant.expires_at is not None and grant.expires_at <= now:
            grant.revoked_at = now
            continue
        await lock_owners(session, customer_number=grant.customer_number, now=now)
        target = await _current_grant(session, user_id=to_user_id, customer_number=grant.customer_number)
        target_valid = target is not None and (target.expires_at is None or target.expires_at > now)
        if (
            target is not None
            and target_valid
            and not (grant.role is AccessRole.OWNER and target.role is AccessRole.DELEGATE)
        ):
            grant.revoked_at = now
            continue
        if target is not None:
            target.revoked_at = now
            await session.flush()
        grant.user_id = to_user_id
        moved.append(grant.customer_number)
        await session.flush()
    await session.flush()
    return moved
