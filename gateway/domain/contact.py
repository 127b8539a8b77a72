"""Changes of a customer's contact details, carried out at once by the CRM."""

from __future__ import annotations

from dataclasses import dataclass

from gateway.domain.customers import Address


@dataclass(frozen=True, slots=True)
class ContactDetailsChange:
    """Only the fields given change; each is an absolute value, so applying it twice is harmless."""

    email: str | None = None
    phone: str | None = None  # E.164: "+420601123456"
    correspondence_address: Address | None = None
    e_invoice_email: str | None = None
