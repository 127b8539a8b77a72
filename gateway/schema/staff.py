"""``staff``: what internal dashboards and the service desk read across customers.

Null unless the caller presents a staff API key (``X-API-Key``). Each field of ``Staff``
declares the ability it needs (``requires_staff``); the roles that grant each ability are
one table, ``gateway.permissions.STAFF_ROLE_ABILITIES``. Customer data reached through here
is the portal's own types, loaders and caches; every customer number an answer reveals is
audited at the end of the request (``gateway.staff``).

The fields live with their areas, one module each:
- ``searchCustomers``: gateway/schema/staff_search.py
- ``overdueInvoices``, ``receivables``: gateway/schema/staff_receivables.py
- ``requestQueue``: gateway/schema/staff_requests.py
- ``nominationStatus``: gateway/schema/staff_nomination.py
- ``auditLog``: gateway/schema/staff_audit.py
"""

from __future__ import annotations

from typing import Annotated

import strawberry

from gateway.context import Info
from gateway.permissions import PUBLIC, NoRejectedCredential, StaffAbility, StaffRole, requires_staff
from gateway.resolvers.staff_audit import resolve_audit_log
from gateway.schema.common import MAX_PAGE_SIZE, described_enum
from gateway.schema.staff_audit import AuditLogConnection, AuditLogFilter

StaffRoleEnum = described_enum(
    StaffRole,
    name="StaffRole",
    description="What a staff API key is for; a key holds one or more roles.",
    values={
        "SUPPORT": "The service desk: reads any customer, searches customers, reads the request queue.",
        "FINANCE": "SUPPORT, plus the receivables summary and the overdue invoices.",
        "OPERATIONS": "SUPPORT, plus the large consumers' nomination status.",
        "AUDITOR": "Reads the audit trail (`Staff.auditLog`) and nothing else.",
    },
)


@strawberry.type(
    description="Work across customers for internal dashboards and the service desk: read-only, "
    "every customer an answer reveals is audited. Each field needs a role of the key "
    "(FORBIDDEN otherwise)."
)
class Staff:
    name: str = strawberry.field(metadata=PUBLIC, description="The API key's name.")
    roles: list[StaffRoleEnum] = strawberry.field(  # type: ignore[valid-type]
        metadata=PUBLIC, description="The key's roles, in a fixed order."
    )

    @strawberry.field(
        permission_classes=[requires_staff(StaffAbility.AUDIT_LOG)],
        description="The audit trail, newest first: every staff read (one entry per customer number "
        "an answer revealed), every read of this trail, and the portal users' actions. Each read "
        "of it is itself recorded (`audit_log_read`). Needs the AUDITOR role.",
    )
    async def audit_log(
        self,
        info: Info,
        filter: Annotated[
            AuditLogFilter | None, strawberry.argument(description="Which entries; all when omitted.")
        ] = None,
        first: Annotated[
            int | None, strawberry.argument(description=f"At most this many entries (0 to {MAX_PAGE_SIZE}).")
        ] = 50,
        after: Annotated[
            str | None, strawberry.argument(description="Continue after this cursor (`pageInfo.endCursor`).")
        ] = None,
    ) -> AuditLogConnection:
        return await resolve_audit_log(info, filter, first, after)


@strawberry.type
class StaffQuery:
    @strawberry.field(
        permission_classes=[NoRejectedCredential],
        description="Work across customers; null unless the caller presents a staff API key "
        "(`X-API-Key`; UNAUTHENTICATED when the key presented is not, or no longer, valid).",
    )
    def staff(self, info: Info) -> Staff | None:
        staff = info.context.staff
        if staff is None:
            return None
        return Staff(name=staff.name, roles=[role for role in StaffRole if role in staff.roles])
