"""Customers and their master data, as the CRM holds them."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Segment(enum.Enum):
    HOUSEHOLD = "HOUSEHOLD"
    BUSINESS = "BUSINESS"
    LARGE = "LARGE"


@dataclass(frozen=True, slots=True)
class Address:
    street: str
    house_number: str
    city: str
    postcode: str  # five digits, no space: "11000"
    country: str = "CZ"


@dataclass(frozen=True, slots=True)
class Customer:
    number: str  # ten digits
    name: str
    segment: Segment
    permanent_address: Address
    email: str | None
    phone: str | None  # E.164: "+420601123456"
    ico: str | None = None  # IČO, 8 digits: businesses only
    vat_id: str | None = None  # DIČ: "CZ25123891"
    bank_account: str | None = None  # "19-2000145399/0800"
