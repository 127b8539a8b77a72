"""Czech words for what the portal's people read in a Czech sentence: dates, amounts and the
enum values a request summary mentions (the CRM shows summaries to the back office and the
customer as they are written)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from gateway.domain.billing import PaymentMethod

PAYMENT_METHODS = {
    PaymentMethod.BANK_TRANSFER: "bankovní převod",
    PaymentMethod.DIRECT_DEBIT: "inkaso",
    PaymentMethod.SIPO: "SIPO",
    PaymentMethod.POSTAL_ORDER: "složenka",
}
# gateway.requests.validation.TerminationReason, by value (that module imports this one)
TERMINATION_REASONS = {
    "MOVING_OUT": "stěhování",
    "SUPPLIER_CHANGE": "změna dodavatele",
    "TRANSFER_TO_NEW_CUSTOMER": "převod na nového zákazníka",
    "DECEASED": "úmrtí",
    "OTHER": "jiný důvod",
}


def date(day: dt.date) -> str:
    """``2026-03-23`` -> ``23. 3. 2026``."""
    return f"{day.day}. {day.month}. {day.year}"


def amount(value: Decimal) -> str:
    """``Decimal("1500.00")`` -> ``1 500 Kč``, ``1234.5`` -> ``1 234,50 Kč`` (a no-break space
    groups thousands)."""
    whole, _, fraction = f"{value:.2f}".partition(".")
    sign, digits = ("-", whole[1:]) if whole.startswith("-") else ("", whole)
    groups: list[str] = []
    while digits:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    grouped = sign + "\u00a0".join(groups)
    return f"{grouped} Kč" if fraction == "00" else f"{grouped},{fraction} Kč"
