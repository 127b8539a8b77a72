"""Resolvers for invoices."""

from __future__ import annotations

from gateway.context import Info
from gateway.domain.access import Scope
from gateway.domain.billing import InvoiceQuery
from gateway.errors import BadUserInput, NotFound
from gateway.permissions import require_access
from gateway.schema.billing import Invoice, InvoiceFilter
from gateway.schema.common import decode_offset_cursor, offset_cursor, page_info, page_size
from gateway.schema.node import from_global_id
from gateway.schema.pagination import Connection, Edge


def invoice_query(
    customer_number: str, filter: InvoiceFilter | None, *, offset: int, limit: int
) -> InvoiceQuery:
    if filter is None:
        return InvoiceQuery(customer_number=customer_number, offset=offset, limit=limit)
    if (
        filter.amount_from is not None
        and filter.amount_to is not None
        and filter.amount_from > filter.amount_to
    ):
        raise BadUserInput("`amountFrom` is greater than `amountTo`.")
    if filter.due_from is not None and filter.due_to is not None and filter.due_from > filter.due_to:
        raise BadUserInput("`dueFrom` is later than `dueTo`.")
    supply_point_id = None
    if filter.supply_point_id is not None:
        try:
            _, supply_point_id = from_global_id(filter.supply_point_id, expected="SupplyPoint")
        except NotFound:
            raise BadUserInput("`supplyPointId` is not a supply point's ID.") from None
    return InvoiceQuery(
        customer_number=customer_number,
        offset=offset,
        limit=limit,
        statuses=tuple(sorted(set(filter.status or ()), key=lambda status: status.value)),
        amount_from=filter.amount_from,
        amount_to=filter.amount_to,
        due_from=filter.due_from,
        due_to=filter.due_to,
        supply_point_id=supply_point_id,
    )


async def resolve_invoices(
    info: Info, customer_number: str, filter: InvoiceFilter | None, first: int | None, after: str | None
) -> Connection[Invoice]:
    limit = page_size(first)
    offset = decode_offset_cursor(after)
    query = invoice_query(customer_number, filter, offset=offset, limit=limit)
    page = await info.context.loaders.invoice_page_by_query.load(query)
    edges = [
        Edge(cursor=offset_cursor(offset + i), node=Invoice.from_domain(invoice))
        for i, invoice in enumerate(page.invoices)
    ]
    return Connection(
        edges=edges,
        page_info=page_info(offset, edges, page.total_count),
        total_count=page.total_count,
    )


async def resolve_invoice_node(info: Info, invoice_id: str) -> Invoice:
    invoice = await info.context.loaders.invoice_by_id.load(invoice_id)
    if invoice is None:
        raise NotFound
    require_access(info.context.access(invoice.customer_number), Scope.VIEW_BILLING)
    return Invoice.from_domain(invoice)
