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
