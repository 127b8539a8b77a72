"""The customer number and everything hanging off it."""

from __future__ import annotations

from typing import Annotated

import strawberry

from gateway.context import Info
from gateway.domain import customers as domain
from gateway.domain.access import Scope
from gateway.domain.customers import Customer as DomainCustomer
from gateway.errors import NotFound
from gateway.permissions import requires
from gateway.resolvers.billing import resolve_invoices
from gateway.resolvers.nomination import resolve_nomination_contract
from gateway.schema.billing import InvoiceConnection, InvoiceFilter
from gateway.schema.common import Address
from gateway.schema.node import Node, to_global_id
from gateway.schema.nomination import NominationContract
from gateway.schema.supply_points import SupplyPoint

Segment = strawberry.enum(domain.Segment)


async def _master_data(info: Info, number: str) -> DomainCustomer:
    customer = await info.context.loaders.customer_by_number.load(number)
    if customer is None:
        raise NotFound
    return customer


@strawberry.type(description="A customer number (zákaznické číslo) the viewer may see.")
class Customer(Node):
    number: str
    customer_number: strawberry.Private[str]

    @classmethod
    def of(cls, number: str) -> Customer:
        """Only after the viewer's access to ``number`` has been checked."""
        return cls(id=to_global_id("Customer", number), number=number, customer_number=number)

    @strawberry.field
    async def name(self, info: Info) -> str | None:
        return (await _master_data(info, self.number)).name

    @strawberry.field
    async def segment(self, info: Info) -> Segment | None:  # type: ignore[valid-type]
        return (await _master_data(info, self.number)).segment

    @strawberry.field
    async def permanent_address(self, info: Info) -> Address | None:
        return Address.from_domain((await _master_data(info, self.number)).permanent_address)

    @strawberry.field(permission_classes=[requires(Scope.VIEW_SUPPLY_POINTS)])
    async def supply_points(self, info: Info) -> list[SupplyPoint] | None:
        points = await info.context.loaders.supply_points_by_customer.load(self.number)
        return [SupplyPoint.from_domain(point) for point in points]

    @strawberry.field(permission_classes=[requires(Scope.VIEW_BILLING)])
    async def invoices(
        self,
        info: Info,
        filter: InvoiceFilter | None = None,
        first: Annotated[int | None, strawberry.argument(description="At most 100; 20 when omitted.")] = None,
        after: str | None = None,
    ) -> InvoiceConnection | None:
        return await resolve_invoices(info, self.number, filter, first, after)

    @strawberry.field(description="The nomination contract; null unless the customer is a LARGE consumer.")
    async def nomination(self, info: Info) -> NominationContract | None:
        contract = await resolve_nomination_contract(info, self.number)
        return NominationContract.from_domain(contract) if contract is not None else None
