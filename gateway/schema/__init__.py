"""The GraphQL schema: each area exports its ``<Area>Query`` / ``<Area>Mutation``, merged here."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.tools import merge_types

from gateway.context import Info
from gateway.permissions import LoggedIn
from gateway.resolvers.customer import resolve_customer
from gateway.resolvers.nodes import MAX_NODE_IDS, resolve_node, resolve_nodes
from gateway.schema.access import AccessMutation
from gateway.schema.accounts import AccountsMutation, AccountsQuery
from gateway.schema.billing import DepositPlan, Invoice, Payment, Reminder
from gateway.schema.catalogue import CatalogueQuery
from gateway.schema.customer import Customer
from gateway.schema.error_log import GatewaySchema
from gateway.schema.limits import LIMIT_EXTENSIONS, GatewayExecutor
from gateway.schema.messages import Message
from gateway.schema.node import Node
from gateway.schema.nomination import NominationMutation
from gateway.schema.operation_metrics import OperationMetrics
from gateway.schema.operation_trace import OperationTrace
from gateway.schema.rate_limits import RateLimitQuery, RequestBudgetGuard
from gateway.schema.request_mutations import RequestsMutation
from gateway.schema.requests import CustomerRequest
from gateway.schema.response_cache import ResponseCacheGuard
from gateway.schema.scalars import SCALAR_OVERRIDES
from gateway.schema.staff import StaffQuery
from gateway.schema.supply_points import SupplyPoint
from gateway.schema.text_input import string_literal_rule
from gateway.staff import StaffGuard


@strawberry.type
class CustomerQuery:
    @strawberry.field(
        permission_classes=[LoggedIn],
        description="A customer number the viewer may see; NOT_FOUND otherwise.",
    )
    async def customer(
        self,
        info: Info,
        number: Annotated[
            str, strawberry.argument(description="The 10-digit customer number (zákaznické číslo).")
        ],
    ) -> Customer | None:
        return await resolve_customer(info, number)

    @strawberry.field(
        permission_classes=[LoggedIn],
        description="Any object by its global ID; NOT_FOUND when missing or not yours.",
    )
    async def node(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="A global ID (`Node.id`).")],
    ) -> Node | None:
        return await resolve_node(info, id)

    @strawberry.field(
        permission_classes=[LoggedIn],
        description=f"Many objects by their global IDs (at most {MAX_NODE_IDS}), in the order given: "
        "an ID that is missing, malformed, not yours or outside your scopes is null, never an error.",
    )
    def nodes(
        self,
        info: Info,
        ids: Annotated[list[strawberry.ID], strawberry.argument(description="Global IDs (`Node.id`).")],
    ) -> list[Node | None]:
        # Awaitables, not nodes: graphql-core awaits each item on its own, so an item whose
        # back end fails is an error at its own path and the others still arrive.
        items: list[Any] = resolve_nodes(info, ids)
        return items


Query = merge_types("Query", (AccountsQuery, CustomerQuery, CatalogueQuery, RateLimitQuery, StaffQuery))
Mutation = merge_types("Mutation", (AccountsMutation, AccessMutation, NominationMutation, RequestsMutation))
# merge_types takes no description; the merged definitions are the schema's own.
Query.__strawberry_definition__.description = (  # type: ignore[attr-defined]
    "Everything the portal reads: the viewer, a customer number and what hangs off it, any object "
    "by its global ID, the request catalogue and the customer line. Times are ISO 8601 with their "
    "UTC offset, dates are days in Europe/Prague, money is a decimal string in CZK."
)
Mutation.__strawberry_definition__.description = (  # type: ignore[attr-defined]
    "Everything the portal changes. Expected failures (bad input, not permitted) come in each "
    "payload's `errors`, with field paths and a code of the payload's family; a back end that fails "
    "is a top-level error with `extensions.code` and `retryable`."
)

schema = GatewaySchema(
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
    extensions=[
        OperationTrace,
        string_literal_rule,
        *LIMIT_EXTENSIONS,
        RequestBudgetGuard,
        StaffGuard,
        ResponseCacheGuard,
        OperationMetrics,
    ],
    execution_context_class=GatewayExecutor,
    scalar_overrides=SCALAR_OVERRIDES,
)
