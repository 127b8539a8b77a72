"""Resolvers for the account overview (přehled účtu), the portal's front page.

Each part loads only what it shows, through the same per-request loaders as the rest of
the graph, so sibling parts run concurrently and share calls (the unread count and the
inbox one CRM call; supply points and quick-start request types another). No part
costs a call per supply point.
"""

from __future__ import annotations

import asyncio

from gateway.context import Info
from gateway.domain import billing as domain_billing
from gateway.domain import catalogue
from gateway.domain.billing import InvoiceQuery, InvoiceStatus
from gateway.schema.billing import Invoice, Reminder

OPEN_INVOICE_STATUSES = (InvoiceStatus.OVERDUE, InvoiceStatus.PARTIALLY_PAID, InvoiceStatus.UNPAID)
OPEN_INVOICE_WINDOW = 50  # one billing page: the open invoices the nearest are chosen from
OVERVIEW_MAX = 20


def _limit(first: int) -> int:
    return max(0, min(first, OVERVIEW_MAX))


async def resolve_nearest_invoices(info: Info, customer_number: str, first: int) -> list[Invoice]:
    """Open invoices (overdue first), by due date."""
    page = await info.context.loaders.invoice_page_by_query.load(
        InvoiceQuery(
            customer_number=customer_number,
            limit=OPEN_INVOICE_WINDOW,
            statuses=tuple(sorted(OPEN_INVOICE_STATUSES, key=lambda s: s.value)),
        )
    )
    nearest = sorted(page.invoices, key=lambda invoice: (invoice.due_date, invoice.number))
    return [Invoice.from_domain(invoice) for invoice in nearest[: _limit(first)]]


async def resolve_nearest_deposits(
    info: Info, customer_number: str, first: int
) -> list[tuple[domain_billing.DepositPlan, domain_billing.DepositItem]]:
    """Unpaid deposits of every plan, the earliest due first."""
    plans = await info.context.loaders.deposit_plans_by_customer.load(customer_number)
    unpaid = [(plan, item) for plan in plans for item in plan.items if not item.paid]
    unpaid.sort(key=lambda pair: (pair[1].due_date, pair[0].supply_point_id))
    return unpaid[: _limit(first)]


async def resolve_recent_reminders(info: Info, customer_number: str, first: int) -> list[Reminder]:
    reminders = await info.context.loaders.reminders_by_customer.load(customer_number)
    newest = sorted(reminders, key=lambda r: (r.issue_date, r.id), reverse=True)
    return [Reminder.from_domain(reminder) for reminder in newest[: _limit(first)]]


async def resolve_quick_request_types(
    info: Info, customer_number: str, first: int
) -> list[catalogue.RequestType]:
    """What the customer files most, among what its supply points offer."""
    loaders = info.context.loaders
    requests, points = await asyncio.gather(
        loaders.requests_by_customer.load(customer_number),
        loaders.supply_points_by_customer.load(customer_number),
    )
    available = catalogue.offered_for_customer(points)
    return catalogue.most_used(
        (request.kind for request in requests), available=available, limit=_limit(first)
    )
