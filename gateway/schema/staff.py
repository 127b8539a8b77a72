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

import datetime as dt
from typing import Annotated

import strawberry

from gateway.context import Info
from gateway.domain.billing import OverdueOrder
from gateway.permissions import PUBLIC, NoRejectedCredential, StaffAbility, StaffRole, requires_staff
from gateway.resolvers.staff_audit import resolve_audit_log
from gateway.resolvers.staff_nomination import resolve_nomination_status
from gateway.resolvers.staff_receivables import resolve_overdue_invoices, resolve_receivables
from gateway.resolvers.staff_requests import resolve_request_queue
from gateway.resolvers.staff_search import search_customers
from gateway.schema.common import MAX_PAGE_SIZE, described_enum
from gateway.schema.staff_audit import AuditLogConnection, AuditLogFilter
from gateway.schema.staff_nomination import NominationStatus
from gateway.schema.staff_receivables import (
    OverdueInvoiceConnection,
    OverdueInvoiceFilter,
    OverdueInvoiceOrder,
    Receivables,
)
from gateway.schema.staff_requests import (
    RequestQueueConnection,
    RequestQueueFilter,
    RequestQueueOrder,
    RequestQueueOrderValue,
)
from gateway.schema.staff_search import CustomerSearchConnection

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
        permission_classes=[requires_staff(StaffAbility.SEARCH_CUSTOMERS)],
        description="Find any customer by what was typed: a customer number, an EAN or EIC, a "
        "variable symbol, an invoice number, an IČO, an e-mail, a phone number, an address or a "
        "name prefix (see `CustomerSearchKind`). Each customer answered is audited. BAD_USER_INPUT "
        "for an empty query, one over 100 characters or with control characters.",
    )
    async def search_customers(
        self,
        info: Info,
        query: Annotated[str, strawberry.argument(description="What was typed into the search box.")],
        first: Annotated[int | None, strawberry.argument(description="Page size, at most 100.")] = 20,
        after: Annotated[
            str | None, strawberry.argument(description="Continue after this cursor (`endCursor`).")
        ] = None,
    ) -> CustomerSearchConnection:
        return await search_customers(info, query, first, after)

    @strawberry.field(
        permission_classes=[requires_staff(StaffAbility.RECEIVABLES)],
        description="The overdue invoices of every customer, as billing reckons them today "
        "(FINANCE). Every customer on the page is audited.",
    )
    async def overdue_invoices(
        self,
        info: Info,
        filter: Annotated[
            OverdueInvoiceFilter | None,
            strawberry.argument(description="Which overdue invoices; all when omitted."),
        ] = None,
        order_by: Annotated[
            OverdueInvoiceOrder | None,  # type: ignore[valid-type]
            strawberry.argument(description="Their order (null: the default); ties by billing's invoice id."),
        ] = OverdueOrder.DAYS_OVERDUE_DESC,
        first: Annotated[int | None, strawberry.argument(description="How many, at most 100.")] = 20,
        after: Annotated[
            str | None, strawberry.argument(description="Continue after this cursor (`endCursor`).")
        ] = None,
    ) -> OverdueInvoiceConnection:
        order = order_by or OverdueOrder.DAYS_OVERDUE_DESC
        return await resolve_overdue_invoices(info, filter, order, first, after)

    @strawberry.field(
        permission_classes=[requires_staff(StaffAbility.RECEIVABLES)],
        description="What customers owe, per segment and overall, by status and by age (FINANCE). "
        "Names no customer.",
    )
    async def receivables(self, info: Info) -> Receivables:
        return await resolve_receivables(info)

    @strawberry.field(
        permission_classes=[requires_staff(StaffAbility.REQUEST_QUEUE)],
        description="Customers' requests across customers, as the CRM's worklist holds them: filter by "
        "state, kind and age, oldest or newest first. Needs SUPPORT (or a role that includes it).",
    )
    async def request_queue(
        self,
        info: Info,
        filter: Annotated[
            RequestQueueFilter | None,
            strawberry.argument(description="Which requests; every request when omitted."),
        ] = None,
        order_by: Annotated[
            RequestQueueOrder | None,  # type: ignore[valid-type]
            strawberry.argument(description="By when each request was filed; oldest first when omitted."),
        ] = RequestQueueOrderValue.OLDEST_FIRST,
        first: Annotated[
            int | None, strawberry.argument(description="How many requests, 0 to 100; 20 when omitted.")
        ] = 20,
        after: Annotated[
            str | None,
            strawberry.argument(
                description="The `cursor` of the edge (or `pageInfo.endCursor`) to continue after; from "
                "the start when omitted."
            ),
        ] = None,
    ) -> RequestQueueConnection:
        return await resolve_request_queue(
            info, filter, order_by or RequestQueueOrderValue.OLDEST_FIRST, first, after
        )

    @strawberry.field(
        permission_classes=[requires_staff(StaffAbility.NOMINATION_STATUS)],
        description="Which large consumers have submitted a week's weekly nomination, and when its "
        "gate closes. Needs OPERATIONS.",
    )
    async def nomination_status(
        self,
        info: Info,
        week: Annotated[
            dt.date | None,
            strawberry.argument(
                description="Any day of the week (Europe/Prague); the coming week (from next Monday) "
                "when omitted. At most 52 weeks before and 12 after the coming week (BAD_USER_INPUT)."
            ),
        ] = None,
    ) -> NominationStatus:
        return await resolve_nomination_status(info, week)

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
