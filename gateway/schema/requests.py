"""Customer requests (žádosti a požadavky) as the CRM tracks them, with their history."""

from __future__ import annotations

import datetime as dt

import strawberry

from gateway.context import Info
from gateway.domain import requests as domain
from gateway.domain.access import Scope
from gateway.permissions import PUBLIC, public_fields, requires
from gateway.schema.node import Node, to_global_id
from gateway.schema.supply_points import SupplyPoint

RequestKind = strawberry.enum(domain.RequestKind)
RequestState = strawberry.enum(
    domain.RequestState, description="RESOLVED, REJECTED and CANCELLED are closed; the others open."
)


@public_fields
@strawberry.type
class RequestHistoryEntry:
    at: dt.datetime
    state: RequestState  # type: ignore[valid-type]
    note: str


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
    kind: RequestKind = strawberry.field(metadata=PUBLIC)  # type: ignore[valid-type]
    state: RequestState = strawberry.field(metadata=PUBLIC)  # type: ignore[valid-type]
    closed: bool = strawberry.field(
        metadata=PUBLIC, description="Resolved, rejected or cancelled: it can no longer change."
    )
    created_at: dt.datetime = strawberry.field(metadata=PUBLIC)
    updated_at: dt.datetime = strawberry.field(metadata=PUBLIC)
    summary: str = strawberry.field(metadata=PUBLIC)
    supply_point_id: strawberry.ID | None = strawberry.field(metadata=PUBLIC)
    history: list[RequestHistoryEntry] = strawberry.field(metadata=PUBLIC, description="Oldest first.")
    documents: list[RequestDocument] = strawberry.field(
        metadata=PUBLIC, description="Files attached on submission or later (`updateRequest`), oldest first."
    )

    @strawberry.field(permission_classes=[requires(Scope.VIEW_SUPPLY_POINTS)])
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
    states: list[RequestState] | None = None  # type: ignore[valid-type]
    kinds: list[RequestKind] | None = None  # type: ignore[valid-type]
    created_from: dt.date | None = strawberry.field(
        default=None, description="Filed on or after, Prague time."
    )
    created_to: dt.date | None = strawberry.field(
        default=None, description="Filed on or before, Prague time."
    )
    supply_point_id: strawberry.ID | None = None
