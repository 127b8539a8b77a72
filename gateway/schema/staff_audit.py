"""``Staff.auditLog``'s types: the audit trail as an auditor reads it (gateway/resolvers/staff_audit.py)."""

from __future__ import annotations

import datetime as dt

import strawberry

from gateway.permissions import public_fields
from gateway.schema.common import PageInfo, described_enum
from gateway.store.audit import AuditRow
from gateway.store.models import ActorKind

AuditActorKind = described_enum(
    ActorKind,
    name="AuditActorKind",
    description="Who an audit entry's action or read is by.",
    values={
        "USER": "A logged-in portal user (or the user an action created or proved).",
        "STAFF": "A staff API key.",
        "ANONYMOUS": "Nobody logged in (a failed login, a registration before its user exists).",
    },
)


@strawberry.input(description="Every field is optional; all given ones must hold.")
class AuditLogFilter:
    customer_number: str | None = strawberry.field(
        default=None, description="Only entries about this 10-digit customer number."
    )
    actor_kind: AuditActorKind | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Only entries by this kind of actor."
    )
    action: str | None = strawberry.field(
        default=None,
        description="Only entries of this action, exactly as `AuditLogEntry.action` shows it "
        "(`staff_read`, `audit_log_read`, `login`, ...).",
    )
    since: dt.datetime | None = strawberry.field(
        default=None, description="Only entries at or after this moment."
    )
    until: dt.datetime | None = strawberry.field(
        default=None, description="Only entries before this moment (not at it); not before `since`."
    )


@public_fields
@strawberry.type(description="One entry of the audit trail: who did or read what, when, from where.")
class AuditLogEntry:
    at: dt.datetime = strawberry.field(description="When it happened.")
    actor_kind: AuditActorKind = strawberry.field(  # type: ignore[valid-type]
        description="Who acted: a portal user, a staff key or nobody logged in."
    )
    actor: str | None = strawberry.field(
        description="The user's login (USER) or the staff key's name (STAFF); null for ANONYMOUS "
        "and for an actor no longer in the store."
    )
    action: str = strawberry.field(
        description="What happened: `staff_read` (a staff answer revealed the customer number), "
        "`audit_log_read` (a read of this trail), or a portal action (`login`, `grant_access`, ...)."
    )
    customer_number: str | None = strawberry.field(
        description="The customer number it concerns; null when it concerns none."
    )
    operation: str | None = strawberry.field(
        description="The GraphQL operation it was part of (its name, or its root fields), when recorded."
    )
    client_address: str | None = strawberry.field(description="The client's address, when known.")

    @classmethod
    def from_store(cls, row: AuditRow) -> AuditLogEntry:
        entry = row.entry
        operation = (entry.detail or {}).get("operation")
        return cls(
            at=entry.at,
            actor_kind=entry.actor_kind,
            actor=row.actor,
            action=entry.action,
            customer_number=entry.customer_number,
            operation=operation if isinstance(operation, str) else None,
            client_address=entry.client_address,
        )


@public_fields
@strawberry.type(description="One audit entry of a page, with its cursor.")
class AuditLogEdge:
    cursor: str = strawberry.field(
        description="This entry's position: pass it as `after` to continue after it."
    )
    node: AuditLogEntry = strawberry.field(description="The entry.")


@public_fields
@strawberry.type(description="A page of the audit trail, newest first, `first` at most 100.")
class AuditLogConnection:
    edges: list[AuditLogEdge] = strawberry.field(description="The entries of this page, newest first.")
    page_info: PageInfo = strawberry.field(description="Where this page lies; `endCursor` continues it.")
    total_count: int = strawberry.field(description="How many entries match the filter, on every page.")
