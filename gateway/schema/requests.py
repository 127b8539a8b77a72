"""Customer requests (žádosti a požadavky) as the CRM tracks them, with their history."""

from __future__ import annotations

import datetime as dt

import strawberry

from gateway.context import Info
from gateway.domain import requests as domain
from gateway.domain.access import Scope
from gateway.permissions import PUBLIC, public_fields, requires
from gateway.schema.common import described_enum
from gateway.schema.node import Node, to_global_id
from gateway.schema.supply_points import SupplyPoint

RequestKind = described_enum(
    domain.RequestKind,
    description="What a filed request asks for, as the CRM records it.",
    values={
        "CONTACT_CHANGE": "New contact details (e-mail, phone, addresses).",
        "DEPOSIT_CHANGE": "A new deposit amount or frequency.",
        "PAYMENT_METHOD_CHANGE": "A new payment method.",
        "BANK_DETAILS_CHANGE": "A new bank account for direct debit and refunds.",
        "SELF_READING": "A meter reading the customer took.",
        "PRODUCT_CHANGE": "A different product (price list).",
        "BREAKER_OR_TARIFF_CHANGE": "A new main breaker or distribution tariff.",
        "TRANSFER": "Přepis: a supply point handed over to a new customer.",
        "TERMINATION": "Ending the contract of a supply point.",
        "POWER_OF_ATTORNEY": "A power of attorney (plná moc) for someone acting for the customer.",
        "OTHER": "A free-text request.",
    },
)
RequestState = described_enum(
    domain.RequestState,
    description="RESOLVED, REJECTED and CANCELLED are closed; the others open.",
    values={
        "OPEN": "Filed, not yet taken up: may still be edited or cancelled.",
        "IN_PROGRESS": "The back office is working on it: may still be edited or cancelled.",
        "RESOLVED": "Done as asked (closed).",
        "REJECTED": "Refused by the back office; the history says why (closed).",
        "CANCELLED": "Cancelled by the customer (closed).",
    },
)


@public_fields
@strawberry.type(description="One step in a request's life.")
class RequestHistoryEntry:
    at: dt.datetime = strawberry.field(description="When, with its UTC offset.")
    state: RequestState = strawberry.field(description="The state from then on.")  # type: ignore[valid-type]
    note: str = strawberry.field(description="What happened, as the back office wrote it (Czech).")


@public_fields
@strawberry.type(description="A file attached to a request; the back office keeps its content.")
class RequestDocument:
    file_name: str = strawberry.field(description="As it was uploaded: `plna-moc.pdf`.")
    content_type: str = strawberry.field(description="`application/pdf`, `image/jpeg` or `image/png`.")
    size: int = strawberry.field(description="Bytes.")


@strawberry.type(description="A request the customer filed, open or closed.")
class CustomerRequest(Node):
    customer_number: strawberry.Private[str]
    raw_supply_point_id: strawberry.Private[str | None]
    kind: RequestKind = strawberry.field(description="What was asked for.", metadata=PUBLIC)  # type: ignore[valid-type]
    state: RequestState = strawberry.field(description="Where it stands now.", metadata=PUBLIC)  # type: ignore[valid-type]
    closed: bool = strawberry.field(
        metadata=PUBLIC, description="Resolved, rejected or cancelled: it can no longer change."
    )
    created_at: dt.datetime = strawberry.field(
        description="When it was filed, with its UTC offset.", metadata=PUBLIC
    )
    updated_at: dt.datetime = strawberry.field(
        description="When its state or summary last changed.", metadata=PUBLIC
    )
    summary: str = strawberry.field(
        description="The description as filed (or last edited), for people.", metadata=PUBLIC
    )
    supply_point_id: strawberry.ID | None = strawberry.field(
        description=(
            "The global ID of the supply point it concerns; null for a request of the whole customer number."
        ),
        metadata=PUBLIC,
    )
    history: list[RequestHistoryEntry] = strawberry.field(metadata=PUBLIC, description="Oldest first.")
    documents: list[RequestDocument] = strawberry.field(
        metadata=PUBLIC, description="Files attached on submission or later (`updateRequest`), oldest first."
    )

    @strawberry.field(
        description=(
            "The supply point it concerns. Needs VIEW_SUPPLY_POINTS; null "
            "without it, for a request of the whole customer number, or "
            "when the point is gone."
        ),
        permission_classes=[requires(Scope.VIEW_SUPPLY_POINTS)],
    )
    async def supply_point(self, info: Info) -> SupplyPoint | None:
        if self.raw_supply_point_id is None:
            return None
        point = await info.context.loaders.supply_point_by_id.load(self.raw_supply_point_id)
        if point is None or point.customer_number != self.customer_number:
            return None
        return SupplyPoint.from_domain(point)

    @classmethod
    def from_domain(cls, request: domain.CustomerRequest) -> CustomerRequest:
        return cls(
            id=to_global_id("CustomerRequest", request.id),
            customer_number=request.customer_number,
            raw_supply_point_id=request.supply_point_id,
            kind=request.kind,
            state=request.state,
            closed=request.state.is_closed,
            created_at=request.created_at,
            updated_at=request.updated_at,
            summary=request.summary,
            supply_point_id=to_global_id("SupplyPoint", request.supply_point_id)
            if request.supply_point_id
            else None,
            history=[RequestHistoryEntry(at=h.at, state=h.state, note=h.note) for h in request.history],
            documents=[
                RequestDocument(file_name=d.file_name, content_type=d.content_type, size=d.size)
                for d in request.documents
            ],
        )


@strawberry.input(description="Every field is optional; all given ones must hold.")
class RequestFilter:
    closed: bool | None = strawberry.field(default=None, description="true: closed only; false: open only.")
    states: list[RequestState] | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Any of these states; all when omitted."
    )
    kinds: list[RequestKind] | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Any of these kinds; all when omitted."
    )
    created_from: dt.date | None = strawberry.field(
        default=None, description="Filed on or after, Prague time."
    )
    created_to: dt.date | None = strawberry.field(
        default=None, description="Filed on or before, Prague time."
    )
    supply_point_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only requests about this supply point (its global ID)."
    )
