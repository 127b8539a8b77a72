"""The request-type catalogue and the supplier's contact information (the portal's footer)."""

from __future__ import annotations

import strawberry

from gateway.context import Info
from gateway.domain import catalogue as domain
from gateway.permissions import PUBLIC, public_fields
from gateway.resolvers.catalogue import resolve_request_types
from gateway.schema.requests import RequestKind
from gateway.schema.supply_points import Commodity
from gateway.schema.supply_points import OfferingEnum as Offering

Processing = strawberry.enum(
    domain.Processing,
    description="INSTANT: carried out at once; TRACKED: back-office work, with state and history.",
)
RequestTypeCode = strawberry.enum(domain.RequestTypeCode)
NotAllowedReason = strawberry.enum(
    domain.NotAllowedReason,
    description="SIGN_IN_REQUIRED: anonymous; STAFF_READ_ONLY: staff only read; SCOPE_MISSING: a "
    "delegate without SUBMIT_REQUESTS; OWNER_ONLY: a change of where the customer's money or mail goes, "
    "which only an owner makes.",
)


@public_fields
@strawberry.type(description="A kind of request the portal offers (one entry of the catalogue).")
class RequestType:
    code: RequestTypeCode  # type: ignore[valid-type]
    kind: RequestKind = strawberry.field(description="The kind the request is recorded as.")  # type: ignore[valid-type]
    name_cs: str
    name_en: str
    processing: Processing  # type: ignore[valid-type]
    instant: bool
    commodity: Commodity | None = strawberry.field(  # type: ignore[valid-type]
        description="Null: electricity and gas alike."
    )
    per_supply_point: bool = strawberry.field(description="False: about the customer, not a supply point.")
    offering: Offering = strawberry.field(  # type: ignore[valid-type]
        description="What a supply point's contract must offer for this request."
    )
    input_field: str = strawberry.field(description="The member of `RequestInput` that files it.")
    input_type: str = strawberry.field(description="That member's input type, e.g. `SelfReadingInput`.")
    allowed: bool = strawberry.field(
        description="Whether the viewer may submit it: for a supply point or customer number, by "
        "the viewer's role there; in the bare catalogue, for any customer number it sees."
    )
    not_allowed_reason: NotAllowedReason | None = strawberry.field(  # type: ignore[valid-type]
        description="Why not, when `allowed` is false."
    )

    @classmethod
    def from_domain(cls, entry: domain.RequestType, *, denied: domain.Denial) -> RequestType:
        """``denied``: why the viewer may not submit entries (per entry: ``denied.of``)."""
        reason = denied.of(entry)
        return cls(
            code=entry.code,
            kind=entry.kind,
            name_cs=entry.name_cs,
            name_en=entry.name_en,
            processing=entry.processing,
            instant=entry.processing is domain.Processing.INSTANT,
            commodity=entry.commodity,
            per_supply_point=entry.per_supply_point,
            offering=entry.offering,
            input_field=entry.input_field,
            input_type=entry.input_type,
            allowed=reason is None,
            not_allowed_reason=reason,
        )


@public_fields
@strawberry.type(description="How to reach the customer line.")
class ContactInfo:
    phone: str = strawberry.field(description="E.164.")
    hours: str = strawberry.field(description="When the line answers, Czech.")
    hours_en: str
    email: str
    web: str


CONTACT_INFO = ContactInfo(
    phone="+420800123456",
    hours="Po–Pá 8:00–18:00",
    hours_en="Mon–Fri 8:00–18:00",
    email="zakaznici@esco.example.cz",
    web="https://www.esco.example.cz/kontakty",
)


@strawberry.type
class CatalogueQuery:
    @strawberry.field(
        metadata=PUBLIC,
        description="The catalogue of request kinds; with `supplyPointId`, only what that supply point "
        "offers (needs a login; NOT_FOUND when it is not the viewer's).",
    )
    async def request_types(
        self,
        info: Info,
        commodity: Commodity | None = None,  # type: ignore[valid-type]
        supply_point_id: strawberry.ID | None = None,
    ) -> list[RequestType]:
        entries, denied = await resolve_request_types(
            info, commodity=commodity, supply_point_id=supply_point_id
        )
        return [RequestType.from_domain(entry, denied=denied) for entry in entries]

    @strawberry.field(
        metadata=PUBLIC, description="The customer line's phone, hours and e-mail (the portal's footer)."
    )
    def contact_info(self) -> ContactInfo:
        return CONTACT_INFO
