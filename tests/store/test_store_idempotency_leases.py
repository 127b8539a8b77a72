"""Idempotency claims are leases: a claim left by a runner that died is taken over by a retry
once its lease has run out, by one retry only, and the dead runner's late release does not
drop the claim its successor holds. A claim written before leases (no ``lease_expires_at``)
expires too, ``created_at`` plus the lease."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from gateway.passwords import hash_password
from gateway.store.accounts import create_user
from gateway.store.db import create_sessionmaker
from gateway.store.idempotency import (
    Claim,
    ClaimState,
    claim_idempotency_key,
    complete_idempotency_key,
    get_idempotency_record,
    release_idempotency_key,
    request_hash,
)
from gateway.store.models import IdempotencyRecord, IdempotencyStatus, User

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
LEASE = timedelta(seconds=30)
KEY = "key-1"
OPERATION = "submitRequest"
HASH = request_hash(OPERATION, {"kind": "FREE_TEXT"})
PASSWORD_HASH = hash_password("Demo-heslo-2026")


@pytest.fixture
async def user(session: AsyncSession) -> User:
    return await create_user(session, login="novak", password_hash=PASSWORD_HASH, email=None, now=NOW)


async def claim(session: AsyncSession, user: User, at: datetime, request: str = HASH) -> Claim:
    return await claim_idempotency_key(
        session, user_id=user.id, key=KEY, operation=OPERATION, request_hash=request, now=at, lease=LEASE
    )


async def test_a_claim_is_held_until_its_lease_runs_out_then_a_retry_takes_it_over(
    session: AsyncSession, user: User
) -> None:
    first = await claim(session, user, NOW)
    assert first.state is ClaimState.NEW and not first.resumed
    assert first.lease_expires_at == NOW + LEASE

    during = await claim(session, user, NOW + LEASE - timedelta(seconds=1))
    assert during.state is ClaimState.IN_PROGRESS
    assert during.lease_left(NOW + LEASE - timedelta(seconds=1), LEASE) == 1.0

    after = await claim(session, user, NOW + LEASE)
    assert after.state is ClaimState.NEW and after.resumed
    assert after.lease_expires_at == NOW + 2 * LEASE
    # the successor holds a fresh lease: a third runner waits again
    assert (await claim(session, user, NOW + LEASE + timedelta(seconds=1))).state is ClaimState.IN_PROGRESS


async def test_an_expired_claim_of_another_request_stays_a_mismatch(
    session: AsyncSession, user: User
) -> None:
    await claim(session, user, NOW)

    other = await claim(session, user, NOW + 2 * LEASE, request=request_hash(OPERATION, {"kind": "OTHER"}))

    assert other.state is ClaimState.MISMATCH


async def test_a_completed_key_replays_however_old_its_lease(session: AsyncSession, user: User) -> None:
    await claim(session, user, NOW)
    await complete_idempotency_key(session, user_id=user.id, key=KEY, response={"request_id": "1"}, now=NOW)

    assert (await claim(session, user, NOW + 10 * LEASE)).state is ClaimState.REPLAY


async def test_a_claim_written_before_leases_expires_at_its_creation_plus_the_lease(
    session: AsyncSession, user: User
) -> None:
    await claim(session, user, NOW)
    await session.execute(update(IdempotencyRecord).values(lease_expires_at=None))  # as 0002 left it

    assert (await claim(session, user, NOW + LEASE - timedelta(seconds=1))).state is ClaimState.IN_PROGRESS
    taken = await claim(session, user, NOW + LEASE)
    assert taken.state is ClaimState.NEW and taken.resumed


async def test_the_dead_runners_late_release_leaves_its_successors_claim(
    session: AsyncSession, user: User
) -> None:
    first = await claim(session, user, NOW)
    second = await claim(session, user, NOW + LEASE)
    assert second.resumed

    await release_idempotency_key(session, user_id=user.id, key=KEY, lease_expires_at=first.lease_expires_at)
    record = await get_idempotency_record(session, user_id=user.id, key=KEY)
    assert record is not None and record.status is IdempotencyStatus.IN_PROGRESS

    await release_idempotency_key(session, user_id=user.id, key=KEY, lease_expires_at=second.lease_expires_at)
    assert await get_idempotency_record(session, user_id=user.id, key=KEY) is None


async def test_of_retries_racing_for_an_expired_claim_one_takes_it_over(engine: AsyncEngine) -> None:
    sessionmaker = create_sessionmaker(engine)
    async with sessionmaker() as setup, setup.begin():
        user = await create_user(setup, login="novak", password_hash=PASSWORD_HASH, email=None, now=NOW)
        await claim(setup, user, NOW)

    states = []
    for _ in range(3):  # each in its own committed transaction, as the resolvers claim
        async with sessionmaker() as session, session.begin():
            states.append((await claim(session, user, NOW + LEASE)).state)

    assert states == [ClaimState.NEW, ClaimState.IN_PROGRESS, ClaimState.IN_PROGRESS]
