"""Idempotency records: a mutation sent twice with the same key runs once.

Two ways to use them:

* ``get_idempotency_record`` before running, ``put_idempotency_record`` after: enough
  when a duplicate racing the first request may run twice (the second put keeps the
  first response).
* ``claim_idempotency_key`` (commit it at once, in its own transaction), run the
  mutation, then ``complete_idempotency_key``, or ``release_idempotency_key`` when it
  failed so a retry may run. A concurrent duplicate sees ``IN_PROGRESS``.

The same key with a different request (``request_hash``) is a client error
(``MISMATCH``): the caller answers BAD_USER_INPUT rather than replaying.
"""

from __future__ import annotations

import enum
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Insert, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.store.models import IdempotencyRecord, IdempotencyStatus


class ClaimState(enum.Enum):
    NEW = "NEW"  # the caller runs the mutation
    REPLAY = "REPLAY"  # done before: answer ``record.response``
    IN_PROGRESS = "IN_PROGRESS"  # a duplicate is running now
    MISMATCH = "MISMATCH"  # the key was used for another request


@dataclass(frozen=True, slots=True)
class Claim:
    state: ClaimState
    record: IdempotencyRecord


def request_hash(operation: str, arguments: Any) -> str:
    """A stable hash of a mutation's input (canonical JSON; ``str`` for other values)."""
    canonical = json.dumps([operation, arguments], sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _insert(session: AsyncSession) -> Insert:
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert(IdempotencyRecord)
    if dialect == "sqlite":
        return sqlite.insert(IdempotencyRecord)
    raise RuntimeError(f"idempotency records need PostgreSQL or SQLite, not {dialect}")


async def _insert_if_absent(session: AsyncSession, values: dict[str, Any]) -> bool:
    """Insert unless (user_id, key) exists, atomically; True when this call inserted."""
    statement = _insert(session).values(**values)
    assert isinstance(statement, postgresql.Insert | sqlite.Insert)
    result = await session.execute(
        statement.on_conflict_do_nothing(index_elements=["user_id", "key"]).returning(IdempotencyRecord.id)
    )
    return result.scalar_one_or_none() is not None


async def get_idempotency_record(
    session: AsyncSession, *, user_id: int, key: str
) -> IdempotencyRecord | None:
    query = (
        select(IdempotencyRecord)
        .where(IdempotencyRecord.user_id == user_id, IdempotencyRecord.key == key)
        .execution_options(populate_existing=True)
    )
    return (await session.execute(query)).scalar_one_or_none()


async def _load(session: AsyncSession, *, user_id: int, key: str) -> IdempotencyRecord:
    record = await get_idempotency_record(session, user_id=user_id, key=key)
    assert record is not None, "the row was just inserted or found conflicting"
    return record


async def put_idempotency_record(
    session: AsyncSession,
    *,
    user_id: int,
    key: str,
    operation: str,
    request_hash: str,
    response: dict[str, Any],
    now: datetime,
) -> IdempotencyRecord:
    """Store a finished mutation's response. If the key is already recorded the existing
    record wins and is returned unchanged."""
    await _insert_if_absent(
        session,
        {
            "user_id": user_id,
            "key": key,
            "operation": operation,
            "request_hash": request_hash,
            "response": response,
            "status": IdempotencyStatus.COMPLETED.value,
            "created_at": now,
            "completed_at": now,
        },
    )
    return await _load(session, user_id=user_id, key=key)


async def claim_idempotency_key(
    session: AsyncSession, *, user_id: int, key: str, operation: str, request_hash: str, now: datetime
) -> Claim:
    inserted = await _insert_if_absent(
        session,
        {
            "user_id": user_id,
            "key": key,
            "operation": operation,
            "request_hash": request_hash,
            "response": None,
            "status": IdempotencyStatus.IN_PROGRESS.value,
            "created_at": now,
            "completed_at": None,
        },
    )
    record = await _load(session, user_id=user_id, key=key)
    if inserted:
        return Claim(ClaimState.NEW, record)
    if record.operation != operation or record.request_hash != request_hash:
        return Claim(ClaimState.MISMATCH, record)
    if record.status is IdempotencyStatus.IN_PROGRESS:
        return Claim(ClaimState.IN_PROGRESS, record)
    return Claim(ClaimState.REPLAY, record)


async def complete_idempotency_key(
    session: AsyncSession, *, user_id: int, key: str, response: dict[str, Any], now: datetime
) -> IdempotencyRecord:
    record = await _load(session, user_id=user_id, key=key)
    record.response = response
    record.status = IdempotencyStatus.COMPLETED
    record.completed_at = now
    await session.flush()
    return record


async def release_idempotency_key(session: AsyncSession, *, user_id: int, key: str) -> None:
    """Forget an unfinished claim (the mutation failed), so a retry with the key runs."""
    await session.execute(
        delete(IdempotencyRecord).where(
            IdempotencyRecord.user_id == user_id,
            IdempotencyRecord.key == key,
            IdempotencyRecord.status == IdempotencyStatus.IN_PROGRESS,
        )
    )


async def purge_idempotency_records(session: AsyncSession, *, created_before: datetime) -> int:
    """Delete records older than the replay window; returns how many."""
    result = await session.execute(
        delete(IdempotencyRecord)
        .where(IdempotencyRecord.created_at < created_before)
        .returning(IdempotencyRecord.id)
    )
    return len(result.scalars().all())
