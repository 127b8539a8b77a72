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


DOCUMENT_TYPES = ("application/pdf", "image/jpeg", "image/png")


@dataclass(frozen=True, slots=True)
class RequestDocument:
    """A file attached to a request (a signed power of attorney, a handover protocol), as the
    CRM lists it: its content stays with the back office."""

    file_name: str
    content_type: str  # one of DOCUMENT_TYPES
    size: int  # bytes


@dataclass(frozen=True, slots=True)
class DocumentUpload:
    """A file the customer attaches, on its way to the CRM."""

    file_name: str
    content_type: str
    content: bytes


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
    documents: tuple[RequestDocument, ...] = ()


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
    documents: tuple[DocumentUpload, ...] = ()


@dataclass(frozen=True, slots=True)
class RequestUpdate:
    """What ``updateRequest`` hands the CRM while the case is open: a new summary, new values of
    the kind's own attributes (those given replace theirs), documents to add. Not all empty."""

    summary: str | None = None
    attributes: tuple[tuple[str, str], ...] = ()
    documents: tuple[DocumentUpload, ...] = ()


@dataclass(frozen=True, slots=True)
class RequestQueueQuery:
    """One page of the CRM's worklist across customers: the cases in any of ``states`` and
    ``kinds`` (empty: any), created on or before ``created_until`` (a Europe/Prague day),
    by creation time; ``offset`` and ``limit`` (at most 100) page it."""

    states: tuple[RequestState, ...] = ()
    kinds: tuple[RequestKind, ...] = ()
    created_until: dt.date | None = None
    oldest_first: bool = True
    offset: int = 0
    limit: int = 20


@dataclass(frozen=True, slots=True)
class QueuedRequest:
    request: CustomerRequest
    customer_name: str


@dataclass(frozen=True, slots=True)
class RequestQueuePage:
    items: tuple[QueuedRequest, ...]
    total: int  # every case the query selects, not only this page's
