"""QR Platba: the Czech Banking Association's Short Payment Descriptor (SPD 1.0).

A payment order as every Czech banking app reads it from a QR code::

    SPD*1.0*ACC:CZ6508000000192000145399+GIBACZPX*AM:1520.00*CC:CZK*X-VS:2611011234*X-KS:0308
           *DT:20261215*MSG:FAKTURA FV2026   (one line)

The format's rules that this module holds:

- ``SPD*1.0*`` then ``KEY:value`` pairs separated by ``*``; a value never holds a ``*``: it is
  written ``%2A`` (the format's one escape).
- Lengths: ACC (IBAN, ``+BIC`` optional) at most 46, AM at most 10 (``0.01`` to
  ``9999999.99``, a dot and two decimals), CC 3 (ISO 4217), DT ``YYYYMMDD``, MSG at most 60,
  X-VS / X-SS / X-KS at most 10 digits each.
- The code holds ISO-8859-1 at most, which has no ř, ě or ů: the message is written without
  diacritics, in capitals and the QR alphanumeric set (0-9 A-Z space $ % * + - . / :), so the
  whole string stays in the QR code's alphanumeric mode, as the format recommends.
- Printed codes use error correction level M.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

import segno
from stdnum import iban as stdnum_iban
from stdnum.cz import bankaccount as stdnum_bankaccount

from gateway.domain.billing import DepositItem, Invoice, InvoiceStatus, PaymentMethod
from gateway.domain.money import Money

HEADER = "SPD*1.0"
# Platby za služby: the constant symbol Czech utilities put on their payment orders.
CONSTANT_SYMBOL = "0308"
MAX_AMOUNT = Decimal("9999999.99")
MAX_MESSAGE = 60
MAX_ACCOUNT = 46
SYMBOL = re.compile(r"\d{1,10}")
_ALPHANUMERIC = set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $+-./:*")


class InvalidPaymentOrder(ValueError):
    """A payment order the format cannot carry (an amount out of range, a bad symbol)."""


def czech_iban(account: str) -> str:
    """``19-2000145399/0800`` -> ``CZ6508000000192000145399``, the account checked (mod 11,
    the bank code on the ČNB list) by python-stdnum."""
    try:
        compact = stdnum_bankaccount.validate(account)
    except ValueError as exc:
        raise InvalidPaymentOrder(f"not a Czech bank account: {account!r}") from exc
    number, _, bank = compact.partition("/")
    prefix, _, base = number.rpartition("-")
    bban = f"{bank}{prefix.zfill(6)}{base.zfill(10)}"
    return stdnum_iban.validate(f"CZ{stdnum_iban.calc_check_digits('CZ00' + bban)}{bban}")


def escape(value: str) -> str:
    """A value as the format carries it: its one reserved character, ``*``, as ``%2A``."""
    return value.replace("*", "%2A")


def message_text(text: str) -> str:
    """Free text for MSG: no diacritics, capitals, the QR alphanumeric set (anything else a
    space), single spaces, at most 60 characters once escaped (an escape is never cut)."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", text.upper()) if not unicodedata.combining(c))
    plain = " ".join("".join(c if c in _ALPHANUMERIC else " " for c in folded).split())
    kept: list[str] = []
    length = 0
    for c in plain:
        width = len(escape(c))
        if length + width > MAX_MESSAGE:
            break
        kept.append(c)
        length += width
    return "".join(kept).rstrip()


@dataclass(frozen=True, slots=True)
class PaymentOrder:
    """What the payer's bank needs: to whom, how much, under which symbols, by when."""

    account: str  # the payee's Czech account, "19-2000145399/0800"
    amount: Decimal
    variable_symbol: str
    constant_symbol: str | None = CONSTANT_SYMBOL
    due_date: dt.date | None = None  # None: pay now (a date already past is left out)
    message: str = ""
    currency: str = "CZK"

    def __post_init__(self) -> None:
        if not Decimal("0.01") <= self.amount <= MAX_AMOUNT or self.amount != round(self.amount, 2):
            raise InvalidPaymentOrder(f"amount out of the format's range: {self.amount}")
        for symbol in (self.variable_symbol, self.constant_symbol):
            if symbol is not None and not SYMBOL.fullmatch(symbol):
                raise InvalidPaymentOrder(f"a symbol is 1-10 digits: {symbol!r}")
        if not re.fullmatch(r"[A-Z]{3}", self.currency):
            raise InvalidPaymentOrder(f"not an ISO 4217 code: {self.currency!r}")
        czech_iban(self.account)

    @property
    def iban(self) -> str:
        return czech_iban(self.account)

    @property
    def bic(self) -> str | None:
        return stdnum_bankaccount.to_bic(self.account)

    def spd(self) -> str:
        """The SPD 1.0 string, keys in a fixed order."""
        account = self.iban if self.bic is None else f"{self.iban}+{self.bic}"
        pairs = [
            ("ACC", account[:MAX_ACCOUNT]),
            ("AM", f"{self.amount:.2f}"),
            ("CC", self.currency),
            ("X-VS", self.variable_symbol),
        ]
        if self.constant_symbol is not None:
            pairs.append(("X-KS", self.constant_symbol))
        if self.due_date is not None:
            pairs.append(("DT", f"{self.due_date:%Y%m%d}"))
        message = message_text(self.message)
        if message:
            pairs.append(("MSG", message))
        return "*".join([HEADER, *(f"{key}:{escape(value)}" for key, value in pairs)])


def qr_svg(text: str, *, scale: int = 4) -> str:
    """``text`` as a QR code (error correction M, the format's level for print), a standalone
    SVG document with a quiet zone, black on white."""
    out = io.BytesIO()
    segno.make(text, error="m", boost_error=False).save(
        out, kind="svg", scale=scale, xmldecl=False, svgns=True
    )
    return out.getvalue().decode("utf-8")


def qr_png(text: str, *, scale: int = 4) -> bytes:
    """The same code as a PNG image."""
    out = io.BytesIO()
    segno.make(text, error="m", boost_error=False).save(out, kind="png", scale=scale)
    return out.getvalue()


# -- what the customer owes, as payment orders -------------------------------------------------

PAYABLE = frozenset({InvoiceStatus.UNPAID, InvoiceStatus.OVERDUE, InvoiceStatus.PARTIALLY_PAID})
# Collected by the supplier itself: a QR payment on top would pay the deposit twice.
COLLECTED = frozenset({PaymentMethod.DIRECT_DEBIT, PaymentMethod.SIPO})


def _order(
    *, account: str, amount: Money, variable_symbol: str, due: dt.date, today: dt.date, message: str
) -> PaymentOrder | None:
    if amount.amount <= 0:
        return None
    try:
        return PaymentOrder(
            account=account,
            amount=amount.amount,
            currency=amount.currency,
            variable_symbol=variable_symbol,
            due_date=due if due >= today else None,
            message=message,
        )
    except InvalidPaymentOrder:  # a symbol or amount the format cannot carry: no QR code
        return None


def invoice_payment(invoice: Invoice, *, account: str, today: dt.date) -> PaymentOrder | None:
    """The order that pays what is left of an unpaid, overdue or partly paid invoice."""
    if invoice.status not in PAYABLE:
        return None
    return _order(
        account=account,
        amount=invoice.amount_due,
        variable_symbol=invoice.variable_symbol,
        due=invoice.due_date,
        today=today,
        message=f"Faktura {invoice.number}",
    )


def deposit_payment(
    item: DepositItem, *, method: PaymentMethod, account: str, today: dt.date
) -> PaymentOrder | None:
    """The order that pays one deposit not yet paid, unless the plan's payment method
    (direct debit, SIPO) collects it anyway."""
    if item.paid or method in COLLECTED:
        return None
    return _order(
        account=account,
        amount=item.amount,
        variable_symbol=item.variable_symbol,
        due=item.due_date,
        today=today,
        message=f"Záloha {item.due_date:%m/%Y}",
    )
