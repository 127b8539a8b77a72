"""The first proof of a customer number makes its owner; a further one is a claim that an
owner approves or rejects; the last owner cannot be removed."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from gateway.errors import Forbidden, NotFound
from gateway.passwords import hash_password
from gateway.store.access import (
    LastOwner,
    access_for,
    grant_delegate,
    list_grantees,
    list_owners,
    revoke_access,
)
from gateway.store.accounts import create_user
from gateway.store.db import create_sessionmaker, transaction
from gateway.store.models import AccessRole, ClaimStatus, User
from gateway.store.ownership import REFILE_AFTER, Proven, decide_claim, list_claims, prove_customer

PASSWORD_HASH = hash_password("Demo-heslo-2026")
NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
LATER = NOW + timedelta(hours=1)
NOVAK = "1000012345"


async def _user(session: AsyncSession, login: str, *, verified: bool = False) -> User:
    return await create_user(
        session,
        login=login,
        password_hash=PASSWORD_HASH,
        email=f"{login}@example.cz",
        now=NOW,
        email_verified_at=NOW if verified else None,
    )


async def _prove(session: AsyncSession, user: User, *, strong: bool = False) -> Proven:
    return await prove_customer(session, user_id=user.id, customer_number=NOVAK, strong_proof=strong, now=NOW)


async def test_the_first_proof_makes_the_owner_and_a_further_weak_proof_gives_nothing(
    session: AsyncSession,
) -> None:
    # given
    owner, stranger = await _user(session, "novak"), await _user(session, "stranger")

    # when
    first = await _prove(session, owner)
    again = await _prove(session, owner)
    weak = await _prove(session, stranger)

    # then
    assert (first, again, weak) == (Proven.OWNER, Proven.OWNER, Proven.STRONGER_PROOF_NEEDED)
    assert await access_for(session, user_id=stranger.id, customer_number=NOVAK, now=NOW) is None
    assert await list_claims(session, customer_number=NOVAK) == []


async def test_a_strong_proof_on_an_owned_number_files_one_pending_claim_and_no_access(
    session: AsyncSession,
) -> None:
    owner, stranger = await _user(session, "novak"), await _user(session, "stranger")
    await _prove(session, owner)

    outcomes = [await _prove(session, stranger, strong=True) for _ in range(2)]

    assert outcomes == [Proven.CLAIM_FILED, Proven.CLAIM_PENDING]
    assert await access_for(session, user_id=stranger.id, customer_number=NOVAK, now=NOW) is None
    [claim] = await list_claims(session, customer_number=NOVAK, pending_only=True)
    assert (claim.login, claim.status, claim.customer_number) == ("stranger", ClaimStatus.PENDING, NOVAK)
    assert await list_claims(session, user_id=owner.id) == []


async def test_an_approved_claimant_becomes_a_co_owner_listed_with_the_owner(session: AsyncSession) -> None:
    # given
    owner, claimant = await _user(session, "novak", verified=True), await _user(session, "jana")
    await _prove(session, owner)
    await _prove(session, claimant, strong=True)

    # when
    decided = await decide_claim(
        session,
        owner_user_id=owner.id,
        claimant_user_id=claimant.id,
        customer_number=NOVAK,
        approve=True,
        now=LATER,
    )

    # then
    assert (decided.status, decided.decided_at) == (ClaimStatus.APPROVED, LATER)
    access = await access_for(session, user_id=claimant.id, customer_number=NOVAK, now=LATER)
    assert access is not None and access.role is AccessRole.OWNER
    grantees = await list_grantees(session, customer_number=NOVAK, now=LATER)
    assert [(g.login, g.role, g.granted_by_login) for g in grantees] == [
        ("jana", AccessRole.OWNER, "novak"),
        ("novak", AccessRole.OWNER, None),
    ]
    assert [
        (o.login, o.verified_email) for o in await list_owners(session, customer_number=NOVAK, now=LATER)
    ] == [
        ("jana", None),
        ("novak", "novak@example.cz"),
    ]
    assert await list_claims(session, customer_number=NOVAK, pending_only=True) == []


async def test_a_rejected_claim_gives_nothing_and_cannot_be_decided_twice(session: AsyncSession) -> None:
    owner, claimant = await _user(session, "novak"), await _user(session, "jana")
    await _prove(session, owner)
    await _prove(session, claimant, strong=True)

    rejected = await decide_claim(
        session,
        owner_user_id=owner.id,
        claimant_user_id=claimant.id,
        customer_number=NOVAK,
        approve=False,
        now=LATER,
    )

    assert rejected.status is ClaimStatus.REJECTED
    assert await access_for(session, user_id=claimant.id, customer_number=NOVAK, now=LATER) is None
    assert [c.status for c in await list_claims(session, user_id=claimant.id)] == [ClaimStatus.REJECTED]
    with pytest.raises(NotFound):
        await decide_claim(
            session,
            owner_user_id=owner.id,
            claimant_user_id=claimant.id,
            customer_number=NOVAK,
            approve=True,
            now=LATER,
        )


async def test_a_rejected_claimant_asks_again_only_after_the_refile_period(session: AsyncSession) -> None:
    owner, claimant = await _user(session, "novak"), await _user(session, "jana")
    await _prove(session, owner)
    await _prove(session, claimant, strong=True)
    await decide_claim(
        session,
        owner_user_id=owner.id,
        claimant_user_id=claimant.id,
        customer_number=NOVAK,
        approve=False,
        now=LATER,
    )

    def again(at: datetime) -> Awaitable[Proven]:
        return prove_customer(session, user_id=claimant.id, customer_number=NOVAK, strong_proof=True, now=at)

    assert await again(LATER + REFILE_AFTER - timedelta(seconds=1)) is Proven.CLAIM_REJECTED
    assert await list_claims(session, customer_number=NOVAK, pending_only=True) == []
    assert await again(LATER + REFILE_AFTER) is Proven.CLAIM_FILED
    assert [c.login for c in await list_claims(session, customer_number=NOVAK, pending_only=True)] == ["jana"]


async def test_only_an_owner_decides_and_a_stranger_learns_nothing(session: AsyncSession) -> None:
    owner, delegate = await _user(session, "novak"), await _user(session, "poradce")
    claimant, stranger = await _user(session, "jana"), await _user(session, "stranger")
    await _prove(session, owner)
    await grant_delegate(
        session,
        owner_user_id=owner.id,
        delegate_login="poradce",
        customer_number=NOVAK,
        scopes=["VIEW_BILLING"],
        expires_at=None,
        consent_text="Souhlasím.",
        now=NOW,
    )
    await _prove(session, claimant, strong=True)

    with pytest.raises(Forbidden):
        await decide_claim(
            session,
            owner_user_id=delegate.id,
            claimant_user_id=claimant.id,
            customer_number=NOVAK,
            approve=True,
            now=NOW,
        )
    with pytest.raises(NotFound):
        await decide_claim(
            session,
            owner_user_id=stranger.id,
            claimant_user_id=claimant.id,
            customer_number=NOVAK,
            approve=True,
            now=NOW,
        )
    assert await access_for(session, user_id=claimant.id, customer_number=NOVAK, now=NOW) is None


async def test_an_owner_removes_a_co_owner_but_never_the_last_owner(session: AsyncSession) -> None:
    # given: two owners
    owner, co_owner = await _user(session, "novak"), await _user(session, "jana")
    await _prove(session, owner)
    await _prove(session, co_owner, strong=True)
    await decide_claim(
        session,
        owner_user_id=owner.id,
        claimant_user_id=co_owner.id,
        customer_number=NOVAK,
        approve=True,
        now=NOW,
    )

    # when
    removed = await revoke_access(
        session, owner_user_id=owner.id, user_id=co_owner.id, customer_number=NOVAK, now=LATER
    )

    # then
    assert removed is AccessRole.OWNER
    assert await access_for(session, user_id=co_owner.id, customer_number=NOVAK, now=LATER) is None
    with pytest.raises(LastOwner):
        await revoke_access(
            session, owner_user_id=owner.id, user_id=owner.id, customer_number=NOVAK, now=LATER
        )
    assert [o.login for o in await list_owners(session, customer_number=NOVAK, now=LATER)] == ["novak"]


async def test_concurrent_first_proofs_make_one_owner(engine: AsyncEngine) -> None:
    # given: two users, committed
    sessionmaker = create_sessionmaker(engine)
    async with transaction(sessionmaker) as session:
        first, second = await _user(session, "prvni"), await _user(session, "druhy")
    ids = (first.id, second.id)

    async def prove(user_id: int) -> Proven:
        async with transaction(sessionmaker) as session:
            return await prove_customer(
                session, user_id=user_id, customer_number=NOVAK, strong_proof=False, now=NOW
            )

    # when
    outcomes = await asyncio.gather(*(prove(user_id) for user_id in ids))

    # then
    assert sorted(o.value for o in outcomes) == ["OWNER", "STRONGER_PROOF_NEEDED"]
    async with transaction(sessionmaker) as session:
        assert len(await list_owners(session, customer_number=NOVAK, now=NOW)) == 1


async def test_two_owners_removing_each_other_at_once_leave_one_owner(engine: AsyncEngine) -> None:
    # given: two committed co-owners
    sessionmaker = create_sessionmaker(engine)
    async with transaction(sessionmaker) as session:
        owner, co_owner = await _user(session, "novak"), await _user(session, "jana")
        await _prove(session, owner)
        await _prove(session, co_owner, strong=True)
        await decide_claim(
            session,
            owner_user_id=owner.id,
            claimant_user_id=co_owner.id,
            customer_number=NOVAK,
            approve=True,
            now=NOW,
        )

    async def remove(by: int, whom: int) -> str:
        try:
            async with transaction(sessionmaker) as session:
                await revoke_access(session, owner_user_id=by, user_id=whom, customer_number=NOVAK, now=LATER)
        except LastOwner:
            return "refused"
        except NotFound:  # the remover was removed first
            return "gone"
        return "removed"

    # when
    outcomes = await asyncio.gather(remove(owner.id, co_owner.id), remove(co_owner.id, owner.id))

    # then
    assert sorted(outcomes) in (["gone", "removed"], ["refused", "removed"])
    async with transaction(sessionmaker) as session:
        assert len(await list_owners(session, customer_number=NOVAK, now=LATER)) == 1
