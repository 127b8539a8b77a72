"""``node(id:)`` and ``nodes(ids:)``: one table from a global ID's type to the resolver that
authorises and loads it.

Billing lists deposit plans, payments and reminders, and the CRM messages, only per
customer, so their global IDs carry ``<customer number>:<id>``: access to the customer is
checked first and the object is then looked up in the customer's list. A foreign, a
missing and a malformed object all answer the same NOT_FOUND; in ``nodes`` each is null
instead (as is an object outside a delegate's scopes), so the list confirms nothing either.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from gateway.context import Info
from gateway.errors import BadUserInput, Forbidden, NotFound
from gateway.resolvers.billing import resolve_invoice_node
from gateway.resolvers.customer import resolve_customer
from gateway.resolvers.deposits import resolve_deposit_plan_node
from gateway.resolvers.messages import resolve_message_node
from gateway.resolvers.payments import resolve_payment_node
from gateway.resolvers.reminders import resolve_reminder_node
from gateway.resolvers.requests import resolve_request_node
from gateway.resolvers.supply_points import resolve_supply_point_node
from gateway.schema.common import MAX_PAGE_SIZE
from gateway.schema.node import Node, from_global_id

NodeResolver = Callable[[Info, str], Awaitable[Node]]
CustomerScoped = Callable[[Info, str, str], Awaitable[Node]]


def _customer_scoped(resolve: CustomerScoped) -> NodeResolver:
    async def resolve_scoped(info: Info, raw_id: str) -> Node:
        customer_number, sep, object_id = raw_id.partition(":")
        if not sep or not customer_number or not object_id:
            raise NotFound
        return await resolve(info, customer_number, object_id)

    return resolve_scoped


async def _customer(info: Info, number: str) -> Node:
    return await resolve_customer(info, number)


NODE_RESOLVERS: dict[str, NodeResolver] = {
    "Customer": _customer,
    "SupplyPoint": resolve_supply_point_node,
    "Invoice": resolve_invoice_node,
    "CustomerRequest": resolve_request_node,
    "DepositPlan": _customer_scoped(resolve_deposit_plan_node),
    "Payment": _customer_scoped(resolve_payment_node),
    "Reminder": _customer_scoped(resolve_reminder_node),
    "Message": _customer_scoped(resolve_message_node),
}


async def resolve_node(info: Info, global_id: str) -> Node:
    info.context.require_staff_customer_reads()  # before the ID is even decoded
    type_name, raw_id = from_global_id(global_id)
    resolve = NODE_RESOLVERS.get(type_name)
    if resolve is None:
        raise NotFound
    return await resolve(info, raw_id)


MAX_NODE_IDS = MAX_PAGE_SIZE  # as many as a page of a connection


async def _node_or_none(info: Info, global_id: str) -> Node | None:
    try:
        return await resolve_node(info, global_id)
    except (NotFound, Forbidden):
        return None


def resolve_nodes(info: Info, global_ids: Sequence[str]) -> list[Awaitable[Node | None]]:
    """One item per ID, in order. Each resolves on its own (the loaders batch them): an ID the
    viewer cannot see is null; a back end that fails fails only its items. A staff key
    without ``READ_CUSTOMERS`` is refused as a whole (FORBIDDEN), not answered with nulls."""
    info.context.require_staff_customer_reads()
    if len(global_ids) > MAX_NODE_IDS:
        raise BadUserInput(f"`ids` may hold at most {MAX_NODE_IDS} IDs.")
    return [_node_or_none(info, global_id) for global_id in global_ids]
