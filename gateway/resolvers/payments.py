"""Resolvers for payments received and sent (refunds)."""

from __future__ import annotations

from gateway.context import Info
from gateway.domain import billing as domain
from gateway.domain.access import Scope
from gateway.errors import BadUserInput, NotFound
from gateway.permissions import require_access
from gateway.schema.billing import Payment, PaymentFilter
from gateway.schema.pagination import Connection, paginate


def _matches(payment: domain.Payment, filter: PaymentFilter | None) -> bool:
    if filter is None:
        return True
    return (
        (filter.direction is None or payment.direction is filter.direction)
        and (filter.date_from is None or payment.date >= filter.date_from)
        and (filter.date_to is None or payment.date <= filter.date_to)
    )


async def resolve_payments(
    info: Info, customer_number: str, filter: PaymentFilter | None, first: int | None, after: str | None
) -> Connection[Payment]:
    if filter is not None and filter.date_from and filter.date_to and filter.date_from > filter.date_to:
        raise BadUserInput("`dateFrom` is later than `dateTo`.")
    payments = await info.context.loaders.payments_by_customer.load(customer_number)
    selected = sorted(
        (p for p in payments if _matches(p, filter)), key=lambda p: (p.date, p.id), reverse=True
    )
    return paginate(selected, Payment.from_domain, first=first, after=after)


async def resolve_payment_node(info: Info, customer_number: str, payment_id: str) -> Payment:
    require_access(info.context.access(customer_number), Scope.VIEW_BILLING)
    payments = await info.context.loaders.payments_by_customer.load(customer_number)
    payment = next((p for p in payments if p.id == payment_id), None)
    if payment is None:
        raise NotFound
    return Payment.from_domain(payment)
