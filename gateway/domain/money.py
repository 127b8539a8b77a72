"""Amounts of money. Always ``Decimal``, never ``float``."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

CZK = "CZK"


@dataclass(frozen=True, slots=True)
class Money:
    amount: Decimal
    currency: str = CZK

    def __add__(self, other: Money) -> Money:
        if other.currency != self.currency:
            raise ValueError(f"cannot add {other.currency} to {self.currency}")
        return Money(self.amount + other.amount, self.currency)
