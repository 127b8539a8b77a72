"""Messages in the customer's portal inbox (zprávy)."""

from __future__ import annotations

import datetime as dt

import strawberry

from gateway.domain import messages as domain
from gateway.permissions import PUBLIC
from gateway.schema.common import described_enum
from gateway.schema.node import Node, to_global_id

MessageKind = described_enum(
    domain.MessageKind,
    description="What a message is.",
    values={
        "MARKETING": "A marketing offer.",
        "PRODUCT_NEWS": "News about products and prices.",
        "NOTICE": "A notice about the customer's contract, supply or account.",
    },
)


def message_global_id(customer_number: str, message_id: str) -> strawberry.ID:
    """The CRM lists messages only per customer, so the ID carries the customer number."""
    return to_global_id("Message", f"{customer_number}:{message_id}")


@strawberry.type(description="A message from the supplier: an offer, product news or a notice.")
class Message(Node):
    customer_number: strawberry.Private[str]
    kind: MessageKind = strawberry.field(  # type: ignore[valid-type]
        description="Marketing offer, product news or notice.", metadata=PUBLIC
    )
    subject: str = strawberry.field(description="The subject line, Czech.", metadata=PUBLIC)
    body: str = strawberry.field(description="The text, plain, in Czech.", metadata=PUBLIC)
    sent_at: dt.datetime = strawberry.field(
        description="When it was sent, with its UTC offset.", metadata=PUBLIC
    )
    read: bool = strawberry.field(
        description="Whether the owner has read it (`markMessagesRead`).", metadata=PUBLIC
    )

    @classmethod
    def from_domain(cls, message: domain.Message) -> Message:
        return cls(
            id=message_global_id(message.customer_number, message.id),
            customer_number=message.customer_number,
            kind=message.kind,
            subject=message.subject,
            body=message.body,
            sent_at=message.sent_at,
            read=message.read,
        )


@strawberry.input(description="Every field is optional; all given ones must hold.")
class MessageFilter:
    unread: bool | None = strawberry.field(default=None, description="true: unread only; false: read only.")
    kinds: list[MessageKind] | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Any of these kinds; all when omitted."
    )
