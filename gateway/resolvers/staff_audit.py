"""``Staff.auditLog``: the audit trail for an AUDITOR key, paged in SQL.

Reading the trail is itself recorded: one entry per read, action ``audit_log_read``, actor
the reading key, ``customerNumber`` the filter's (so a look at one customer's trail is in
that customer's trail), the filter and the operation in its detail. It is written in the
same transaction after the page is read, so a read never shows itself, and the next one
does. The customer numbers the page shows are not written as ``staff_read`` entries: they
are the trail itself, and each read would otherwise grow it by a page.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from gateway.context import Info
from gateway.errors import BadUserInput, Forbidden
from gateway.schema.common import decode_offset_cursor, offset_cursor, page_info, page_size
from gateway.schema.staff_audit import AuditLogConnection, AuditLogEdge, AuditLogEntry, AuditLogFilter
from gateway.sessions import client_address
from gateway.store import audit
from gateway.store.db import transaction
from gateway.store.models import ActorKind

AUDIT_LOG_READ = "audit_log_read"
MAX_ACTION = 64  # audit_log.action's width


def _is_customer_number(text: str) -> bool:
    return len(text) == 10 and text.isascii() and text.isdigit()


def _period(filter: AuditLogFilter) -> tuple[dt.datetime | None, dt.datetime | None]:
    since, until = filter.since, filter.until
    if since is not None and until is not None and since > until:
        raise BadUserInput("`filter.since` is later than `filter.until`.")
    return since, until


def audit_filter(filter: AuditLogFilter | None) -> audit.AuditFilter:
    """The store's filter; BAD_USER_INPUT (before anything is read) for a period that ends
    before it starts, a customer number that is not 10 digits, or an action longer than any."""
    if filter is None:
        return audit.AuditFilter()
    number = filter.customer_number
    if number is not None and not _is_customer_number(number):
        raise BadUserInput("`filter.customerNumber` is not a customer number (10 digits).")
    if filter.action is not None and not 0 < len(filter.action) <= MAX_ACTION:
        raise BadUserInput(f"`filter.action` must have 1 to {MAX_ACTION} characters.")
    since, until = _period(filter)
    return audit.AuditFilter(
        customer_number=number,
        actor_kind=None if filter.actor_kind is None else ActorKind(filter.actor_kind),
        action=filter.action,
        since=since,
        until=until,
    )


def _described(where: audit.AuditFilter) -> dict[str, Any]:
    """The filter as the read's own entry keeps it (JSON)."""
    shown = {
        "customerNumber": where.customer_number,
        "actorKind": None if where.actor_kind is None else where.actor_kind.value,
        "action": where.action,
        "since": None if where.since is None else where.since.isoformat(),
        "until": None if where.until is None else where.until.isoformat(),
    }
    return {name: value for name, value in shown.items() if value is not None}


async def resolve_audit_log(
    info: Info, filter: AuditLogFilter | None, first: int | None, after: str | None
) -> AuditLogConnection:
    context = info.context
    limit = page_size(first)
    offset = decode_offset_cursor(after)
    where = audit_filter(filter)
    staff = context.staff
    if staff is None:  # the field's permission lets only staff in
        raise Forbidden
    async with transaction(context.services.store) as db:
        page = await audit.page_audit(db, where=where, offset=offset, limit=limit)
        await audit.write_audit(
            db,
            now=context.services.clock(),
            actor_kind=ActorKind.STAFF,
            actor_id=staff.key_id,
            action=AUDIT_LOG_READ,
            customer_number=where.customer_number,
            detail={
                "operation": context.operation.label[:64] if context.operation else None,
                "staff": staff.name,
                "filter": _described(where),
                "offset": offset,
                "shown": len(page.rows),
            },
            client_address=client_address(context.request),
        )
    edges = [
        AuditLogEdge(cursor=offset_cursor(offset + i), node=AuditLogEntry.from_store(row))
        for i, row in enumerate(page.rows)
    ]
    return AuditLogConnection(
        edges=edges,
        page_info=page_info(offset, edges, page.total),
        total_count=page.total,
    )
