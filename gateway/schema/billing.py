"""Invoices, deposit plans, payments, reminders and the documents billing holds."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import strawberry

from gateway.context import Info
from gateway.document_links import document_path, signed_document_url
from gateway.domain import billing as domain
from gateway.domain import qr_payment
from gateway.domain.access import Scope
from gateway.permissions import PUBLIC, Role, public_fields, requires
from gateway.requests.validation import masked_account
from gateway.schema.common import Money
from gateway.schema.node import Node, to_global_id
from gateway.schema.qr_payment import QrPayment
from gateway.schema.supply_points import SupplyPoint

InvoiceStatus = strawberry.enum(domain.InvoiceStatus)
PaymentDirection = strawberry.enum(
    domain.PaymentDirection, description="RECEIVED from the customer; SENT to it (a refund)."
)
PaymentMethod = strawberry.enum(domain.PaymentMethod)
DepositFrequency = strawberry.enum(domain.DepositFrequency)
PRAGUE = ZoneInfo("Europe/Prague")


@public_fields
@strawberry.type(
    description="A PDF the billing system holds. `url` works for a session that may see it; "
    "`signedUrl` works without one, for a few minutes."
)
class Document:
    document_id: strawberry.Private[str]
    url: str
    file_name: str
    content_type: str = "application/pdf"

    @strawberry.field(description="The same document without a session, until `signedUrlExpiresAt`.")
    def signed_url(self, info: Info) -> str:
        return self._signed(info)[0]

    @strawberry.field
    def signed_url_expires_at(self, info: Info) -> dt.datetime:
        return self._signed(info)[1]

    def _signed(self, info: Info) -> tuple[str, dt.datetime]:
        now = info.context.services.clock().replace(second=0, microsecond=0)  # stable within a minute
        key = info.context.settings.secret_key.get_secret_value().encode()
        return signed_document_url(
            to_global_id("Document", self.document_id), self.document_id, key=key, now=now
        )


def document_for(document_id: str | None, file_name: str) -> Document | None:
    if document_id is None:
        return None
    return Document(
        document_id=document_id,
        url=document_path(to_global_id("Document", document_id)),
        file_name=file_name,
    )


def _prague_today(info: Info) -> dt.date:
    return info.context.services.clock().astimezone(PRAGUE).date()


def _qr_payment(order: qr_payment.PaymentOrder | None) -> QrPayment | None:
    return QrPayment.from_domain(order) if order is not None else None


def _supply_point_id(raw_id: str | None) -> strawberry.ID | None:
    return to_global_id("SupplyPoint", raw_id) if raw_id else None


@strawberry.type
class Invoice(Node):
    customer_number: strawberry.Private[str]
    source: strawberry.Private[domain.Invoice]
    number: str = strawberry.field(metadata=PUBLIC)
    variable_symbol: str = strawberry.field(metadata=PUBLIC)
    issue_date: dt.date = strawberry.field(metadata=PUBLIC)
    due_date: dt.date = strawberry.field(metadata=PUBLIC)
    total: Money = strawberry.field(metadata=PUBLIC)
    amount_due: Money = strawberry.field(metadata=PUBLIC)
    status: InvoiceStatus = strawberry.field(metadata=PUBLIC)  # type: ignore[valid-type]
    document: Document | None = strawberry.field(metadata=PUBLIC)
    supply_point_id: strawberry.ID | None = strawberry.field(metadata=PUBLIC)

    @strawberry.field(
        metadata=PUBLIC,
        description="How to pay what is left of it (QR Platba); null once nothing is owed "
        "(paid, cancelled, or an overpayment).",
    )
    def qr_payment(self, info: Info) -> QrPayment | None:
        account = info.context.settings.payee_account
        return _qr_payment(
            qr_payment.invoice_payment(self.source, account=account, today=_prague_today(info))
        )

    @classmethod
    def from_domain(cls, invoice: domain.Invoice) -> Invoice:
        return cls(
            id=to_global_id("Invoice", invoice.id),
            customer_number=invoice.customer_number,
            source=invoice,
            number=invoice.number,
            variable_symbol=invoice.variable_symbol,
            issue_date=invoice.issue_date,
            due_date=invoice.due_date,
            total=Money.from_domain(invoice.total),
            amount_due=Money.from_domain(invoice.amount_due),
            status=invoice.status,
            document=document_for(invoice.document_id, f"faktura-{invoice.number}.pdf"),
            supply_point_id=_supply_point_id(invoice.supply_point_id),
        )


@strawberry.input(description="Every field is optional; all given ones must hold.")
class InvoiceFilter:
    status: list[InvoiceStatus] | None = None  # type: ignore[valid-type]
    amount_from: Decimal | None = strawberry.field(default=None, description="Total at least this.")
    amount_to: Decimal | None = strawberry.field(default=None, description="Total at most this.")
    due_from: dt.date | None = None
    due_to: dt.date | None = None
    supply_point_id: strawberry.ID | None = None


def customer_scoped_id(type_name: str, customer_number: str, raw_id: str) -> strawberry.ID:
    """Global IDs of objects billing lists only per customer: ``node`` finds them through
    the customer's list (after checking access to the customer)."""
    return to_global_id(type_name, f"{customer_number}:{raw_id}")


@public_fields
@strawberry.type(description="One advance payment of a deposit plan.")
class DepositItem:
    source: strawberry.Private[domain.DepositItem]
    payment_method: strawberry.Private[domain.PaymentMethod]
    due_date: dt.date
    amount: Money
    paid: bool
    variable_symbol: str

    @strawberry.field(
        description="How to pay this deposit (QR Platba); null once paid, or when the plan's "
        "payment method (direct debit, SIPO) collects it anyway."
    )
    def qr_payment(self, info: Info) -> QrPayment | None:
        order = qr_payment.deposit_payment(
            self.source,
            method=self.payment_method,
            account=info.context.settings.payee_account,
            today=_prague_today(info),
        )
        return _qr_payment(order)

    @classmethod
    def from_domain(cls, item: domain.DepositItem, method: domain.PaymentMethod) -> DepositItem:
        return cls(
            source=item,
            payment_method=method,
            due_date=item.due_date,
            amount=Money.from_domain(item.amount),
            paid=item.paid,
            variable_symbol=item.variable_symbol,
        )


@strawberry.type(description="The schedule of advance payments (platební kalendář) of one supply point.")
class DepositPlan(Node):
    customer_number: strawberry.Private[str]
    raw_supply_point_id: strawberry.Private[str]
    supply_point_id: strawberry.ID = strawberry.field(metadata=PUBLIC)
    frequency: DepositFrequency = strawberry.field(metadata=PUBLIC)  # type: ignore[valid-type]
    payment_method: PaymentMethod = strawberry.field(metadata=PUBLIC)  # type: ignore[valid-type]
    account: strawberry.Private[str | None]
    minimum_amount: Money = strawberry.field(
        metadata=PUBLIC, description="The least deposit billing accepts."
    )
    items: list[DepositItem] = strawberry.field(
        metadata=PUBLIC, description="Every deposit of the plan, by due date."
    )
    document: Document | None = strawberry.field(
        metadata=PUBLIC,
        description="The schedule as a PDF (platební kalendář): every deposit, and how to pay the next.",
    )

    @strawberry.field(
        metadata=PUBLIC,
        description="For direct debit and refunds, in billing's form: 19-2000145399/0800 to an owner "
        "(and staff); a delegate sees only the last four digits and the bank: ****5399/0800.",
    )
    def bank_account(self, info: Info) -> str | None:
        access = info.context.access(self.customer_number)
        if self.account is None or (access is not None and access.role in (Role.OWNER, Role.STAFF)):
            return self.account
        return masked_account(self.account)

    @strawberry.field(metadata=PUBLIC, description="The earliest unpaid deposit, if any.")
    def next_item(self) -> DepositItem | None:
        return next((item for item in self.items if not item.paid), None)

    @strawberry.field(permission_classes=[requires(Scope.VIEW_SUPPLY_POINTS)])
    async def supply_point(self, info: Info) -> SupplyPoint | None:
        point = await info.context.loaders.supply_point_by_id.load(self.raw_supply_point_id)
        return (
            SupplyPoint.from_domain(point)
            if point and point.customer_number == self.customer_number
            else None
        )

    @classmethod
    def from_domain(cls, plan: domain.DepositPlan) -> DepositPlan:
        return cls(
            id=customer_scoped_id("DepositPlan", plan.customer_number, plan.id),
            customer_number=plan.customer_number,
            raw_supply_point_id=plan.supply_point_id,
            supply_point_id=to_global_id("SupplyPoint", plan.supply_point_id),
            frequency=plan.frequency,
            payment_method=plan.payment_method,
            account=plan.bank_account,
            minimum_amount=Money.from_domain(plan.minimum_amount),
            items=[
                DepositItem.from_domain(item, plan.payment_method)
                for item in sorted(plan.items, key=lambda i: i.due_date)
            ],
            document=document_for(plan.document_id, f"platebni-kalendar-{plan.supply_point_id}.pdf"),
        )


async def _own_invoices(info: Info, customer_number: str, ids: tuple[str, ...]) -> list[Invoice]:
    found = await info.context.loaders.invoice_by_id.load_many(list(ids))
    return [
        Invoice.from_domain(invoice)
        for invoice in found
        if invoice is not None and invoice.customer_number == customer_number
    ]


@strawberry.type(description="Money received from the customer, or sent to it (a refund of an overpayment).")
class Payment(Node):
    customer_number: strawberry.Private[str]
    invoice_id: strawberry.Private[str | None]
    direction: PaymentDirection = strawberry.field(metadata=PUBLIC)  # type: ignore[valid-type]
    date: dt.date = strawberry.field(metadata=PUBLIC)
    amount: Money = strawberry.field(metadata=PUBLIC)
    variable_symbol: str = strawberry.field(metadata=PUBLIC)
    method: PaymentMethod = strawberry.field(metadata=PUBLIC)  # type: ignore[valid-type]

    @strawberry.field(metadata=PUBLIC, description="The invoice this payment settled, if any.")
    async def invoice(self, info: Info) -> Invoice | None:
        if self.invoice_id is None:
            return None
        found = await _own_invoices(info, self.customer_number, (self.invoice_id,))
        return found[0] if found else None

    @classmethod
    def from_domain(cls, payment: domain.Payment) -> Payment:
        return cls(
            id=customer_scoped_id("Payment", payment.customer_number, payment.id),
            customer_number=payment.customer_number,
            invoice_id=payment.invoice_id,
            direction=payment.direction,
            date=payment.date,
            amount=Money.from_domain(payment.amount),
            variable_symbol=payment.variable_symbol,
            method=payment.method,
        )


@strawberry.type(description="A dunning reminder (upomínka) about unpaid invoices.")
class Reminder(Node):
    customer_number: strawberry.Private[str]
    invoice_ids: strawberry.Private[tuple[str, ...]]
    document_id: strawberry.Private[str | None]
    level: int = strawberry.field(
        metadata=PUBLIC, description="1: a reminder; 2: a reminder with a contractual penalty."
    )
    issue_date: dt.date = strawberry.field(metadata=PUBLIC)
    amount: Money = strawberry.field(metadata=PUBLIC, description="What is owed.")
    fee: Money = strawberry.field(metadata=PUBLIC)
    new_due_date: dt.date | None = strawberry.field(
        metadata=PUBLIC, description="The new deadline the reminder sets for paying what is owed."
    )

    @strawberry.field(metadata=PUBLIC, description="The invoices the reminder concerns.")
    async def invoices(self, info: Info) -> list[Invoice]:
        return await _own_invoices(info, self.customer_number, self.invoice_ids)

    @strawberry.field(metadata=PUBLIC, description="The reminder's PDF.")
    async def document(self, info: Info) -> Document | None:
        if self.document_id is None:
            return None
        invoices = await _own_invoices(info, self.customer_number, self.invoice_ids[:1])
        name = f"upominka-{invoices[0].number}.pdf" if invoices else f"upominka-{self.document_id}.pdf"
        return document_for(self.document_id, name)

    @classmethod
    def from_domain(cls, reminder: domain.Reminder) -> Reminder:
        return cls(
            id=customer_scoped_id("Reminder", reminder.customer_number, reminder.id),
            customer_number=reminder.customer_number,
            invoice_ids=reminder.invoice_ids,
            document_id=reminder.document_id,
            level=reminder.level,
            issue_date=reminder.issue_date,
            amount=Money.from_domain(reminder.amount),
            fee=Money.from_domain(reminder.fee),
            new_due_date=reminder.new_due_date,
        )


@strawberry.input(description="Every field is optional; all given ones must hold.")
class PaymentFilter:
    direction: PaymentDirection | None = None  # type: ignore[valid-type]
    date_from: dt.date | None = None
    date_to: dt.date | None = None
