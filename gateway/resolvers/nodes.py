"""``node(id:)`` for the read side's types.

Billing lists deposit plans, payments and reminders, and the CRM messages, only per
customer, so their global IDs carry ``<customer number>:<id>``: access to the customer is
checked first and the object is then looked up in the customer's list. A foreign and a
missing object answer the same NOT_FOUND.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from gateway.context import Info
from gateway.errors import NotFound
from gateway.resolvers.deposits import resolve_deposit_plan_node
from gateway.resolvers.messages import resolve_message_node
from gateway.resolvers.payments import resolve_payment_node
from gateway.resolvers.reminders import resolve_reminder_node
from gateway.resolvers.requests import resolve_request_node
from gateway.schema.node import Node

CustomerScoped = Callable[[Info, str, str], Awaitable[Node]]

CUSTOMER_SCOPED: dict[str, CustomerScoped] = {
    "DepositPlan": resolve_deposit_plan_node,
    "Payment": resolve_payment_node,
    "Reminder": resolve_reminder_node,
    "Message": resolve_message_node,
}
READ_NODE_TYPES = frozenset({*CUSTOMER_SCOPED, "CustomerRequest"})


async def resolve_read_node(info: Info, type_name: str, raw_id: str) -> Node:
    if type_name == "CustomerRequest":
        return await resolve_request_node(info, raw_id)
    resolve = CUSTOMER_SCOPED.get(type_name)
    customer_number, sep, object_id = raw_id.partition(":")
    if resolve is None or not sep or not customer_number or not object_id:
        raise NotFound
    return await resolve(info, customer_number, object_id)
