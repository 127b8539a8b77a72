"""Resolvers of ``Staff.overdueInvoices`` and ``Staff.receivables``.

The filter is checked before billing is asked (BAD_USER_INPUT, no back-end call, nothing
against its breaker); the page is billing's own (its OFFSET and POCET). Every customer
number on the page is a staff read, audited at the end of the request; the summary names
no customer, so it audits none.
"""

from __future__ import annotations

from gateway.context import Info
from gateway.domain.billing import OverdueInvoiceQuery, OverdueOrder
from gateway.errors import BadUserInput
from gateway.schema.common import Money, decode_offset_cursor, offset_cursor, page_info, page_size
from gateway.schema.pagination import Edge
from gateway.schema.staff_receivables import (
    OverdueInvoice,
    OverdueInvoiceConnection,
    OverdueInvoiceFilter,
    Receivables,
)


def overdue_query(
    filter: OverdueInvoiceFilter | None, order: OverdueOrder, *, offset: int, limit: int
) -> OverdueInvoiceQuery:
    if filter is None:
        return OverdueInvoiceQuery(offset=offset, limit=limit, order=order)
    if filter.min_days_overdue is not None and filter.min_days_overdue < 0:
        raise BadUserInput("`minDaysOverdue` must not be negative.")
    if filter.max_days_overdue is not None and filter.max_days_overdue < 0:
        raise BadUserInput("`maxDaysOverdue` must not be negative.")
    if (
        filter.min_days_overdue is not None
        and filter.max_days_overdue is not None
        and filter.min_days_overdue > filter.max_days_overdue
    ):
        raise BadUserInput("`minDaysOverdue` is greater than `maxDaysOverdue`.")
    if filter.min_amount is not None and filter.min_amount < 0:
        raise BadUserInput("`minAmount` must not be negative.")
    return OverdueInvoiceQuery(
        offset=offset,
        limit=limit,
        min_days_overdue=filter.min_days_overdue,
        max_days_overdue=filter.max_days_overdue,
        segment=filter.segment,
        min_amount_due=filter.min_amount,
        order=order,
    )


async def resolve_overdue_invoices(
    info: Info,
    filter: OverdueInvoiceFilter | None,
    order: OverdueOrder,
    first: int | None,
    after: str | None,
) -> OverdueInvoiceConnection:
    limit = page_size(first)
    offset = decode_offset_cursor(after)
    query = overdue_query(filter, order, offset=offset, limit=limit)
    page = await info.context.loaders.overdue_invoices_by_query.load(query)
    info.context.staff_reads.update(item.customer_number for item in page.items)
    edges = [
        Edge(cursor=offset_cursor(offset + i), node=OverdueInvoice.from_domain(item))
        for i, item in enumerate(page.items)
    ]
    return OverdueInvoiceConnection(
        edges=edges,
        page_info=page_info(offset, edges, page.total_count),
        total_count=page.total_count,
        total_amount_due=Money.from_domain(page.total_amount_due),
    )


async def resolve_receivables(info: Info) -> Receivables:
    return Receivables.from_domain(await info.context.loaders.receivables.load(None))
