"""Invoices, and (with the read side) deposits, payments and reminders."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import strawberry

from gateway.domain import billing as domain
from gateway.schema.common import Money, PageInfo
from gateway.schema.node import Node, to_global_id

InvoiceStatus = strawberry.enum(domain.InvoiceStatus)


@strawberry.type(description="A PDF the billing system holds, fetched from `url` by an authorised session.")
class Document:
    url: str
    file_name: str


def document_for(document_id: str | None, file_name: str) -> Document | None:
    if document_id is None:
        return None
    return Document(url=f"/documents/{to_global_id('Document', document_id)}", file_name=file_name)


@strawberry.type
class Invoice(Node):
    customer_number: strawberry.Private[str]
    number: str
    variable_symbol: str
    issue_date: dt.date
    due_date: dt.date
    total: Money
    amount_due: Money
    status: InvoiceStatus  # type: ignore[valid-type]
    document: Document | None
    supply_point_id: strawberry.ID | None

    @classmethod
    def from_domain(cls, invoice: domain.Invoice) -> Invoice:
        return cls(
            id=to_global_id("Invoice", invoice.id),
            customer_number=invoice.customer_number,
            number=invoice.number,
            variable_symbol=invoice.variable_symbol,
            issue_date=invoice.issue_date,
            due_date=invoice.due_date,
            total=Money.from_domain(invoice.total),
            amount_due=Money.from_domain(invoice.amount_due),
            status=invoice.status,
            document=document_for(invoice.document_id, f"faktura-{invoice.number}.pdf"),
            supply_point_id=to_global_id("SupplyPoint", invoice.supply_point_id)
            if invoice.supply_point_id
            else None,
        )


@strawberry.input(description="Every field is optional; all given ones must hold.")
class InvoiceFilter:
    status: list[InvoiceStatus] | None = None  # type: ignore[valid-type]
    amount_from: Decimal | None = strawberry.field(default=None, description="Total at least this.")
    amount_to: Decimal | None = strawberry.field(default=None, description="Total at most this.")
    due_from: dt.date | None = None
    due_to: dt.date | None = None
    supply_point_id: strawberry.ID | None = None


@strawberry.type
class InvoiceEdge:
    cursor: str
    node: Invoice


@strawberry.type
class InvoiceConnection:
    edges: list[InvoiceEdge]
    page_info: PageInfo
    total_count: int
