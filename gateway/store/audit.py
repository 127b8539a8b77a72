"""The audit log: who did or read what, append-only.

Entries are written in the caller's transaction; a staff read commits with the request
that made it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.store.models import ActorKind, AuditEntry


async def write_audit(
    session: AsyncSession,
    *,
    now: datetime,
    actor_kind: ActorKind,
    actor_id: int | str | None,
    action: str,
    customer_number: str | None = None,
    detail: dict[str, Any] | None = None,
    client_address: str | None = None,
) -> AuditEntry:
    """Append one entry. ``actor_id`` is the user id (USER), the API key id (STAFF) or
    None (ANONYMOUS); ``detail`` must be JSON-serialisable."""
    entry = AuditEntry(
        at=now,
        actor_kind=actor_kind,
        actor_id=None if actor_id is None else str(actor_id),
        action=action,
        customer_number=customer_number,
        detail=detail,
        client_address=client_address[:64] if client_address else None,
    )
    session.add(entry)
    await session.flush()
    return entry


async def list_audit(
    session: AsyncSession,
    *,
    customer_number: str | None = None,
    actor_kind: ActorKind | None = None,
    since: datetime | None = None,
    limit: int = 100,
) -> list[AuditEntry]:
    """The newest entries first, optionally for one customer number, actor kind or period."""
    query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)
    if customer_number is not None:
        query = query.where(AuditEntry.customer_number == customer_number)
    if actor_kind is not None:
        query = query.where(AuditEntry.actor_kind == actor_kind)
    if since is not None:
        query = query.where(AuditEntry.at >= since)
    return list((await session.execute(query)).scalars())
