"""The request-type catalogue and the supplier's contact information (the portal's footer)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from gateway.context import Info
from gateway.domain import catalogue as domain
from gateway.permissions import PUBLIC, public_fields
from gateway.resolvers.catalogue import resolve_request_types
from gateway.schema.common import described_enum
from gateway.schema.requests import RequestKind
from gateway.schema.supply_points import Commodity
from gateway.schema.supply_points import OfferingEnum as Offering

Processing = described_enum(
    domain.Processing,
    description="INSTANT: carried out at once; TRACKED: back-office work, with state and history.",
    values={
        "INSTANT": "Carried out at once by billing or the CRM; the answer holds the change.",
        "TRACKED": "Needs back-office work: filed as a request whose state the customer follows.",
    },
)
RequestTypeCode = described_enum(
    domain.RequestTypeCode,
    description="A request the portal can file, one per member of `RequestInput`.",
    values={
        "CONTACT_CHANGE": "Instant: e-mail and phone.",
        "CORRESPONDENCE_ADDRESS_CHANGE": "Instant: where letters go.",
        "E_INVOICE_CHANGE": "Instant: the address e-invoices go to.",
        "DEPOSIT_CHANGE": "Instant: the deposit amount and frequency.",
        "PAYMENT_METHOD_CHANGE": "Instant: how deposits and invoices are paid.",
        "BANK_DETAILS_CHANGE": "Instant: the account for direct debit and refunds.",
        "SELF_READING": "Tracked: a meter reading (combined services).",
        "PRODUCT_CHANGE": "Tracked: another product.",
        "BREAKER_OR_TARIFF_CHANGE": (
            "Tracked: main breaker or distribution tariff (electricity, combined services)."
        ),
        "TERMINATION": "Tracked, owner only: ending a supply point's contract.",
        "TRANSFER": "Tracked, owner only: přepis, the supply point passes to a new customer.",
        "POWER_OF_ATTORNEY": "Tracked, owner only: plná moc, with the signed document.",
        "FREE_TEXT": "Tracked: anything else, in words.",
    },
)
NotAllowedReason = described_enum(
    domain.NotAllowedReason,
    description="SIGN_IN_REQUIRED: anonymous; STAFF_READ_ONLY: staff only read; SCOPE_MISSING: a "
    "delegate without SUBMIT_REQUESTS; OWNER_ONLY: a change of where the customer's money or mail goes, "
    "which only an owner makes.",
    values={
        "SIGN_IN_REQUIRED": "Anonymous: log in first.",
        "STAFF_READ_ONLY": "Staff API keys only read.",
        "SCOPE_MISSING": "The viewer is a delegate without SUBMIT_REQUESTS.",
        "OWNER_ONLY": "Changes where money or mail goes, ends or passes on the contract, or gives a "
        "power of attorney: only an owner submits it, never a delegate.",
    },
)


@public_fields
@strawberry.type(description="A kind of request the portal offers (one entry of the catalogue).")
class RequestType:
    code: RequestTypeCode = strawberry.field(  # type: ignore[valid-type]
        description="Which request this is; the same as the `RequestInput` member in `inputField`."
    )
    kind: RequestKind = strawberry.field(description="The kind the request is recorded as.")  # type: ignore[valid-type]
    name_cs: str = strawberry.field(description="The request's name as the portal shows it, Czech.")
    name_en: str = strawberry.field(description="The request's name, English.")
    processing: Processing = strawberry.field(description="Carried out at once, or tracked.")  # type: ignore[valid-type]
    instant: bool = strawberry.field(description="Same as `processing == INSTANT`.")
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
    hours_en: str = strawberry.field(description="When the line answers, English.")
    email: str = strawberry.field(description="The customer line's e-mail address.")
    web: str = strawberry.field(description="The contacts page of the supplier's web site.")


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
        commodity: Annotated[
            Commodity | None,  # type: ignore[valid-type]
            strawberry.argument(description="Only the kinds for this commodity (and those for both)."),
        ] = None,
        supply_point_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(
                description="Only what this supply point offers, each with `allowed` for the viewer."
            ),
        ] = None,
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
