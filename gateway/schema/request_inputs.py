"""``submitRequest``'s input: one member per request kind (``@oneOf``), each typed for its kind."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import strawberry

from gateway.requests.validation import TerminationReason as DomainTerminationReason
from gateway.schema.billing import DepositFrequency, PaymentMethod
from gateway.schema.common import described_enum

TerminationReason = described_enum(
    DomainTerminationReason,
    description="Why a contract ends.",
    values={
        "MOVING_OUT": "The customer moves out; supply ends.",
        "SUPPLIER_CHANGE": "The customer moves to another supplier.",
        "TRANSFER_TO_NEW_CUSTOMER": "Someone else takes over the supply point.",
        "DECEASED": "The customer died.",
        "OTHER": "Another reason: say which in `note`.",
    },
)


@strawberry.input(description="Carried out at once by billing: the supply point's future deposits.")
class DepositChangeInput:
    supply_point_id: strawberry.ID = strawberry.field(description="The supply point's global ID.")
    amount: Decimal = strawberry.field(description="CZK a deposit; at least billing's minimum.")
    frequency: DepositFrequency | None = strawberry.field(  # type: ignore[valid-type]
        default=None,
        description="Unchanged when omitted. Another frequency reschedules the deposits not yet due, "
        "each at `amount` (billing's minimum scales with the months a deposit covers).",
    )


@strawberry.input(description="Carried out at once by billing.")
class PaymentMethodChangeInput:
    supply_point_id: strawberry.ID = strawberry.field(
        description="The supply point's global ID (its deposit plan changes)."
    )
    method: PaymentMethod = strawberry.field(description="The new payment method.")  # type: ignore[valid-type]
    bank_account: str | None = strawberry.field(
        default=None,
        description="Czech account `19-2000145399/0800` or Czech IBAN; needed for direct debit, kept for "
        "refunds with any other method.",
    )
    sipo_number: str | None = strawberry.field(
        default=None,
        description="SIPO's connection number (spojovací číslo, 10 digits): needed to switch to SIPO.",
    )


@strawberry.input(description="Carried out at once by billing: the account for direct debit and refunds.")
class BankDetailsChangeInput:
    supply_point_id: strawberry.ID = strawberry.field(description="The supply point's global ID.")
    bank_account: str = strawberry.field(description="Czech account (`19-2000145399/0800`) or Czech IBAN.")


@strawberry.input(description="Carried out at once by the CRM; give either or both.")
class ContactChangeInput:
    email: str | None = strawberry.field(default=None, description="The new contact e-mail.")
    phone: str | None = strawberry.field(default=None, description="+420 and nine digits.")


@strawberry.input(description="Carried out at once by the CRM.")
class CorrespondenceAddressChangeInput:
    street: str = strawberry.field(description="Street (or village).")
    house_number: str = strawberry.field(description="House number as written (`1234/5`).")
    city: str = strawberry.field(description="Town or city.")
    postcode: str = strawberry.field(description="PSČ: five digits, `110 00` or `11000`.")


@strawberry.input(description="Carried out at once by the CRM.")
class EInvoiceChangeInput:
    email: str = strawberry.field(
        description="Where e-invoices go from now on (switches delivery to e-mail)."
    )


@strawberry.input(description="Tracked: the distributor checks it. Whole kWh per register.")
class SelfReadingInput:
    supply_point_id: strawberry.ID = strawberry.field(description="The supply point's global ID.")
    reading_date: dt.date = strawberry.field(
        description="The day the meter was read (Europe/Prague, not in the future)."
    )
    high_tariff_kwh: Decimal = strawberry.field(
        description="VT, or the only register of a single tariff or of a gas meter, in the register's "
        "`unit` (whole kWh; m³ on a gas meter, despite the name)."
    )
    low_tariff_kwh: Decimal | None = strawberry.field(
        default=None, description="NT, on a dual tariff only (whole kWh)."
    )


@strawberry.input(description="Tracked.")
class ProductChangeInput:
    supply_point_id: strawberry.ID = strawberry.field(description="The supply point's global ID.")
    product: str = strawberry.field(description="The product's name from the price list.")
    effective_from: dt.date | None = strawberry.field(
        default=None,
        description=(
            "The first day of the new product (Europe/Prague): from tomorrow to a year ahead; optional."
        ),
    )


@strawberry.input(
    description="Tracked; combined services only. The tariff changes at most once in 12 months."
)
class BreakerOrTariffChangeInput:
    supply_point_id: strawberry.ID = strawberry.field(description="The electricity supply point's global ID.")
    main_breaker_phases: int | None = strawberry.field(
        default=None, description="1 or 3 phases; with `mainBreakerAmps`."
    )
    main_breaker_amps: int | None = strawberry.field(
        default=None, description="The new main breaker in amperes (25 for 3x25 A); omitted: unchanged."
    )
    distribution_tariff: str | None = strawberry.field(
        default=None, description="The new distribution tariff (`D02d`, `D25d`, ...); omitted: unchanged."
    )


@strawberry.input(description="Tracked.")
class TerminationInput:
    supply_point_id: strawberry.ID = strawberry.field(description="The supply point's global ID.")
    end_date: dt.date = strawberry.field(
        description="The last day of supply (Europe/Prague, not in the past)."
    )
    reason: TerminationReason = strawberry.field(description="Why the contract ends.")  # type: ignore[valid-type]
    note: str | None = strawberry.field(
        default=None, description="Anything the back office should know; optional."
    )


@strawberry.input(
    description="A file attached to a request: a PDF, JPEG or PNG of at most 72 KiB (a scanned page as "
    "JPEG), base64 in the JSON body; a string argument is at most 100,000 characters."
)
class RequestDocumentInput:
    file_name: str = strawberry.field(description="1-200 characters, no path: `plna-moc.pdf`.")
    content_type: str = strawberry.field(description="`application/pdf`, `image/jpeg` or `image/png`.")
    content_base64: str = strawberry.field(
        description="The file, standard base64; its first bytes must match `contentType`."
    )


@strawberry.input(
    description="Tracked: the supply point passes to a new customer (přepis) on `transferDate`. "
    "The back office contacts the new customer and ends your contract for the point that day. Owner only."
)
class TransferInput:
    supply_point_id: strawberry.ID = strawberry.field(
        description="The global ID of the supply point that passes to the new customer."
    )
    transfer_date: dt.date = strawberry.field(
        description="The day of the handover: at most 30 days back, at most a year ahead."
    )
    new_customer_name: str = strawberry.field(description="The new customer's name, or company.")
    new_customer_email: str = strawberry.field(description="Where the back office contacts the new customer.")
    new_customer_phone: str | None = strawberry.field(default=None, description="+420 and nine digits.")
    new_customer_ico: str | None = strawberry.field(
        default=None, description="The new customer's IČO, when it is a company."
    )
    high_tariff_kwh: Decimal | None = strawberry.field(
        default=None, description="The meter's state at the handover: VT, or the only register. Whole kWh."
    )
    low_tariff_kwh: Decimal | None = strawberry.field(default=None, description="NT, on a dual tariff only.")
    documents: list[RequestDocumentInput] | None = strawberry.field(
        default=None, description="The handover protocol (předávací protokol), at most 3 files."
    )


@strawberry.input(
    description="Tracked: someone may act for the customer (plná moc); the back office checks the "
    "signed document. Owner only."
)
class PowerOfAttorneyInput:
    representative_name: str = strawberry.field(description="Who gets the power of attorney.")
    representative_email: str | None = strawberry.field(default=None, description="The attorney's e-mail.")
    scope: str = strawberry.field(description="What the attorney may do, as the document says.")
    valid_until: dt.date | None = strawberry.field(
        default=None, description="The day it expires; none: until revoked."
    )
    supply_point_ids: list[strawberry.ID] | None = strawberry.field(
        default=None,
        description="The supply points it covers (their EAN/EIC go to the back office); none: all.",
    )
    document: RequestDocumentInput = strawberry.field(description="The signed power of attorney.")


@strawberry.input(description="Tracked: anything else, in your words.")
class FreeTextInput:
    subject: str = strawberry.field(description="A short subject, 1 to 120 characters.")
    text: str = strawberry.field(description="The request in words, 1 to 2000 characters.")
    supply_point_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The supply point it concerns (global ID); omitted: the whole customer number.",
    )


@strawberry.input(one_of=True, description="Exactly one member: the kind of request (see `requestTypes`).")
class RequestInput:
    deposit_change: DepositChangeInput | None = strawberry.field(
        default=strawberry.UNSET, description="A new deposit amount (and frequency)."
    )
    payment_method_change: PaymentMethodChangeInput | None = strawberry.field(
        default=strawberry.UNSET, description="A new payment method."
    )
    bank_details_change: BankDetailsChangeInput | None = strawberry.field(
        default=strawberry.UNSET, description="A new bank account for direct debit and refunds."
    )
    contact_change: ContactChangeInput | None = strawberry.field(
        default=strawberry.UNSET, description="A new e-mail or phone."
    )
    correspondence_address_change: CorrespondenceAddressChangeInput | None = strawberry.field(
        default=strawberry.UNSET, description="A new correspondence address."
    )
    e_invoice_change: EInvoiceChangeInput | None = strawberry.field(
        default=strawberry.UNSET, description="A new e-invoice address."
    )
    self_reading: SelfReadingInput | None = strawberry.field(
        default=strawberry.UNSET, description="A meter self-reading."
    )
    product_change: ProductChangeInput | None = strawberry.field(
        default=strawberry.UNSET, description="Another product."
    )
    breaker_or_tariff_change: BreakerOrTariffChangeInput | None = strawberry.field(
        default=strawberry.UNSET, description="A new main breaker or distribution tariff."
    )
    termination: TerminationInput | None = strawberry.field(
        default=strawberry.UNSET, description="Ending a supply point's contract."
    )
    transfer: TransferInput | None = strawberry.field(
        default=strawberry.UNSET,
        description="Přepis: the supply point passes to a new customer (owner only; a signed document).",
    )
    power_of_attorney: PowerOfAttorneyInput | None = strawberry.field(
        default=strawberry.UNSET,
        description="Plná moc: someone may act for the customer (owner only; the signed document).",
    )
    free_text: FreeTextInput | None = strawberry.field(
        default=strawberry.UNSET, description="A request in words."
    )


@strawberry.input(description="A request to file, exactly once per `idempotencyKey`.")
class SubmitRequestInput:
    customer_number: str = strawberry.field(description="The 10-digit customer number it is for.")
    idempotency_key: str = strawberry.field(
        description="Chosen by the client, 1-128 characters; the same key with the same input answers "
        "the first result, with other input it is an error."
    )
    request: RequestInput = strawberry.field(description="The request: exactly one member, for its kind.")


@strawberry.input(description="Give any of `summary`, `documents` and `request`; the case must be open.")
class UpdateRequestInput:
    request_id: strawberry.ID = strawberry.field(description="The request's global ID.")
    summary: str | None = strawberry.field(default=None, description="A new description, 1-2000 characters.")
    documents: list[RequestDocumentInput] | None = strawberry.field(
        default=None, description="Files to add to the case (at most 3 at once)."
    )
    request: RequestInput | None = strawberry.field(
        default=None,
        description="New values of the case's own fields: the member of the case's kind (a self-reading "
        "case takes `selfReading`), checked as on submission; the supply point stays the case's.",
    )


@strawberry.input(description="Which open request to cancel.")
class CancelRequestInput:
    request_id: strawberry.ID = strawberry.field(description="The request's global ID.")


@strawberry.input(description="Which inbox messages to mark read.")
class MarkMessagesReadInput:
    customer_number: str = strawberry.field(description="The customer number whose inbox it is (owner only).")
    message_ids: list[strawberry.ID] = strawberry.field(
        description="Global IDs of its messages; one that is not in this inbox refuses the whole list."
    )
