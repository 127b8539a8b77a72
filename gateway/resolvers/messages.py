"""Resolvers for the portal inbox."""

from __future__ import annotations

from gateway.context import Info
from gateway.domain import messages as domain
from gateway.errors import Forbidden, NotFound
from gateway.permissions import Role, require_access
from gateway.schema.messages import Message, MessageFilter
from gateway.schema.pagination import Connection, paginate


def _matches(message: domain.Message, filter: MessageFilter | None) -> bool:
    if filter is None:
        return True
    return (filter.unread is None or message.read is not filter.unread) and (
        not filter.kinds or message.kind in filter.kinds
    )


async def resolve_messages(
    info: Info, customer_number: str, filter: MessageFilter | None, first: int | None, after: str | None
) -> Connection[Message]:
    messages = await info.context.loaders.messages_by_customer.load(customer_number)
    selected = sorted(
        (m for m in messages if _matches(m, filter)), key=lambda m: (m.sent_at, m.id), reverse=True
    )
    return paginate(selected, Message.from_domain, first=first, after=after)


async def resolve_unread_message_count(info: Info, customer_number: str) -> int:
    messages = await info.context.loaders.messages_by_customer.load(customer_number)
    return sum(not message.read for message in messages)


async def resolve_message_node(info: Info, customer_number: str, message_id: str) -> Message:
    access = require_access(info.context.access(customer_number))
    if access.role not in (Role.OWNER, Role.STAFF):
        raise Forbidden
    messages = await info.context.loaders.messages_by_customer.load(customer_number)
    message = next((m for m in messages if m.id == message_id), None)
    if message is None:
        raise NotFound
    return Message.from_domain(message)
