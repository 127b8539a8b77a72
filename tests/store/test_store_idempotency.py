from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from gateway.passwords import hash_password
from gateway.store.accounts import create_user
from gateway.store.db import create_sessionmaker
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

PASSWORD_HASH = hash_password("Demo-heslo-2026")
NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
KEY = "7f1c9a52-req-1"
OPERATION = "submitRequest"
HASH = request_hash(OPERATION, {"kind": "METER_READING", "value": "1234,5"})
RESPONSE = {"requestId": "R-1", "status": "OPEN"}


@pytest.fixture
async def user(session: AsyncSession) -> User:
    return await create_user(session, login="novak", password_hash=PASSWORD_HASH, email=None, now=NOW)


def test_the_request_hash_ignores_key_order_but_not_values() -> None:
    assert request_hash("op", {"a": 1, "b": 2}) == request_hash("op", {"b": 2, "a": 1})
    assert request_hash("op", {"a": 1}) != request_hash("op", {"a": 2})
    assert request_hash("op", {"a": 1}) != request_hash("other", {"a": 1})


async def test_put_then_get_replays_the_response(session: AsyncSession, user: User) -> None:
    assert await get_idempotency_record(session, user_id=user.id, key=KEY) is None

    await put_idempotency_record(
        session, user_id=user.id, key=KEY, operation=OPERATION, request_hash=HASH, response=RESPONSE, now=NOW
    )
    await session.commit()
    session.expunge_all()

    record = await get_idempotency_record(session, user_id=user.id, key=KEY)
    assert record is not None
    assert record.response == RESPONSE
    assert record.status is IdempotencyStatus.COMPLETED
    assert record.created_at == NOW


async def test_a_second_put_with_the_same_key_keeps_the_first_response(
    session: AsyncSession, user: User
) -> None:
    await put_idempotency_record(
        session, user_id=user.id, key=KEY, operation=OPERATION, request_hash=HASH, response=RESPONSE, now=NOW
    )

    record = await put_idempotency_record(
        session, user_id=user.id, key=KEY, operation=OPERATION, request_hash=HASH, response={"x": 1}, now=NOW
    )

    assert record.response == RESPONSE


async def test_keys_are_per_user(session: AsyncSession, user: User) -> None:
    other = await create_user(session, login="svobodova", password_hash=PASSWORD_HASH, email=None, now=NOW)
    await put_idempotency_record(
        session, user_id=user.id, key=KEY, operation=OPERATION, request_hash=HASH, response=RESPONSE, now=NOW
    )

    assert await get_idempotency_record(session, user_id=other.id, key=KEY) is None


async def test_claim_complete_replay(session: AsyncSession, user: User) -> None:
    # when / then: the first claim runs, a duplicate meanwhile waits, after completion it replays
    first = await claim_idempotency_key(
        session, user_id=user.id, key=KEY, operation=OPERATION, request_hash=HASH, now=NOW
    )
    assert first.state is ClaimState.NEW
    duplicate = await claim_idempotency_key(
        session, user_id=user.id, key=KEY, operation=OPERATION, request_hash=HASH, now=NOW
    )
    assert duplicate.state is ClaimState.IN_PROGRESS

    await complete_idempotency_key(session, user_id=user.id, key=KEY, response=RESPONSE, now=NOW)

    replay = await claim_idempotency_key(
        session, user_id=user.id, key=KEY, operation=OPERATION, request_hash=HASH, now=NOW
    )
    assert replay.state is ClaimState.REPLAY
    assert replay.record.response == RESPONSE


async def test_the_same_key_for_another_request_is_a_mismatch(session: AsyncSession, user: User) -> None:
    await put_idempotency_record(
        session, user_id=user.id, key=KEY, operation=OPERATION, request_hash=HASH, response=RESPONSE, now=NOW
    )

    claim = await claim_idempotency_key(
        session,
        user_id=user.id,
        key=KEY,
        operation=OPERATION,
        request_hash=request_hash(OPERATION, {}),
        now=NOW,
    )

    assert claim.state is ClaimState.MISMATCH


async def test_a_released_claim_can_be_claimed_again(session: AsyncSession, user: User) -> None:
    await claim_idempotency_key(
        session, user_id=user.id, key=KEY, operation=OPERATION, request_hash=HASH, now=NOW
    )

    await release_idempotency_key(session, user_id=user.id, key=KEY)

    again = await claim_idempotency_key(
        session, user_id=user.id, key=KEY, operation=OPERATION, request_hash=HASH, now=NOW
    )
    assert again.state is ClaimState.NEW


async def test_a_claim_committed_in_one_session_is_seen_by_another(engine: AsyncEngine) -> None:
    sessionmaker = create_sessionmaker(engine)
    async with sessionmaker() as first:
        user = await create_user(first, login="novak", password_hash=PASSWORD_HASH, email=None, now=NOW)
        claim = await claim_idempotency_key(
            first, user_id=user.id, key=KEY, operation=OPERATION, request_hash=HASH, now=NOW
        )
        await first.commit()
    async with sessionmaker() as second:
        duplicate = await claim_idempotency_key(
            second, user_id=user.id, key=KEY, operation=OPERATION, request_hash=HASH, now=NOW
        )

    assert claim.state is ClaimState.NEW
    assert duplicate.state is ClaimState.IN_PROGRESS


async def test_purge_deletes_only_old_records(session: AsyncSession, user: User) -> None:
    for age_days, key in [(3, "old"), (1, "recent")]:
        await put_idempotency_record(
            session,
            user_id=user.id,
            key=key,
            operation=OPERATION,
            request_hash=HASH,
            response=RESPONSE,
            now=NOW - timedelta(days=age_days),
        )

    assert await purge_idempotency_records(session, created_before=NOW - timedelta(days=2)) == 1
    assert await get_idempotency_record(session, user_id=user.id, key="old") is None
    assert await get_idempotency_record(session, user_id=user.id, key="recent") is not None
