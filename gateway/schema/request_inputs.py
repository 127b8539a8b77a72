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
    free_text: FreeTextInput | None = strawberry.UNSET


@strawberry.input
class SubmitRequestInput:
    customer_number: str
    idempotency_key: str = strawberry.field(
        description="Chosen by the client, 1-128 characters; the same key with the same input answers "
        "the first result, with other input it is an error."
    )
    request: RequestInput


@strawberry.input
class UpdateRequestInput:
    request_id: strawberry.ID
    summary: str


@strawberry.input
class CancelRequestInput:
    request_id: strawberry.ID


@strawberry.input
class MarkMessagesReadInput:
    customer_number: str
    message_ids: list[strawberry.ID]
