"""Customer requests (cases) as the CRM tracks them, with their history."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass


class RequestKind(enum.Enum):
    """DOMAIN.md section 5; ``OTHER`` covers free-text requests and kinds the gateway does not know."""

    CONTACT_CHANGE = "CONTACT_CHANGE"
    DEPOSIT_CHANGE = "DEPOSIT_CHANGE"
    PAYMENT_METHOD_CHANGE = "PAYMENT_METHOD_CHANGE"
    BANK_DETAILS_CHANGE = "BANK_DETAILS_CHANGE"
    SELF_READING = "SELF_READING"
    PRODUCT_CHANGE = "PRODUCT_CHANGE"
    BREAKER_OR_TARIFF_CHANGE = "BREAKER_OR_TARIFF_CHANGE"
    TRANSFER = "TRANSFER"  # přepis to a new customer
    TERMINATION = "TERMINATION"
    POWER_OF_ATTORNEY = "POWER_OF_ATTORNEY"
    OTHER = "OTHER"


class RequestState(enum.Enum):
    OPEN = "OPEN"
    IN_PROGRESS = "IN_PROGRESS"
    RESOLVED = "RESOLVED"
    REJECTED = "REJECTED"
    CANCELLED = "CANCELLED"

    @property
    def is_closed(self) -> bool:
        return self in (RequestState.RESOLVED, RequestState.REJECTED, RequestState.CANCELLED)


@dataclass(frozen=True, slots=True)
class RequestHistoryEntry:
    at: dt.datetime  # timezone-aware
    state: RequestState
    note: str


@dataclass(frozen=True, slots=True)
class CustomerRequest:
    id: str
    customer_number: str
    kind: RequestKind
    state: RequestState
    created_at: dt.datetime  # timezone-aware
    updated_at: dt.datetime
    supply_point_id: str | None
    summary: str
    history: tuple[RequestHistoryEntry, ...]  # oldest first


@dataclass(frozen=True, slots=True)
class NewRequest:
    """What ``submitRequest`` hands the CRM; the CRM assigns id, state and dates."""

    customer_number: str
    kind: RequestKind
    summary: str
    supply_point_id: str | None = None
    # The client's reference: the CRM creates one case per reference, so a create whose
    # answer was lost can be sent again without filing the request twice.
    reference: str | None = None
    attributes: tuple[tuple[str, str], ...] = ()  # structured details, e.g. meter readings
