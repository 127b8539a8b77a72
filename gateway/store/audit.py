"""The audit log: who did or read what, append-only.

Entries are written in the caller's transaction; a staff read commits with the request
that made it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import String, and_, cast, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.store.models import ActorKind, ApiKey, AuditEntry, User


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
    entry = _entry(now, actor_kind, actor_id, action, customer_number, detail, client_address)
    session.add(entry)
    await session.flush()
    return entry


async def write_audit_per_customer(
    session: AsyncSession,
    *,
    now: datetime,
    actor_kind: ActorKind,
    actor_id: int | str | None,
    action: str,
    customer_numbers: Iterable[str],
    detail: dict[str, Any] | None = None,
    client_address: str | None = None,
) -> None:
    """Append one entry per customer number, in one statement (a staff answer revealing a
    page of 100 customers costs one round trip, not 100)."""
    session.add_all(
        _entry(now, actor_kind, actor_id, action, number, detail, client_address)
        for number in customer_numbers
    )
    await session.flush()


def _entry(  # noqa: PLR0917 - an entry's fields, in their order
    now: datetime,
    actor_kind: ActorKind,
    actor_id: int | str | None,
    action: str,
    customer_number: str | None,
    detail: dict[str, Any] | None,
    client_address: str | None,
) -> AuditEntry:
    return AuditEntry(
        at=now,
        actor_kind=actor_kind,
        actor_id=None if actor_id is None else str(actor_id),
        action=action,
        customer_number=customer_number,
        detail=detail,
        client_address=client_address[:64] if client_address else None,
    )


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


@dataclass(frozen=True, slots=True)
class AuditFilter:
    """Which entries: each given condition must hold. ``since`` is inclusive, ``until``
    exclusive (a period ``[since, until)``)."""

    customer_number: str | None = None
    actor_kind: ActorKind | None = None
    action: str | None = None
    since: datetime | None = None
    until: datetime | None = None


@dataclass(frozen=True, slots=True)
class AuditRow:
    entry: AuditEntry
    actor: str | None  # the user's login (USER), the key's name (STAFF), else None


@dataclass(frozen=True, slots=True)
class AuditPage:
    rows: list[AuditRow]
    total: int  # entries matching the filter, on every page


async def page_audit(session: AsyncSession, *, where: AuditFilter, offset: int, limit: int) -> AuditPage:
    """One page of the entries matching ``where``, newest first (``at``, then ``id``, both
    descending: a stable order for offset paging), with who acted by name, and how many
    match in all. Paged in SQL: two statements, whatever the log's size."""
    conditions = []
    if where.customer_number is not None:
        conditions.append(AuditEntry.customer_number == where.customer_number)
    if where.actor_kind is not None:
        conditions.append(AuditEntry.actor_kind == where.actor_kind)
    if where.action is not None:
        conditions.append(AuditEntry.action == where.action)
    if where.since is not None:
        conditions.append(AuditEntry.at >= where.since)
    if where.until is not None:
        conditions.append(AuditEntry.at < where.until)
    total = (
        await session.execute(select(func.count()).select_from(AuditEntry).where(*conditions))
    ).scalar_one()
    if limit == 0 or offset >= total:
        return AuditPage(rows=[], total=total)
    query = (
        select(AuditEntry, User.login, ApiKey.name)
        .outerjoin(
            User,
            and_(AuditEntry.actor_kind == ActorKind.USER, AuditEntry.actor_id == cast(User.id, String)),
        )
        .outerjoin(
            ApiKey,
            and_(AuditEntry.actor_kind == ActorKind.STAFF, AuditEntry.actor_id == cast(ApiKey.id, String)),
        )
        .where(*conditions)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .offset(offset)
        .limit(limit)
    )
    rows = [
        AuditRow(entry=entry, actor=login if entry.actor_kind is ActorKind.USER else key_name)
        for entry, login, key_name in (await session.execute(query)).all()
    ]
    return AuditPage(rows=rows, total=total)
