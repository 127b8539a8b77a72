"""The Czech QR payment (QR Platba) of an unpaid invoice or deposit."""

from __future__ import annotations

import datetime as dt

import strawberry

from gateway.domain import qr_payment as domain
from gateway.domain.money import Money as DomainMoney
from gateway.permissions import public_fields
from gateway.schema.common import Money


@public_fields
@strawberry.type(
    description="How to pay by bank transfer, as the Czech QR payment (QR Platba, the Czech Banking "
    "Association's SPD 1.0 format) every Czech banking app scans, and as the details to type in by hand."
)
class QrPayment:
    spd: str = strawberry.field(
        description="The payment order in SPD 1.0 form (`SPD*1.0*ACC:...*AM:...*CC:CZK*X-VS:...`): "
        "the text the QR code holds. Render it yourself, or use `svg`."
    )
    iban: str = strawberry.field(description="The payee's IBAN: `CZ6508000000192000145399`.")
    account_number: str = strawberry.field(
        description="The payee's account in Czech form: `19-2000145399/0800` (prefix-number/bank code)."
    )
    amount: Money = strawberry.field(description="What to pay.")
    variable_symbol: str = strawberry.field(
        description="The variable symbol (VS) that identifies this payment: 1-10 digits."
    )
    constant_symbol: str | None = strawberry.field(description="The constant symbol (KS): 4 digits.")
    due_date: dt.date | None = strawberry.field(
        description="Pay by this day; null when the day has passed (pay now)."
    )
    message: str = strawberry.field(
        description="The message for the payee the code carries (no diacritics, capitals)."
    )

    @strawberry.field(
        description="The QR code as a standalone SVG document (error correction M, with its quiet "
        "zone), ready for an `<img>` as a data URL or inline."
    )
    def svg(self) -> str:
        return domain.qr_svg(self.spd)

    @classmethod
    def from_domain(cls, order: domain.PaymentOrder) -> QrPayment:
        return cls(
            spd=order.spd(),
            iban=order.iban,
            account_number=order.account,
            amount=Money.from_domain(DomainMoney(order.amount, order.currency)),
            variable_symbol=order.variable_symbol,
            constant_symbol=order.constant_symbol,
            due_date=order.due_date,
            message=domain.message_text(order.message),
        )
