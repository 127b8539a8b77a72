"""The account overview (přehled účtu): the portal's front page in one query.

Every field is resolved on its own through the per-request loaders, so the back-end calls
of sibling fields run concurrently and nothing waits on what it does not need. Each part
declares its own permission: a delegate sees the parts its scopes allow, and FORBIDDEN
on the rest, without losing the others.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry

from gateway.context import Info
from gateway.domain import billing as domain_billing
from gateway.domain.access import Scope
from gateway.errors import NotFound
from gateway.permissions import OWNER_OR_STAFF, PUBLIC, public_fields, requires, requires_any
from gateway.resolvers.catalogue import submit_denial
from gateway.resolvers.messages import resolve_unread_message_count
from gateway.resolvers.overview import (
    resolve_nearest_deposits,
    resolve_nearest_invoices,
    resolve_quick_request_types,
    resolve_recent_reminders,
)
from gateway.schema.billing import Invoice, Reminder
from gateway.schema.catalogue import RequestType
from gateway.schema.common import Address, Money
from gateway.schema.node import to_global_id
from gateway.schema.supply_points import SupplyPoint

Count = Annotated[int, strawberry.argument(description="At most 20.")]


@public_fields
@strawberry.type(description="One unpaid advance payment, from the deposit plan of a supply point.")
class UpcomingDeposit:
    due_date: dt.date = strawberry.field(description="When it is due (a date in Europe/Prague).")
    amount: Money = strawberry.field(description="The advance payment's amount (CZK).")
    variable_symbol: str = strawberry.field(description="The variable symbol to pay it with.")
    supply_point_id: strawberry.ID = strawberry.field(description="The global ID of its supply point.")
    deposit_plan_id: strawberry.ID = strawberry.field(description="The global ID of its deposit plan.")

    @classmethod
    def from_domain(
        cls, plan: domain_billing.DepositPlan, item: domain_billing.DepositItem
    ) -> UpcomingDeposit:
        return cls(
            due_date=item.due_date,
            amount=Money.from_domain(item.amount),
            variable_symbol=item.variable_symbol,
            supply_point_id=to_global_id("SupplyPoint", plan.supply_point_id),
            deposit_plan_id=to_global_id("DepositPlan", f"{plan.customer_number}:{plan.id}"),
        )


@strawberry.type(description="The portal's front page for one customer number.")
class AccountOverview:
    customer_number: strawberry.Private[str]

    @strawberry.field(description="The 10-digit customer number.", metadata=PUBLIC)
    def number(self) -> str:
        return self.customer_number

    @strawberry.field(
        description="The customer's name. Needs VIEW_SUPPLY_POINTS.",
        permission_classes=[requires(Scope.VIEW_SUPPLY_POINTS)],
    )
    async def name(self, info: Info) -> str | None:
        customer = await info.context.loaders.customer_by_number.load(self.customer_number)
        if customer is None:
            raise NotFound
        return customer.name

    @strawberry.field(
        description="The customer's permanent (registered) address. Needs VIEW_SUPPLY_POINTS.",
        permission_classes=[requires(Scope.VIEW_SUPPLY_POINTS)],
    )
    async def permanent_address(self, info: Info) -> Address | None:
        customer = await info.context.loaders.customer_by_number.load(self.customer_number)
        if customer is None:
            raise NotFound
        return Address.from_domain(customer.permanent_address)

    @strawberry.field(
        description="Unread inbox messages. Owner or staff.", permission_classes=[OWNER_OR_STAFF]
    )
    async def unread_message_count(self, info: Info) -> int | None:
        return await resolve_unread_message_count(info, self.customer_number)

    @strawberry.field(
        description="Every supply point, in the CRM's order. Needs VIEW_SUPPLY_POINTS.",
        permission_classes=[requires(Scope.VIEW_SUPPLY_POINTS)],
    )
    async def supply_points(self, info: Info) -> list[SupplyPoint] | None:
        points = await info.context.loaders.supply_points_by_customer.load(self.customer_number)
        return [SupplyPoint.from_domain(point) for point in points]

    @strawberry.field(
        permission_classes=[requires(Scope.VIEW_BILLING)],
        description="Open invoices, overdue first, by due date.",
    )
    async def nearest_invoices(self, info: Info, first: Count = 3) -> list[Invoice] | None:
        return await resolve_nearest_invoices(info, self.customer_number, first)

    @strawberry.field(
        permission_classes=[requires(Scope.VIEW_BILLING)],
        description="Unpaid deposits of every supply point, the earliest due first.",
    )
    async def nearest_deposits(self, info: Info, first: Count = 3) -> list[UpcomingDeposit] | None:
        pairs = await resolve_nearest_deposits(info, self.customer_number, first)
        return [UpcomingDeposit.from_domain(plan, item) for plan, item in pairs]

    @strawberry.field(permission_classes=[requires(Scope.VIEW_BILLING)], description="Newest first.")
    async def reminders(self, info: Info, first: Count = 5) -> list[Reminder] | None:
        return await resolve_recent_reminders(info, self.customer_number, first)

    @strawberry.field(
        permission_classes=[requires_any(Scope.SUBMIT_REQUESTS, Scope.VIEW_SUPPLY_POINTS)],
        description="Quick start: the request kinds the customer files most, among those its supply "
        "points offer. Needs SUBMIT_REQUESTS or VIEW_SUPPLY_POINTS.",
    )
    async def quick_request_types(self, info: Info, first: Count = 4) -> list[RequestType] | None:
        entries = await resolve_quick_request_types(info, self.customer_number, first)
        denied = submit_denial(info, self.customer_number)
        return [RequestType.from_domain(entry, denied=denied) for entry in entries]
