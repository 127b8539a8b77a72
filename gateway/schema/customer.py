"""The customer number and everything hanging off it."""

from __future__ import annotations

from typing import Annotated

import strawberry

from gateway.context import Info
from gateway.domain import customers as domain
from gateway.domain.access import Scope
from gateway.domain.customers import Customer as DomainCustomer
from gateway.errors import NotFound
from gateway.permissions import OWNER_OR_STAFF, PUBLIC, REQUEST_READERS, Role, requires, requires_any
from gateway.resolvers.access_grants import resolve_access_grants, resolve_ownership_claims
from gateway.resolvers.billing import resolve_invoices
from gateway.resolvers.deposits import resolve_deposit_plans
from gateway.resolvers.messages import resolve_messages, resolve_unread_message_count
from gateway.resolvers.nomination import resolve_nomination_contract
from gateway.resolvers.payments import resolve_payments
from gateway.resolvers.reminders import resolve_reminders
from gateway.resolvers.requests import resolve_requests
from gateway.resolvers.supply_points import resolve_supply_point_connection, resolve_supply_points
from gateway.schema.access_grants import AccessGrant, OwnershipClaim
from gateway.schema.billing import (
    DepositPlan,
    Invoice,
    InvoiceFilter,
    Payment,
    PaymentFilter,
    Reminder,
)
from gateway.schema.common import Address, described_enum
from gateway.schema.messages import Message, MessageFilter
from gateway.schema.node import Node, to_global_id
from gateway.schema.nomination import NominationContract
from gateway.schema.overview import AccountOverview
from gateway.schema.pagination import Connection
from gateway.schema.requests import CustomerRequest, RequestFilter
from gateway.schema.supply_points import SupplyPoint, SupplyPointFilter

Segment = described_enum(
    domain.Segment,
    description="What kind of customer the number belongs to.",
    values={
        "HOUSEHOLD": "A household (domácnost).",
        "BUSINESS": "A business (maloodběr podnikatelé): often many supply points.",
        "LARGE": "A large consumer (velkoodběr): has a nomination contract (`Customer.nomination`).",
    },
)
First = Annotated[int | None, strawberry.argument(description="How many items, 0 to 100; 20 when omitted.")]
After = Annotated[
    str | None,
    strawberry.argument(
        description="The `cursor` of the edge (or `pageInfo.endCursor`) to continue after; from the "
        "start when omitted."
    ),
]


async def _master_data(info: Info, number: str) -> DomainCustomer:
    customer = await info.context.loaders.customer_by_number.load(number)
    if customer is None:
        raise NotFound
    return customer


@strawberry.type(description="A customer number (zákaznické číslo) the viewer may see.")
class Customer(Node):
    number: str = strawberry.field(
        description="The 10-digit customer number (zákaznické číslo).", metadata=PUBLIC
    )
    customer_number: strawberry.Private[str]

    @classmethod
    def of(cls, number: str) -> Customer:
        """Only after the viewer's access to ``number`` has been checked."""
        return cls(id=to_global_id("Customer", number), number=number, customer_number=number)

    @strawberry.field(
        permission_classes=[requires(Scope.VIEW_SUPPLY_POINTS)],
        description="Personal data: needs VIEW_SUPPLY_POINTS (owners and staff hold it).",
    )
    async def name(self, info: Info) -> str | None:
        return (await _master_data(info, self.number)).name

    @strawberry.field(
        description="HOUSEHOLD, BUSINESS or LARGE (nomination); null when a field error says why.",
        metadata=PUBLIC,
    )
    async def segment(self, info: Info) -> Segment | None:  # type: ignore[valid-type]
        return (await _master_data(info, self.number)).segment

    @strawberry.field(
        permission_classes=[requires(Scope.VIEW_SUPPLY_POINTS)],
        description="Personal data: needs VIEW_SUPPLY_POINTS (owners and staff hold it).",
    )
    async def permanent_address(self, info: Info) -> Address | None:
        return Address.from_domain((await _master_data(info, self.number)).permanent_address)

    @strawberry.field(
        permission_classes=[OWNER_OR_STAFF],
        description="The customer's contact e-mail, as the CRM holds it (a `contactChange` request "
        "changes it). Owner or staff.",
    )
    async def email(self, info: Info) -> str | None:
        return (await _master_data(info, self.number)).email

    @strawberry.field(
        permission_classes=[OWNER_OR_STAFF],
        description="The customer's contact phone, E.164 (`+420601123456`). Owner or staff.",
    )
    async def phone(self, info: Info) -> str | None:
        return (await _master_data(info, self.number)).phone

    @strawberry.field(
        permission_classes=[OWNER_OR_STAFF],
        description="IČO, the company's 8-digit identification number; null for a household. Owner or staff.",
    )
    async def ico(self, info: Info) -> str | None:
        return (await _master_data(info, self.number)).ico

    @strawberry.field(
        permission_classes=[OWNER_OR_STAFF],
        description="DIČ, the VAT number (`CZ25123891`); null for a household. Owner or staff.",
    )
    async def dic(self, info: Info) -> str | None:
        return (await _master_data(info, self.number)).vat_id

    @strawberry.field(
        permission_classes=[OWNER_OR_STAFF],
        description="The customer's bank account in Czech form (`19-2000145399/0800`), where refunds "
        "go; a delegate never sees it. Owner or staff.",
    )
    async def bank_account(self, info: Info) -> str | None:
        return (await _master_data(info, self.number)).bank_account

    @strawberry.field(
        permission_classes=[requires(Scope.VIEW_SUPPLY_POINTS)],
        description="Every supply point in one list, in the CRM's order. Needs VIEW_SUPPLY_POINTS.",
        deprecation_reason="Use `supplyPointConnection`: filtered and paged (a business customer has "
        "hundreds of supply points).",
    )
    async def supply_points(self, info: Info) -> list[SupplyPoint] | None:
        return await resolve_supply_points(info, self.number)

    @strawberry.field(
        permission_classes=[requires(Scope.VIEW_SUPPLY_POINTS)],
        description="The supply points (odběrná místa), filtered and paged, ordered by code. Needs "
        "VIEW_SUPPLY_POINTS; null when a field error says why.",
    )
    async def supply_point_connection(
        self,
        info: Info,
        filter: Annotated[
            SupplyPointFilter | None,
            strawberry.argument(description="Narrows the list; every supply point when omitted."),
        ] = None,
        first: First = None,
        after: After = None,
    ) -> Connection[SupplyPoint] | None:
        return await resolve_supply_point_connection(info, self.number, filter, first, after)

    @strawberry.field(
        description="Invoices, newest first, filtered and paged. Needs VIEW_BILLING.",
        permission_classes=[requires(Scope.VIEW_BILLING)],
    )
    async def invoices(
        self,
        info: Info,
        filter: Annotated[
            InvoiceFilter | None,
            strawberry.argument(description="Narrows the list; every invoice when omitted."),
        ] = None,
        first: First = None,
        after: After = None,
    ) -> Connection[Invoice] | None:
        return await resolve_invoices(info, self.number, filter, first, after)

    @strawberry.field(
        permission_classes=[requires(Scope.VIEW_BILLING)],
        description="One deposit plan (schedule of advance payments) per supply point. Needs VIEW_BILLING.",
    )
    async def deposit_plans(self, info: Info) -> list[DepositPlan] | None:
        return await resolve_deposit_plans(info, self.number)

    @strawberry.field(
        permission_classes=[requires(Scope.VIEW_BILLING)],
        description="Payments received and sent (refunds), newest first. Needs VIEW_BILLING.",
    )
    async def payments(
        self,
        info: Info,
        filter: Annotated[
            PaymentFilter | None,
            strawberry.argument(description="Narrows the list; every payment when omitted."),
        ] = None,
        first: First = None,
        after: After = None,
    ) -> Connection[Payment] | None:
        return await resolve_payments(info, self.number, filter, first, after)

    @strawberry.field(
        permission_classes=[requires(Scope.VIEW_BILLING)],
        description="Reminders (upomínky) of overdue invoices, newest first. Needs VIEW_BILLING.",
    )
    async def reminders(
        self, info: Info, first: First = None, after: After = None
    ) -> Connection[Reminder] | None:
        return await resolve_reminders(info, self.number, first, after)

    @strawberry.field(
        permission_classes=[REQUEST_READERS],
        description="Open and closed requests, newest first. Needs VIEW_BILLING or SUBMIT_REQUESTS.",
    )
    async def requests(
        self,
        info: Info,
        filter: Annotated[
            RequestFilter | None,
            strawberry.argument(description="Narrows the list; every request when omitted."),
        ] = None,
        first: First = None,
        after: After = None,
    ) -> Connection[CustomerRequest] | None:
        return await resolve_requests(info, self.number, filter, first, after)

    @strawberry.field(
        permission_classes=[OWNER_OR_STAFF], description="The inbox, newest first. Owner or staff."
    )
    async def messages(
        self,
        info: Info,
        filter: Annotated[
            MessageFilter | None,
            strawberry.argument(description="Narrows the inbox; every message when omitted."),
        ] = None,
        first: First = None,
        after: After = None,
    ) -> Connection[Message] | None:
        return await resolve_messages(info, self.number, filter, first, after)

    @strawberry.field(
        description="Unread messages in the inbox. Owner or staff.", permission_classes=[OWNER_OR_STAFF]
    )
    async def unread_message_count(self, info: Info) -> int | None:
        return await resolve_unread_message_count(info, self.number)

    @strawberry.field(
        permission_classes=[OWNER_OR_STAFF],
        description="Every portal user who may see this customer number. Owner or staff.",
    )
    async def access_grants(self, info: Info) -> list[AccessGrant] | None:
        return await resolve_access_grants(info, self.number)

    @strawberry.field(
        permission_classes=[OWNER_OR_STAFF],
        description="Pending claims to become a co-owner, for an owner to approve or reject (the "
        "owners are also mailed). Owner or staff.",
    )
    async def ownership_claims(self, info: Info) -> list[OwnershipClaim] | None:
        return await resolve_ownership_claims(info, self.number)

    @strawberry.field(
        metadata=PUBLIC,
        description="The front page: every part loads concurrently, each with its own permission.",
    )
    def overview(self) -> AccountOverview:
        return AccountOverview(customer_number=self.number)

    @strawberry.field(
        permission_classes=[requires_any(Scope.MANAGE_NOMINATION, Role.STAFF)],
        description="The nomination contract; null unless the customer is a LARGE consumer. "
        "Needs MANAGE_NOMINATION (or staff).",
    )
    async def nomination(self, info: Info) -> NominationContract | None:
        contract = await resolve_nomination_contract(info, self.number)
        return NominationContract.from_domain(contract) if contract is not None else None
