"""Who becomes an owner of a customer number: the first proof makes its owner; a further
one only asks (an ownership claim), and an owner approves or rejects.

A claim needs the stronger proof (two facts of one invoice, checked by the caller); a
single fact (a variable symbol or a supply point code, printed on every invoice) is not
enough for a number that already has an owner. Each function takes the number's lock
first (``access.lock_owners``), so "no owner yet" is decided once.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.errors import Forbidden, NotFound
from gateway.store.access import access_for, grant_owner, list_owners, lock_owners
from gateway.store.models import AccessRole, ClaimStatus, OwnershipClaim, User, UserStatus


class Proven(enum.Enum):
    """What proving a customer number gave the user."""

    OWNER = "OWNER"  # the number's first owner, or an owner already
    CLAIM_FILED = "CLAIM_FILED"  # the number has an owner: a new claim waits for its approval
    CLAIM_PENDING = "CLAIM_PENDING"  # the same claim was pending already
    STRONGER_PROOF_NEEDED = "STRONGER_PROOF_NEEDED"  # the number has an owner; one fact is not enough
    CLAIM_REJECTED = "CLAIM_REJECTED"  # an owner rejected this user's claim less than REFILE_AFTER ago


# A rejected claimant may ask again only after this long: the owners are not mailed on every retry.
REFILE_AFTER = timedelta(days=30)


@dataclass(frozen=True, slots=True)
class Claim:
    """One ownership claim, as its claimant and the number's owners see it."""

    customer_number: str
    login: str  # the claimant's
    status: ClaimStatus
    created_at: datetime
    decided_at: datetime | None


async def prove_customer(
    session: AsyncSession, *, user_id: int, customer_number: str, strong_proof: bool, now: datetime
) -> Proven:
    """The user has proved ``customer_number`` (``strong_proof``: with two facts of one
    document). Without an owner, the user becomes its owner; with one, a strong proof files
    a pending claim (once: ``CLAIM_PENDING`` when it was pending already; ``CLAIM_REJECTED``
    within ``REFILE_AFTER`` of an owner's rejection), a weak one gives nothing."""
    await lock_owners(session, customer_number=customer_number, now=now)
    owners = await list_owners(session, customer_number=customer_number, now=now)
    if any(owner.user_id == user_id for owner in owners):
        return Proven.OWNER
    if not owners:
        await grant_owner(session, user_id=user_id, customer_number=customer_number, now=now)
        return Proven.OWNER
    if not strong_proof:
        return Proven.STRONGER_PROOF_NEEDED
    if await _pending(session, user_id=user_id, customer_number=customer_number) is not None:
        return Proven.CLAIM_PENDING
    if await _rejected_since(
        session, user_id=user_id, customer_number=customer_number, since=now - REFILE_AFTER
    ):
        return Proven.CLAIM_REJECTED
    session.add(
        OwnershipClaim(
            user_id=user_id, customer_number=customer_number, status=ClaimStatus.PENDING, created_at=now
        )
    )
    await session.flush()
    return Proven.CLAIM_FILED


async def _pending(session: AsyncSession, *, user_id: int, customer_number: str) -> OwnershipClaim | None:
    query = select(OwnershipClaim).where(
        OwnershipClaim.user_id == user_id,
        OwnershipClaim.customer_number == customer_number,
        OwnershipClaim.status == ClaimStatus.PENDING,
    )
    return (await session.execute(query)).scalar_one_or_none()


async def _rejected_since(
    session: AsyncSession, *, user_id: int, customer_number: str, since: datetime
) -> bool:
    query = select(OwnershipClaim.id).where(
        OwnershipClaim.user_id == user_id,
        OwnershipClaim.customer_number == customer_number,
        OwnershipClaim.status == ClaimStatus.REJECTED,
        OwnershipClaim.decided_at > since,
    )
    return (await session.execute(query.limit(1))).first() is not None


async def list_claims(
    session: AsyncSession,
    *,
    customer_number: str | None = None,
    user_id: int | None = None,
    pending_only: bool = False,
) -> list[Claim]:
    """Claims of active claimants on one number (its owners' view) or of one user (the
    claimant's), newest first."""
    query = (
        select(OwnershipClaim, User.login)
        .join(User, User.id == OwnershipClaim.user_id)
        .where(User.status == UserStatus.ACTIVE)
        .order_by(OwnershipClaim.created_at.desc(), OwnershipClaim.id.desc())
    )
    if customer_number is not None:
        query = query.where(OwnershipClaim.customer_number == customer_number)
    if user_id is not None:
        query = query.where(OwnershipClaim.user_id == user_id)
    if pending_only:
        query = query.where(OwnershipClaim.status == ClaimStatus.PENDING)
    return [
        Claim(
            customer_number=claim.customer_number,
            login=login,
            status=claim.status,
            created_at=claim.created_at,
            decided_at=claim.decided_at,
        )
        for claim, login in (await session.execute(query)).all()
    ]


async def decide_claim(
    session: AsyncSession,
    *,
    owner_user_id: int,
    claimant_user_id: int,
    customer_number: str,
    approve: bool,
    now: datetime,
) -> Claim:
    """An owner approves (the claimant becomes a co-owner) or rejects the claimant's pending
    claim. ``NotFound`` when the owner cannot see the number or no such claim is pending,
    ``Forbidden`` when the deciding user is not an owner."""
    await lock_owners(session, customer_number=customer_number, now=now)
    access = await access_for(session, user_id=owner_user_id, customer_number=customer_number, now=now)
    if access is None:
        raise NotFound
    if access.role is not AccessRole.OWNER:
        raise Forbidden("Only the customer's owner can decide on a claim.")
    claim = await _pending(session, user_id=claimant_user_id, customer_number=customer_number)
    claimant = await session.get(User, claimant_user_id)
    if claim is None or claimant is None or claimant.status is not UserStatus.ACTIVE:
        raise NotFound
    claim.status = ClaimStatus.APPROVED if approve else ClaimStatus.REJECTED
    claim.decided_at = now
    claim.decided_by_user_id = owner_user_id
    if approve:
        await grant_owner(
            session,
            user_id=claimant_user_id,
            customer_number=customer_number,
            now=now,
            granted_by_user_id=owner_user_id,
        )
    await session.flush()
    return Claim(
        customer_number=customer_number,
        login=claimant.login,
        status=claim.status,
        created_at=claim.created_at,
        decided_at=now,
    )
