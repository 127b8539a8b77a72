"""``Staff.requestQueue``: decode the filter, ask the CRM's worklist for one page, audit the
customers it reveals."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from gateway.context import Info
from gateway.domain.requests import QueuedRequest as DomainQueuedRequest
from gateway.domain.requests import RequestQueueQuery
from gateway.errors import BadUserInput
from gateway.schema.common import decode_offset_cursor, offset_cursor, page_info, page_size
from gateway.schema.customer import Customer
from gateway.schema.requests import CustomerRequest
from gateway.schema.staff_requests import (
    QueuedRequest,
    RequestQueueConnection,
    RequestQueueEdge,
    RequestQueueFilter,
    RequestQueueOrderValue,
)

PRAGUE = ZoneInfo("Europe/Prague")  # ages count Prague days, as dates do everywhere
MAX_AGE_DAYS = 3650  # ten years: older cases are archived out of the CRM's worklist


def queue_query(
    filter: RequestQueueFilter | None,
    order_by: RequestQueueOrderValue,
    *,
    today: dt.date,
    offset: int,
    limit: int,
) -> RequestQueueQuery:
    """The CRM query for one page; ``BadUserInput`` for a filter no queue can answer."""
    created_until = None
    if filter is not None and filter.min_age_days is not None:
        if not 0 <= filter.min_age_days <= MAX_AGE_DAYS:
            raise BadUserInput(f"`minAgeDays` must be between 0 and {MAX_AGE_DAYS}.")
        created_until = today - dt.timedelta(days=filter.min_age_days)
    return RequestQueueQuery(
        states=filter.domain_states() if filter is not None else (),
        kinds=filter.domain_kinds() if filter is not None else (),
        created_until=created_until,
        oldest_first=order_by is RequestQueueOrderValue.OLDEST_FIRST,
        offset=offset,
        limit=limit,
    )


def _queued(item: DomainQueuedRequest, today: dt.date) -> QueuedRequest:
    number = item.request.customer_number
    return QueuedRequest(
        request=CustomerRequest.from_domain(item.request),
        customer=Customer.of(number),  # staff may see every customer number
        customer_number=number,
        customer_name=item.customer_name,
        age_days=(today - item.request.created_at.astimezone(PRAGUE).date()).days,
    )


async def resolve_request_queue(
    info: Info,
    filter: RequestQueueFilter | None,
    order_by: RequestQueueOrderValue,
    first: int | None,
    after: str | None,
) -> RequestQueueConnection:
    limit = page_size(first)
    offset = decode_offset_cursor(after)
    today = info.context.services.clock().astimezone(PRAGUE).date()
    query = queue_query(filter, order_by, today=today, offset=offset, limit=limit)
    page = await info.context.loaders.request_queue_by_query.load(query)
    info.context.staff_reads.update(item.request.customer_number for item in page.items)
    edges = [
        RequestQueueEdge(cursor=offset_cursor(offset + i), node=_queued(item, today))
        for i, item in enumerate(page.items)
    ]
    return RequestQueueConnection(
        edges=edges,
        page_info=page_info(offset, edges, page.total),
        total_count=page.total,
    )
