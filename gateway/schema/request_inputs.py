"""``submitRequest``'s input: one member per request kind (``@oneOf``), each typed for its kind."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import strawberry

from gateway.domain.billing import DepositFrequency as DomainDepositFrequency
from gateway.domain.billing import PaymentMethod as DomainPaymentMethod
from gateway.requests.validation import TerminationReason as DomainTerminationReason

PaymentMethodInput = strawberry.enum(DomainPaymentMethod, name="NewPaymentMethod")
DepositFrequencyInput = strawberry.enum(DomainDepositFrequency, name="NewDepositFrequency")
TerminationReason = strawberry.enum(DomainTerminationReason)


@strawberry.input(description="Carried out at once by billing: the supply point's future deposits.")
class DepositChangeInput:
    supply_point_id: strawberry.ID
    amount: Decimal = strawberry.field(description="CZK a deposit; at least billing's minimum.")
    frequency: DepositFrequencyInput | None = strawberry.field(  # type: ignore[valid-type]
        default=None,
        description="Unchanged when omitted. Another frequency reschedules the deposits not yet due, "
        "each at `amount` (billing's minimum scales with the months a deposit covers).",
    )


@strawberry.input(description="Carried out at once by billing.")
class PaymentMethodChangeInput:
    supply_point_id: strawberry.ID
    method: PaymentMethodInput  # type: ignore[valid-type]
    bank_account: str | None = strawberry.field(
        default=None, description="Czech account `19-2000145399/0800` or Czech IBAN; needed for direct debit."
    )


@strawberry.input(description="Carried out at once by billing: the account for direct debit and refunds.")
class BankDetailsChangeInput:
    supply_point_id: strawberry.ID
    bank_account: str


@strawberry.input(description="Carried out at once by the CRM; give either or both.")
class ContactChangeInput:
    email: str | None = None
    phone: str | None = strawberry.field(default=None, description="+420 and nine digits.")


@strawberry.input(description="Carried out at once by the CRM.")
class CorrespondenceAddressChangeInput:
    street: str
    house_number: str
    city: str
    postcode: str = strawberry.field(description="PSČ: five digits, `110 00` or `11000`.")


@strawberry.input(description="Carried out at once by the CRM.")
class EInvoiceChangeInput:
    email: str


@strawberry.input(description="Tracked: the distributor checks it. Whole kWh per register.")
class SelfReadingInput:
    supply_point_id: strawberry.ID
    reading_date: dt.date
    high_tariff_kwh: Decimal = strawberry.field(description="VT, or the only register of a single tariff.")
    low_tariff_kwh: Decimal | None = strawberry.field(default=None, description="NT, on a dual tariff only.")


@strawberry.input(description="Tracked.")
class ProductChangeInput:
    supply_point_id: strawberry.ID
    product: str
    effective_from: dt.date | None = None


@strawberry.input(
    description="Tracked; combined services only. The tariff changes at most once in 12 months."
)
class BreakerOrTariffChangeInput:
    supply_point_id: strawberry.ID
    main_breaker_phases: int | None = None
    main_breaker_amps: int | None = None
    distribution_tariff: str | None = None


@strawberry.input(description="Tracked.")
class TerminationInput:
    supply_point_id: strawberry.ID
    end_date: dt.date
    reason: TerminationReason  # type: ignore[valid-type]
    note: str | None = None


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
    supply_point_id: strawberry.ID
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
    subject: str
    text: str
    supply_point_id: strawberry.ID | None = None


@strawberry.input(one_of=True, description="Exactly one member: the kind of request (see `requestTypes`).")
class RequestInput:
    deposit_change: DepositChangeInput | None = strawberry.UNSET
    payment_method_change: PaymentMethodChangeInput | None = strawberry.UNSET
    bank_details_change: BankDetailsChangeInput | None = strawberry.UNSET
    contact_change: ContactChangeInput | None = strawberry.UNSET
    correspondence_address_change: CorrespondenceAddressChangeInput | None = strawberry.UNSET
    e_invoice_change: EInvoiceChangeInput | None = strawberry.UNSET
    self_reading: SelfReadingInput | None = strawberry.UNSET
    product_change: ProductChangeInput | None = strawberry.UNSET
    breaker_or_tariff_change: BreakerOrTariffChangeInput | None = strawberry.UNSET
    termination: TerminationInput | None = strawberry.UNSET
    transfer: TransferInput | None = strawberry.UNSET
    power_of_attorney: PowerOfAttorneyInput | None = strawberry.UNSET
    free_text: FreeTextInput | None = strawberry.UNSET


@strawberry.input
class SubmitRequestInput:
    customer_number: str
    idempotency_key: str = strawberry.field(
        description="Chosen by the client, 1-128 characters; the same key with the same input answers "
        "the first result, with other input it is an error."
    )
    request: RequestInput


@strawberry.input(description="Give any of `summary`, `documents` and `request`; the case must be open.")
class UpdateRequestInput:
    request_id: strawberry.ID
    summary: str | None = strawberry.field(default=None, description="A new description, 1-2000 characters.")
    documents: list[RequestDocumentInput] | None = strawberry.field(
        default=None, description="Files to add to the case (at most 3 at once)."
    )
    request: RequestInput | None = strawberry.field(
        default=None,
        description="New values of the case's own fields: the member of the case's kind (a self-reading "
        "case takes `selfReading`), checked as on submission; the supply point stays the case's.",
    )


@strawberry.input
class CancelRequestInput:
    request_id: strawberry.ID


@strawberry.input
class MarkMessagesReadInput:
    customer_number: str
    message_ids: list[strawberry.ID]
