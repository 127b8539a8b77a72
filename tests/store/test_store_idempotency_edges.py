"""Idempotency records: edges the mutation run (``make mutate``) found unpinned. Releasing
touches only its own claim, purging keeps a record of exactly the cut-off, every claim carries
its record, and completion is stamped."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.passwords import hash_password
from gateway.store.accounts import create_user
from gateway.store.idempotency import (
    ClaimState,
    claim_idempotency_key,
    complete_idempotency_key,
    get_idempotency_record,
    purge_idempotency_records,
    put_idempotency_record,
    release_idempotency_key,
    request_hash,
)
from gateway.store.models import IdempotencyStatus, User

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
OPERATION = "submitRequest"
HASH = request_hash(OPERATION, {"kind": "METER_READING", "value": "1234,5"})
RESPONSE = {"requestId": "R-1", "status": "OPEN"}

PASSWORD_HASH = hash_password("Demo-heslo-2026")


@pytest.fixture
async def user(session: AsyncSession) -> User:
    return await create_user(session, login="novak", password_hash=PASSWORD_HASH, email=None, now=NOW)


async def claim(session: AsyncSession, user: User, key: str, request: str = HASH) -> ClaimState:
    made = await claim_idempotency_key(
        session, user_id=user.id, key=key, operation=OPERATION, request_hash=request, now=NOW
    )
    return made.state


async def test_releasing_a_claim_leaves_every_other_record_alone(session: AsyncSession, user: User) -> None:
    # given: this user's claim to release, another claim of theirs, a completed key, and
    # another user's claim of the same key
    other = await create_user(session, login="svobodova", password_hash=PASSWORD_HASH, email=None, now=NOW)
    await claim(session, user, "mine")
    await claim(session, user, "also-mine")
    await claim(session, user, "done")
    await complete_idempotency_key(session, user_id=user.id, key="done", response=RESPONSE, now=NOW)
    await claim(session, other, "mine")

    # when
    await release_idempotency_key(session, user_id=user.id, key="mine")

    # then
    assert await claim(session, user, "mine") is ClaimState.NEW
    assert await claim(session, user, "also-mine") is ClaimState.IN_PROGRESS
    assert await claim(session, user, "done") is ClaimState.REPLAY
    assert await claim(session, other, "mine") is ClaimState.IN_PROGRESS


async def test_purge_keeps_a_record_made_exactly_at_the_cut_off(session: AsyncSession, user: User) -> None:
    await put_idempotency_record(
        session,
        user_id=user.id,
        key="edge",
        operation=OPERATION,
        request_hash=HASH,
        response=RESPONSE,
        now=NOW,
    )

    assert await purge_idempotency_records(session, created_before=NOW) == 0
    assert await get_idempotency_record(session, user_id=user.id, key="edge") is not None


async def test_every_claim_carries_its_record(session: AsyncSession, user: User) -> None:
    new = await claim_idempotency_key(
        session, user_id=user.id, key="k", operation=OPERATION, request_hash=HASH, now=NOW
    )
    in_progress = await claim_idempotency_key(
        session, user_id=user.id, key="k", operation=OPERATION, request_hash=HASH, now=NOW
    )
    mismatch = await claim_idempotency_key(
        session,
        user_id=user.id,
        key="k",
        operation=OPERATION,
        request_hash=request_hash(OPERATION, {}),
        now=NOW,
    )

    assert [c.state for c in (new, in_progress, mismatch)] == [
        ClaimState.NEW,
        ClaimState.IN_PROGRESS,
        ClaimState.MISMATCH,
    ]
    for made in (new, in_progress, mismatch):
        assert (made.record.key, made.record.request_hash) == ("k", HASH)
    assert new.record.status is IdempotencyStatus.IN_PROGRESS


async def test_completing_a_claim_stamps_when(session: AsyncSession, user: User) -> None:
    await claim(session, user, "k")

    await complete_idempotency_key(
        session, user_id=user.id, key="k", response=RESPONSE, now=NOW + timedelta(seconds=3)
    )

    record = await get_idempotency_record(session, user_id=user.id, key="k")
    assert record is not None
    assert record.completed_at == NOW + timedelta(seconds=3)
    assert record.response == RESPONSE
