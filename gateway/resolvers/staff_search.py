"""``Staff.searchCustomers``: recognise the query, ask the back ends, answer who was found and why.

A query with one meaning that the CRM's search answers (a name, an e-mail, an address, an EAN...)
is paged by the CRM itself. A query with several meanings (ten digits: a customer number and a
variable symbol) runs every lookup at once, keeps the first lookup that found each customer and
pages the union here. Every customer on the page answered is audited (``staff_reads``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass

from gateway.context import Info
from gateway.domain.customer_search import (
    Lookup,
    QueryProblem,
    QueryRefusedError,
    SearchKind,
    crm_search,
    recognize,
)
from gateway.domain.customers import Customer
from gateway.errors import BadUserInput
from gateway.schema.common import decode_offset_cursor, offset_cursor, page_info, page_size
from gateway.schema.staff_search import CustomerSearchConnection, CustomerSearchEdge, CustomerSearchHit

MERGED_CAP = 200  # a lookup of a query with several meanings: its first 200 customers

EMPTY_QUERY_MESSAGE = "`query` is empty."
LONG_QUERY_MESSAGE = "`query` may be at most 100 characters long."
CONTROL_QUERY_MESSAGE = "`query` may not contain control characters."
SHORT_QUERY_MESSAGE = "Give at least 2 characters of a name or an address."
CHECK_DIGIT_MESSAGE = "This EAN or EIC has a wrong check digit."
NO_IDENTIFIER_MESSAGE = "These digits are no customer number, EAN, IČO, phone or variable symbol."
REFUSALS: dict[QueryProblem, str] = {
    QueryProblem.EMPTY: EMPTY_QUERY_MESSAGE,
    QueryProblem.TOO_LONG: LONG_QUERY_MESSAGE,
    QueryProblem.CONTROL_CHARACTERS: CONTROL_QUERY_MESSAGE,
    QueryProblem.TOO_SHORT: SHORT_QUERY_MESSAGE,
    QueryProblem.BAD_CHECK_DIGIT: CHECK_DIGIT_MESSAGE,
    QueryProblem.NOT_AN_IDENTIFIER: NO_IDENTIFIER_MESSAGE,
}


@dataclass(frozen=True, slots=True)
class Found:
    customer: Customer
    lookup: Lookup


async def search_customers(
    info: Info, query: str, first: int | None, after: str | None
) -> CustomerSearchConnection:
    try:
        plan = recognize(query)
    except QueryRefusedError as refused:
        raise BadUserInput(REFUSALS[refused.problem]) from None
    limit = page_size(first)
    offset = decode_offset_cursor(after)
    single = crm_search(plan.lookups[0], offset=offset, limit=limit) if len(plan.lookups) == 1 else None
    if single is not None:
        page = await info.context.loaders.customer_search_by_query.load(single)
        hits = [Found(customer, plan.lookups[0]) for customer in page.customers]
        total, capped = page.total, page.capped
    else:
        found, capped = await _every_lookup(info, plan.lookups)
        hits, total = found[offset : offset + limit], len(found)
    loader = info.context.loaders.customer_by_number
    edges = []
    for i, hit in enumerate(hits):
        loader.prime(hit.customer.number, hit.customer)
        info.context.staff_reads.add(hit.customer.number)  # revealed: audited at the request's end
        info.context.touched.add(hit.customer.number)
        edges.append(
            CustomerSearchEdge(
                cursor=offset_cursor(offset + i),
                node=CustomerSearchHit(
                    customer_number=hit.customer.number,
                    display_name=hit.customer.name,
                    matched_by=hit.lookup.kind,
                    matched_value=_shown(hit.lookup),
                ),
            )
        )
    return CustomerSearchConnection(
        edges=edges,
        page_info=page_info(offset, edges, total),
        total_count=total,
        recognized_as=plan.recognized_as,
        capped=capped,
    )


def _shown(lookup: Lookup) -> str:
    if lookup.kind is SearchKind.ADDRESS and lookup.city:
        return f"{lookup.value}, {lookup.city}" if lookup.value else f", {lookup.city}"
    return lookup.value


async def _every_lookup(info: Info, lookups: Sequence[Lookup]) -> tuple[list[Found], bool]:
    """Every lookup's customers (each at most ``MERGED_CAP``), the first lookup that found a
    customer keeping it; and whether any lookup was capped."""
    answers = await asyncio.gather(*(_lookup(info, lookup) for lookup in lookups))
    seen: set[str] = set()
    merged: list[Found] = []
    for lookup, (customers, _) in zip(lookups, answers, strict=True):
        for customer in customers:
            if customer.number not in seen:
                seen.add(customer.number)
                merged.append(Found(customer, lookup))
    return merged, any(capped for _, capped in answers)


async def _lookup(info: Info, lookup: Lookup) -> tuple[list[Customer], bool]:
    loaders = info.context.loaders
    search = crm_search(lookup, offset=0, limit=MERGED_CAP)
    if search is not None:
        page = await loaders.customer_search_by_query.load(search)
        return list(page.customers), page.capped
    number: str | None
    if lookup.kind is SearchKind.CUSTOMER_NUMBER:
        number = lookup.value
    elif lookup.kind is SearchKind.VARIABLE_SYMBOL:
        number = await loaders.customer_number_by_variable_symbol.load(lookup.value)
    else:  # SearchKind.INVOICE_NUMBER
        number = await loaders.customer_number_by_invoice_number.load(lookup.value)
    if number is None:
        return [], False
    customer = await info.context.loaders.customer_by_number.load(number)
    return ([customer] if customer is not None else []), False
