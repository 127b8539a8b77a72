"""The request-type catalogue (PRODUCT.md "Requests", DOMAIN.md section 5), in one place.

Each entry says what the portal calls the request, which ``RequestKind`` the CRM records
it as, whether it is carried out at once (``INSTANT``) or needs back-office work and is
tracked (``TRACKED``), and which ``Offering`` a supply point must have for it: the
contract-type table in ``gateway.domain.offerings`` then decides, per supply point, which
entries the portal offers. Entries not about one supply point (contact details) are
offered to every customer.

Which changes are instant follows PRODUCT.md (DOMAIN.md infers it from a cut-off source).

``owner_only`` marks the instant changes of where the customer's money or mail goes (bank
account, payment method, contact details, correspondence and e-invoice address): only an
owner makes them, never a delegate, whatever its scopes; so is ending the contract (a
termination, or a transfer to a new customer) and a power of attorney (who may act for the
customer). A deposit's amount or
frequency and the other tracked requests (the back office checks them) stay open to
SUBMIT_REQUESTS.

``INPUTS`` names, per entry, the member of ``submitRequest``'s one-of input that files it
and that member's input type, so a client can build the form from the catalogue.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from gateway.domain.offerings import Offering, offers
from gateway.domain.requests import RequestKind
from gateway.domain.supply_points import Commodity, SupplyPoint


class Processing(enum.Enum):
    INSTANT = "INSTANT"  # carried out at once by the back end
    TRACKED = "TRACKED"  # a case for the back office, with state and history


class NotAllowedReason(enum.Enum):
    """Why the viewer may not submit a kind the catalogue lists."""

    SIGN_IN_REQUIRED = "SIGN_IN_REQUIRED"  # anonymous
    STAFF_READ_ONLY = "STAFF_READ_ONLY"  # staff read, never submit
    SCOPE_MISSING = "SCOPE_MISSING"  # a delegate without SUBMIT_REQUESTS
    OWNER_ONLY = "OWNER_ONLY"  # where money or mail goes: an owner's change, a delegate's never


class RequestTypeCode(enum.Enum):
    CONTACT_CHANGE = "CONTACT_CHANGE"
    CORRESPONDENCE_ADDRESS_CHANGE = "CORRESPONDENCE_ADDRESS_CHANGE"
    E_INVOICE_CHANGE = "E_INVOICE_CHANGE"
    DEPOSIT_CHANGE = "DEPOSIT_CHANGE"
    PAYMENT_METHOD_CHANGE = "PAYMENT_METHOD_CHANGE"
    BANK_DETAILS_CHANGE = "BANK_DETAILS_CHANGE"
    SELF_READING = "SELF_READING"
    PRODUCT_CHANGE = "PRODUCT_CHANGE"
    BREAKER_OR_TARIFF_CHANGE = "BREAKER_OR_TARIFF_CHANGE"
    TERMINATION = "TERMINATION"
    TRANSFER = "TRANSFER"
    POWER_OF_ATTORNEY = "POWER_OF_ATTORNEY"
    FREE_TEXT = "FREE_TEXT"


@dataclass(frozen=True, slots=True)
class RequestType:
    code: RequestTypeCode
    kind: RequestKind  # what the CRM records
    name_cs: str
    name_en: str
    processing: Processing
    offering: Offering  # what a supply point must offer for this request
    commodity: Commodity | None = None  # None: electricity and gas alike
    per_supply_point: bool = True  # False: about the customer, not one supply point
    owner_only: bool = False  # where money or mail goes: owners only

    def offered_for(self, point: SupplyPoint) -> bool:
        if not self.per_supply_point:
            return False
        if self.commodity is not None and point.commodity is not self.commodity:
            return False
        return offers(point.contract_type, point.commodity, self.offering)

    @property
    def input_field(self) -> str:
        """The member of ``RequestInput`` (``@oneOf``) that files this request."""
        return INPUTS[self.code][0]

    @property
    def input_type(self) -> str:
        return INPUTS[self.code][1]


_INSTANT, _TRACKED = Processing.INSTANT, Processing.TRACKED

CATALOGUE: tuple[RequestType, ...] = (
    RequestType(
        RequestTypeCode.DEPOSIT_CHANGE,
        RequestKind.DEPOSIT_CHANGE,
        "Změna výše záloh",
        "Change of deposit amount",
        _INSTANT,
        Offering.INSTANT_CHANGES,
    ),
    RequestType(
        RequestTypeCode.PAYMENT_METHOD_CHANGE,
        RequestKind.PAYMENT_METHOD_CHANGE,
        "Změna způsobu platby",
        "Change of payment method",
        _INSTANT,
        Offering.INSTANT_CHANGES,
        owner_only=True,
    ),
    RequestType(
        RequestTypeCode.BANK_DETAILS_CHANGE,
        RequestKind.BANK_DETAILS_CHANGE,
        "Změna bankovního spojení",
        "Change of bank account",
        _INSTANT,
        Offering.INSTANT_CHANGES,
        owner_only=True,
    ),
    RequestType(
        RequestTypeCode.CONTACT_CHANGE,
        RequestKind.CONTACT_CHANGE,
        "Změna kontaktních údajů",
        "Change of contact details",
        _INSTANT,
        Offering.INSTANT_CHANGES,
        per_supply_point=False,
        owner_only=True,
    ),
    RequestType(
        RequestTypeCode.CORRESPONDENCE_ADDRESS_CHANGE,
        RequestKind.CONTACT_CHANGE,
        "Změna korespondenční adresy",
        "Change of correspondence address",
        _INSTANT,
        Offering.INSTANT_CHANGES,
        per_supply_point=False,
        owner_only=True,
    ),
    RequestType(
        RequestTypeCode.E_INVOICE_CHANGE,
        RequestKind.CONTACT_CHANGE,
        "Změna adresy pro elektronickou fakturu",
        "Change of e-invoice address",
        _INSTANT,
        Offering.INSTANT_CHANGES,
        per_supply_point=False,
        owner_only=True,
    ),
    RequestType(
        RequestTypeCode.SELF_READING,
        RequestKind.SELF_READING,
        "Samoodečet",
        "Meter self-reading",
        _TRACKED,
        Offering.METER_SELF_READING,
    ),
    RequestType(
        RequestTypeCode.PRODUCT_CHANGE,
        RequestKind.PRODUCT_CHANGE,
        "Změna produktu",
        "Product change",
        _TRACKED,
        Offering.TRACKED_CONTRACT_CHANGES,
    ),
    RequestType(
        RequestTypeCode.BREAKER_OR_TARIFF_CHANGE,
        RequestKind.BREAKER_OR_TARIFF_CHANGE,
        "Změna jističe nebo distribuční sazby",
        "Main breaker or distribution tariff change",
        _TRACKED,
        Offering.BREAKER_OR_TARIFF_CHANGE,
        commodity=Commodity.ELECTRICITY,
    ),
    RequestType(
        RequestTypeCode.TERMINATION,
        RequestKind.TERMINATION,
        "Ukončení smlouvy",
        "Contract termination",
        _TRACKED,
        Offering.TRACKED_CONTRACT_CHANGES,
        owner_only=True,
    ),
    RequestType(
        RequestTypeCode.TRANSFER,
        RequestKind.TRANSFER,
        "Přepis odběrného místa na nového zákazníka",
        "Transfer of the supply point to a new customer",
        _TRACKED,
        Offering.TRACKED_CONTRACT_CHANGES,
        owner_only=True,
    ),
    RequestType(
        RequestTypeCode.POWER_OF_ATTORNEY,
        RequestKind.POWER_OF_ATTORNEY,
        "Plná moc",
        "Power of attorney",
        _TRACKED,
        Offering.TRACKED_CONTRACT_CHANGES,
        per_supply_point=False,
        owner_only=True,
    ),
    RequestType(
        RequestTypeCode.FREE_TEXT,
        RequestKind.OTHER,
        "Jiný požadavek",
        "Other request (free text)",
        _TRACKED,
        Offering.TRACKED_CONTRACT_CHANGES,
    ),
)

BY_CODE: dict[RequestTypeCode, RequestType] = {entry.code: entry for entry in CATALOGUE}

INPUTS: dict[RequestTypeCode, tuple[str, str]] = {
    RequestTypeCode.DEPOSIT_CHANGE: ("depositChange", "DepositChangeInput"),
    RequestTypeCode.PAYMENT_METHOD_CHANGE: ("paymentMethodChange", "PaymentMethodChangeInput"),
    RequestTypeCode.BANK_DETAILS_CHANGE: ("bankDetailsChange", "BankDetailsChangeInput"),
    RequestTypeCode.CONTACT_CHANGE: ("contactChange", "ContactChangeInput"),
    RequestTypeCode.CORRESPONDENCE_ADDRESS_CHANGE: (
        "correspondenceAddressChange",
        "CorrespondenceAddressChangeInput",
    ),
    RequestTypeCode.E_INVOICE_CHANGE: ("eInvoiceChange", "EInvoiceChangeInput"),
    RequestTypeCode.SELF_READING: ("selfReading", "SelfReadingInput"),
    RequestTypeCode.PRODUCT_CHANGE: ("productChange", "ProductChangeInput"),
    RequestTypeCode.BREAKER_OR_TARIFF_CHANGE: ("breakerOrTariffChange", "BreakerOrTariffChangeInput"),
    RequestTypeCode.TERMINATION: ("termination", "TerminationInput"),
    RequestTypeCode.TRANSFER: ("transfer", "TransferInput"),
    RequestTypeCode.POWER_OF_ATTORNEY: ("powerOfAttorney", "PowerOfAttorneyInput"),
    RequestTypeCode.FREE_TEXT: ("freeText", "FreeTextInput"),
}


@dataclass(frozen=True, slots=True)
class Denial:
    """Why a viewer may not submit, per entry: ``reason`` for every entry (None: it may
    submit), and whether it may submit the owner-only ones."""

    reason: NotAllowedReason | None
    owner: bool = False

    def of(self, entry: RequestType) -> NotAllowedReason | None:
        if self.reason is not None:
            return self.reason
        if entry.owner_only and not self.owner:
            return NotAllowedReason.OWNER_ONLY
        return None


def offered_for(point: SupplyPoint) -> list[RequestType]:
    """The catalogue entries the portal offers for ``point``, in catalogue order."""
    return [entry for entry in CATALOGUE if entry.offered_for(point)]


def offered_for_customer(points: Iterable[SupplyPoint]) -> list[RequestType]:
    """Entries about the customer, plus those at least one of its supply points offers."""
    points = list(points)
    return [
        entry
        for entry in CATALOGUE
        if not entry.per_supply_point or any(entry.offered_for(point) for point in points)
    ]


def most_used(
    kinds: Iterable[RequestKind], *, available: Iterable[RequestType], limit: int
) -> list[RequestType]:
    """Quick-start entries: one per kind (its first in the catalogue), the kinds the
    customer has used most first, ties and never-used kinds in catalogue order; at most
    ``limit``."""
    counts: dict[RequestKind, int] = {}
    for kind in kinds:
        counts[kind] = counts.get(kind, 0) + 1
    candidates = list({entry.kind: entry for entry in reversed(list(available))}.values())
    order = {entry.code: i for i, entry in enumerate(CATALOGUE)}
    candidates.sort(key=lambda entry: (-counts.get(entry.kind, 0), order[entry.code]))
    return candidates[: max(limit, 0)]
