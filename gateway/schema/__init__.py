"""The GraphQL schema: each area exports its ``<Area>Query`` / ``<Area>Mutation``, merged here."""

from __future__ import annotations

import strawberry
from strawberry.tools import merge_types

from gateway.context import Info
from gateway.resolvers.customer import resolve_customer
from gateway.resolvers.nodes import resolve_node
from gateway.schema.access import AccessMutation
from gateway.schema.accounts import AccountsMutation, AccountsQuery
from gateway.schema.billing import DepositPlan, Invoice, Payment, Reminder
from gateway.schema.catalogue import CatalogueQuery
from gateway.schema.customer import Customer
from gateway.schema.limits import LIMIT_EXTENSIONS
from gateway.schema.messages import Message
from gateway.schema.node import Node
from gateway.schema.nomination import NominationMutation
from gateway.schema.operation_metrics import OperationMetrics
from gateway.schema.request_mutations import RequestsMutation
from gateway.schema.requests import CustomerRequest
from gateway.schema.scalars import SCALAR_OVERRIDES
from gateway.schema.supply_points import SupplyPoint
from gateway.staff import StaffGuard


@strawberry.type
class CustomerQuery:
    @strawberry.field(description="A customer number the viewer may see; NOT_FOUND otherwise.")
    async def customer(self, info: Info, number: str) -> Customer | None:
        return await resolve_customer(info, number)

    @strawberry.field(description="Any object by its global ID; NOT_FOUND when missing or not yours.")
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        return await resolve_node(info, id)


Query = merge_types("Query", (AccountsQuery, CustomerQuery, CatalogueQuery))
Mutation = merge_types("Mutation", (AccountsMutation, AccessMutation, NominationMutation, RequestsMutation))

schema = strawberry.Schema(
    query=Query,
    mutation=Mutation,
    types=[
        Customer,
        SupplyPoint,
        Invoice,
        DepositPlan,
        Payment,
        Reminder,
        CustomerRequest,
        Message,
    ],
    extensions=[*LIMIT_EXTENSIONS, StaffGuard, OperationMetrics],
    scalar_overrides=SCALAR_OVERRIDES,
)
