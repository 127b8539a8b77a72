"""``Staff.requestQueue``: the CRM's worklist of requests across customers.

The CRM pages and sorts it; a page of the connection is one query to the CRM (which serves
at most 50 a call, so a page of 100 is two calls). ``request`` and ``customer`` are the
portal's own types, read through the same loaders and caches with staff access.
"""

from __future__ import annotations

import enum

import strawberry

from gateway.domain.requests import RequestKind as DomainRequestKind
from gateway.domain.requests import RequestState as DomainRequestState
from gateway.permissions import public_fields
from gateway.schema.common import PageInfo, described_enum
from gateway.schema.customer import Customer
from gateway.schema.requests import CustomerRequest, RequestKind, RequestState


class RequestQueueOrderValue(enum.Enum):
    OLDEST_FIRST = "OLDEST_FIRST"
    NEWEST_FIRST = "NEWEST_FIRST"


RequestQueueOrder = described_enum(
    RequestQueueOrderValue,
    name="RequestQueueOrder",
    description="The order of the request queue, by when each request was filed.",
    values={
        "OLDEST_FIRST": "The longest-waiting request first (ties by request number).",
        "NEWEST_FIRST": "The most recently filed request first (ties by request number, descending).",
    },
)


@strawberry.input(description="Which requests the queue holds; every field given must hold.")
class RequestQueueFilter:
    states: list[RequestState] | None = strawberry.field(  # type: ignore[valid-type]
        default=None,
        description="Requests in any of these states; any state when omitted or empty. A service "
        "desk's queue is usually `[OPEN, IN_PROGRESS]`.",
    )
    kinds: list[RequestKind] | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Requests of any of these kinds; any kind when omitted or empty."
    )
    min_age_days: int | None = strawberry.field(
        default=None,
        description="Only requests filed at least this many days ago (Europe/Prague days: 1 is "
        "yesterday or earlier), 0 to 3650.",
    )

    def domain_states(self) -> tuple[DomainRequestState, ...]:
        return tuple(dict.fromkeys(self.states or ()))

    def domain_kinds(self) -> tuple[DomainRequestKind, ...]:
        return tuple(dict.fromkeys(self.kinds or ()))


@public_fields
@strawberry.type(description="A request in the queue, with the customer that filed it.")
class QueuedRequest:
    request: CustomerRequest = strawberry.field(
        description="The request, as the customer's own list shows it."
    )
    customer: Customer = strawberry.field(description="The customer that filed it.")
    customer_number: str = strawberry.field(description="The customer's 10-digit number.")
    customer_name: str = strawberry.field(description="The customer's name, as the CRM lists it.")
    age_days: int = strawberry.field(
        description="Whole days since it was filed (Europe/Prague days; 0: filed today)."
    )


@public_fields
@strawberry.type(description="One request of the queue, with its cursor.")
class RequestQueueEdge:
    cursor: str = strawberry.field(
        description="This item's position: pass it as `after` to continue after it."
    )
    node: QueuedRequest = strawberry.field(description="The queued request.")


@public_fields
@strawberry.type(description="A page of the request queue (Relay cursor connection), `first` at most 100.")
class RequestQueueConnection:
    edges: list[RequestQueueEdge] = strawberry.field(
        description="The requests of this page, in the queue's order."
    )
    page_info: PageInfo = strawberry.field(description="Where this page lies; `endCursor` continues it.")
    total_count: int = strawberry.field(
        description="How many requests the whole queue holds (the filter applied)."
    )
