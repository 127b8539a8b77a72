"""Idempotency records: a mutation sent twice with the same key runs once.

Two ways to use them:

* ``get_idempotency_record`` before running, ``put_idempotency_record`` after: enough
  when a duplicate racing the first request may run twice (the second put keeps the
  first response).
* ``claim_idempotency_key`` (commit it at once, in its own transaction), run the
  mutation, then ``complete_idempotency_key``, or ``release_idempotency_key`` when it
  failed so a retry may run. A concurrent duplicate sees ``IN_PROGRESS``.

A claim is a lease: it is its runner's until ``lease_expires_at``. A runner that dies
mid-call (SIGKILL, a lost node) leaves its claim behind; once the lease has run out, the
next retry with the same key and request takes it over (``NEW`` with ``resumed``) and runs
the mutation again. That is safe only for mutations that a back end does once however often
they are sent: a CRM case carries the key as its client reference (the CRM answers the case
it filed before), instant changes and nomination values are absolute. A lease that runs out
while its runner is merely slow costs a second call, never a second effect. A claim written
before leases existed (``lease_expires_at`` NULL) ends at ``created_at`` plus the lease.

The same key with a different request (``request_hash``) is a client error
(``MISMATCH``): the caller answers BAD_USER_INPUT rather than replaying.
"""

from __future__ import annotations

import enum
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Insert, and_, delete, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.store.models import IdempotencyRecord, IdempotencyStatus

DEFAULT_LEASE = timedelta(seconds=60)


class ClaimState(enum.Enum):
    NEW = "NEW"  # the caller runs the mutation (``resumed``: after a runner whose lease ran out)
    REPLAY = "REPLAY"  # done before: answer ``record.response``
    IN_PROGRESS = "IN_PROGRESS"  # a duplicate is running now
    MISMATCH = "MISMATCH"  # the key was used for another request


@dataclass(frozen=True, slots=True)
class Claim:
    state: ClaimState
    record: IdempotencyRecord
    resumed: bool = False  # NEW: taken over from a runner whose lease ran out
    # NEW: the lease this claim holds, as it was made (the record may be refreshed since);
    # what ``release_idempotency_key`` fences on.
    lease_expires_at: datetime | None = None

    def lease_left(self, now: datetime, lease: timedelta = DEFAULT_LEASE) -> float:
        """Seconds until an IN_PROGRESS claim may be taken over (0 when it may now)."""
        return max(0.0, (_lease_end(self.record, lease) - now).total_seconds())


def _lease_end(record: IdempotencyRecord, lease: timedelta) -> datetime:
    return record.lease_expires_at or record.created_at + lease


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
    session: AsyncSession,
    *,
    user_id: int,
    key: str,
    operation: str,
    request_hash: str,
    now: datetime,
    lease: timedelta = DEFAULT_LEASE,
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
            "lease_expires_at": now + lease,
        },
    )
    record = await _load(session, user_id=user_id, key=key)
    if inserted:
        return Claim(ClaimState.NEW, record, lease_expires_at=record.lease_expires_at)
    if record.operation != operation or record.request_hash != request_hash:
        return Claim(ClaimState.MISMATCH, record)
    if record.status is IdempotencyStatus.IN_PROGRESS:
        if await _take_over(session, record, now=now, lease=lease):
            record = await _load(session, user_id=user_id, key=key)
            return Claim(ClaimState.NEW, record, resumed=True, lease_expires_at=record.lease_expires_at)
        return Claim(ClaimState.IN_PROGRESS, record)
    return Claim(ClaimState.REPLAY, record)


async def _take_over(
    session: AsyncSession, record: IdempotencyRecord, *, now: datetime, lease: timedelta
) -> bool:
    """Renew ``record``'s lease for this caller if it has run out, atomically: of several
    retries arriving at once, one takes the claim over."""
    table = IdempotencyRecord
    result = await session.execute(
        update(table)
        .where(
            table.id == record.id,
            table.status == IdempotencyStatus.IN_PROGRESS,
            or_(
                table.lease_expires_at <= now,
                and_(table.lease_expires_at.is_(None), table.created_at <= now - lease),
            ),
        )
        .values(lease_expires_at=now + lease)
        .returning(table.id)
        .execution_options(synchronize_session=False)
    )
    return result.scalar_one_or_none() is not None


async def complete_idempotency_key(
    session: AsyncSession, *, user_id: int, key: str, response: dict[str, Any], now: datetime
) -> IdempotencyRecord:
    record = await _load(session, user_id=user_id, key=key)
    record.response = response
    record.status = IdempotencyStatus.COMPLETED
    record.completed_at = now
    await session.flush()
    return record


async def release_idempotency_key(
    session: AsyncSession, *, user_id: int, key: str, lease_expires_at: datetime | None = None
) -> None:
    """Forget an unfinished claim (the mutation failed), so a retry with the key runs. Given
    the lease its claim was made with (``Claim.lease_expires_at``), only that claim:
    not one a retry took over after the lease ran out."""
    table = IdempotencyRecord
    query = delete(table).where(
        table.user_id == user_id, table.key == key, table.status == IdempotencyStatus.IN_PROGRESS
    )
    if lease_expires_at is not None:
        query = query.where(table.lease_expires_at == lease_expires_at)
    await session.execute(query)


async def purge_idempotency_records(session: AsyncSession, *, created_before: datetime) -> int:
    """Delete records older than the replay window; returns how many."""
    result = await session.execute(
        delete(IdempotencyRecord)
        .where(IdempotencyRecord.created_at < created_before)
        .returning(IdempotencyRecord.id)
    )
    return len(result.scalars().all())
