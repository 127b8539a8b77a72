"""``Staff.overdueInvoices`` and ``Staff.receivables``: finance's worklists across customers.

Both come from billing as it reckons them (its own paging, filters, order and sums, as of its
today). An overdue invoice's ``invoice`` and ``customer`` are the portal's types, loaded
through the request's loaders and the shared caches like any other invoice or customer.
The resolvers are in ``gateway.resolvers.staff_receivables``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import strawberry

from gateway.context import Info
from gateway.domain import billing as domain
from gateway.errors import NotFound
from gateway.permissions import public_fields
from gateway.schema.billing import Invoice, InvoiceStatus
from gateway.schema.common import Money, PageInfo, described_enum
from gateway.schema.customer import Customer, Segment
from gateway.schema.pagination import Edge

OverdueInvoiceOrder = described_enum(
    domain.OverdueOrder,
    name="OverdueInvoiceOrder",
    description="How the overdue invoices are ordered; ties by billing's invoice id.",
    values={
        "DAYS_OVERDUE_DESC": "Longest overdue first.",
        "DAYS_OVERDUE_ASC": "Most recently overdue first.",
        "AMOUNT_DESC": "Largest amount due first.",
        "AMOUNT_ASC": "Smallest amount due first.",
    },
)

AgingBucket = described_enum(
    domain.AgingBucket,
    description="How long overdue invoices are past their due date, in days.",
    values={
        "DAYS_1_30": "1 to 30 days overdue.",
        "DAYS_31_60": "31 to 60 days overdue.",
        "DAYS_61_90": "61 to 90 days overdue.",
        "DAYS_OVER_90": "More than 90 days overdue.",
    },
)


@strawberry.input(description="Every field is optional; all given ones must hold. Bounds are inclusive.")
class OverdueInvoiceFilter:
    min_days_overdue: int | None = strawberry.field(
        default=None, description="At least this many days past the due date (0 or more)."
    )
    max_days_overdue: int | None = strawberry.field(
        default=None, description="At most this many days past the due date (0 or more)."
    )
    segment: Segment | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Only customers of this segment."
    )
    min_amount: Decimal | None = strawberry.field(
        default=None, description="An amount due of at least this (CZK, 0 or more)."
    )


@public_fields
@strawberry.type(description="An invoice past its due date and not paid in full, with its customer.")
class OverdueInvoice:
    invoice_id: strawberry.Private[str]
    customer_number: str = strawberry.field(description="The 10-digit customer number (zákaznické číslo).")
    customer_name: str = strawberry.field(description="The customer's name as billing holds it.")
    segment: Segment = strawberry.field(  # type: ignore[valid-type]
        description="The customer's segment."
    )
    due_date: dt.date = strawberry.field(description="The day it was due (Europe/Prague).")
    days_overdue: int = strawberry.field(description="Days since the due date, as of billing's today.")
    amount_due: Money = strawberry.field(description="What is still to pay on it.")

    @strawberry.field(description="The invoice itself (the portal's type).")
    async def invoice(self, info: Info) -> Invoice:
        found = await info.context.loaders.invoice_by_id.load(self.invoice_id)
        if found is None or found.customer_number != self.customer_number:
            raise NotFound
        return Invoice.from_domain(found)

    @strawberry.field(description="The customer (the portal's type).")
    def customer(self) -> Customer:
        return Customer.of(self.customer_number)

    @classmethod
    def from_domain(cls, item: domain.OverdueInvoice) -> OverdueInvoice:
        return cls(
            invoice_id=item.invoice_id,
            customer_number=item.customer_number,
            customer_name=item.customer_name,
            segment=item.segment,
            due_date=item.due_date,
            days_overdue=item.days_overdue,
            amount_due=Money.from_domain(item.amount_due),
        )


@public_fields
@strawberry.type(description="A page of overdue invoices across customers, `first` at most 100.")
class OverdueInvoiceConnection:
    edges: list[Edge[OverdueInvoice]] = strawberry.field(
        description="The invoices of this page, in the order asked for."
    )
    page_info: PageInfo = strawberry.field(description="Where this page lies; `endCursor` continues it.")
    total_count: int = strawberry.field(description="How many overdue invoices the filter holds.")
    total_amount_due: Money = strawberry.field(description="What is due on all of them together.")


@public_fields
@strawberry.type(description="The invoices of one status: how many, invoiced and still due.")
class StatusTotal:
    status: InvoiceStatus = strawberry.field(description="The status.")  # type: ignore[valid-type]
    amount: Money = strawberry.field(description="Their invoiced totals together.")
    amount_due: Money = strawberry.field(description="What is still to pay on them.")
    count: int = strawberry.field(description="How many invoices.")

    @classmethod
    def from_domain(cls, total: domain.StatusTotal) -> StatusTotal:
        return cls(
            status=total.status,
            amount=Money.from_domain(total.total),
            amount_due=Money.from_domain(total.amount_due),
            count=total.count,
        )


@public_fields
@strawberry.type(description="The overdue invoices of one aging bucket.")
class AgingTotal:
    bucket: AgingBucket = strawberry.field(description="How long overdue.")  # type: ignore[valid-type]
    amount: Money = strawberry.field(description="What is still to pay on them.")
    count: int = strawberry.field(description="How many invoices.")

    @classmethod
    def from_domain(cls, total: domain.AgingTotal) -> AgingTotal:
        return cls(bucket=total.bucket, amount=Money.from_domain(total.amount_due), count=total.count)


@public_fields
@strawberry.type(description="What customers owe: by invoice status, and the overdue by age.")
class ReceivablesSummary:
    outstanding: Money = strawberry.field(description="Still to pay on every invoice, due or not.")
    overdue: Money = strawberry.field(description="Still to pay on the overdue invoices.")
    overdue_count: int = strawberry.field(description="How many invoices are overdue.")
    by_status: list[StatusTotal] = strawberry.field(description="Per invoice status, every status once.")
    aging: list[AgingTotal] = strawberry.field(description="The overdue per aging bucket, every bucket once.")

    @classmethod
    def from_domain(cls, summary: domain.ReceivablesSummary) -> ReceivablesSummary:
        return cls(
            outstanding=Money.from_domain(summary.outstanding),
            overdue=Money.from_domain(summary.overdue),
            overdue_count=summary.overdue_count,
            by_status=[StatusTotal.from_domain(total) for total in summary.by_status],
            aging=[AgingTotal.from_domain(total) for total in summary.aging],
        )


@public_fields
@strawberry.type(description="The receivables of one customer segment.")
class SegmentReceivables:
    segment: Segment = strawberry.field(description="The segment.")  # type: ignore[valid-type]
    summary: ReceivablesSummary = strawberry.field(description="Its customers' receivables.")


@public_fields
@strawberry.type(
    description="The receivables summary: every customer's invoices, as of billing's today. "
    "Names no customer."
)
class Receivables:
    as_of: dt.date = strawberry.field(
        description="The day billing reckoned it on (days overdue count to it)."
    )
    total: ReceivablesSummary = strawberry.field(description="Over all customers.")
    by_segment: list[SegmentReceivables] = strawberry.field(description="Per segment, every segment once.")

    @classmethod
    def from_domain(cls, receivables: domain.Receivables) -> Receivables:
        return cls(
            as_of=receivables.as_of,
            total=ReceivablesSummary.from_domain(receivables.total),
            by_segment=[
                SegmentReceivables(segment=segment, summary=ReceivablesSummary.from_domain(summary))
                for segment, summary in receivables.by_segment
            ],
        )
