"""Invoices, deposit plans, payments, reminders and the documents billing holds."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import strawberry

from gateway.cache.policy import TTL_SECONDS, Kind
from gateway.context import Info
from gateway.document_links import document_path, signed_document_url
from gateway.domain import billing as domain
from gateway.domain.access import Scope
from gateway.permissions import PUBLIC, Role, public_fields, requires
from gateway.requests.validation import masked_account
from gateway.schema.common import Money, described_enum
from gateway.schema.node import Node, to_global_id
from gateway.schema.supply_points import SupplyPoint

InvoiceStatus = described_enum(
    domain.InvoiceStatus,
    description="Where an invoice stands, as of today.",
    values={
        "PAID": "Paid in full.",
        "UNPAID": "Not paid, not yet due.",
        "OVERDUE": "Not paid in full and past its due date.",
        "PARTIALLY_PAID": "Partly paid, not yet due; `amountDue` says what remains.",
        "CANCELLED": "Cancelled (replaced by a correction); nothing to pay.",
    },
)
PaymentDirection = described_enum(
    domain.PaymentDirection,
    description="RECEIVED from the customer; SENT to it (a refund).",
    values={
        "RECEIVED": "From the customer to the supplier.",
        "SENT": "From the supplier to the customer: a refund (přeplatek).",
    },
)
PaymentMethod = described_enum(
    domain.PaymentMethod,
    description="How the customer pays (deposits and invoices).",
    values={
        "BANK_TRANSFER": "The customer sends each payment from its bank (with the variable symbol).",
        "DIRECT_DEBIT": "Billing collects from the customer's account (inkaso); needs a bank account.",
        "SIPO": "Česká pošta's combined household payments (SIPO).",
        "POSTAL_ORDER": "A postal order (složenka) paid at the post office.",
    },
)
DepositFrequency = described_enum(
    domain.DepositFrequency,
    description="How often a deposit (advance payment) falls due.",
    values={
        "MONTHLY": "Every month.",
        "QUARTERLY": "Every three months.",
    },
)


@public_fields
@strawberry.type(
    description="A PDF the billing system holds. `url` works for a session that may see it; "
    "`signedUrl` works without one, for a few minutes."
)
class Document:
    document_id: strawberry.Private[str]
    url: str = strawberry.field(
        description=(
            "A path on the gateway (`/documents/{id}`) that streams the "
            "PDF to a session (cookie or bearer token) that may see it."
        )
    )
    file_name: str = strawberry.field(description="A file name to save it under.")
    content_type: str = strawberry.field(
        default="application/pdf", description="The file's media type: `application/pdf`."
    )

    @strawberry.field(description="The same document without a session, until `signedUrlExpiresAt`.")
    def signed_url(self, info: Info) -> str:
        return self._signed(info)[0]

    @strawberry.field(description="When `signedUrl` stops working, with its UTC offset.")
    def signed_url_expires_at(self, info: Info) -> dt.datetime:
        return self._signed(info)[1]

    def _signed(self, info: Info) -> tuple[str, dt.datetime]:
        now = info.context.services.clock().replace(second=0, microsecond=0)  # stable within a minute
        # A cached answer's link is still good for minutes (it is signed for five).
        info.context.reads.limit(TTL_SECONDS[Kind.BILLING])
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


def _supply_point_id(raw_id: str | None) -> strawberry.ID | None:
    return to_global_id("SupplyPoint", raw_id) if raw_id else None


@strawberry.type(
    description=(
        "An invoice (faktura) of the customer number: regular, final "
        "statement or a correction. Amounts in CZK incl. VAT."
    )
)
class Invoice(Node):
    customer_number: strawberry.Private[str]
    number: str = strawberry.field(description="The invoice number as printed.", metadata=PUBLIC)
    variable_symbol: str = strawberry.field(
        description="The variable symbol to pay it with (1-10 digits).", metadata=PUBLIC
    )
    issue_date: dt.date = strawberry.field(
        description="The day it was issued (Europe/Prague).", metadata=PUBLIC
    )
    due_date: dt.date = strawberry.field(
        description="The day it must be paid by (Europe/Prague).", metadata=PUBLIC
    )
    total: Money = strawberry.field(description="The invoice's total incl. VAT.", metadata=PUBLIC)
    amount_due: Money = strawberry.field(
        description="What is still to pay; 0 when PAID or CANCELLED.", metadata=PUBLIC
    )
    status: InvoiceStatus = strawberry.field(  # type: ignore[valid-type]
        description="Paid, unpaid, overdue, partially paid or cancelled, as of today.", metadata=PUBLIC
    )
    document: Document | None = strawberry.field(
        description="The invoice's PDF; null when billing holds none.", metadata=PUBLIC
    )
    supply_point_id: strawberry.ID | None = strawberry.field(
        description=(
            "The global ID of the supply point it bills; null for an invoice of the whole customer number."
        ),
        metadata=PUBLIC,
    )

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
            supply_point_id=_supply_point_id(invoice.supply_point_id),
        )


@strawberry.input(description="Every field is optional; all given ones must hold.")
class InvoiceFilter:
    status: list[InvoiceStatus] | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Any of these statuses; all when omitted."
    )
    amount_from: Decimal | None = strawberry.field(default=None, description="Total at least this.")
    amount_to: Decimal | None = strawberry.field(default=None, description="Total at most this.")
    due_from: dt.date | None = strawberry.field(default=None, description="Due on or after this day.")
    due_to: dt.date | None = strawberry.field(default=None, description="Due on or before this day.")
    supply_point_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only the invoices of this supply point (its global ID)."
    )


def customer_scoped_id(type_name: str, customer_number: str, raw_id: str) -> strawberry.ID:
    """Global IDs of objects billing lists only per customer: ``node`` finds them through
    the customer's list (after checking access to the customer)."""
    return to_global_id(type_name, f"{customer_number}:{raw_id}")


@public_fields
@strawberry.type(description="One advance payment of a deposit plan.")
class DepositItem:
    due_date: dt.date = strawberry.field(description="When it is due (Europe/Prague).")
    amount: Money = strawberry.field(description="The advance payment's amount (CZK).")
    paid: bool = strawberry.field(description="Whether billing has received it.")
    variable_symbol: str = strawberry.field(description="The variable symbol to pay it with.")

    @classmethod
    def from_domain(cls, item: domain.DepositItem) -> DepositItem:
        return cls(
            due_date=item.due_date,
            amount=Money.from_domain(item.amount),
            paid=item.paid,
            variable_symbol=item.variable_symbol,
        )


@strawberry.type(description="The schedule of advance payments (platební kalendář) of one supply point.")
class DepositPlan(Node):
    customer_number: strawberry.Private[str]
    raw_supply_point_id: strawberry.Private[str]
    supply_point_id: strawberry.ID = strawberry.field(
        description="The global ID of its supply point.", metadata=PUBLIC
    )
    frequency: DepositFrequency = strawberry.field(  # type: ignore[valid-type]
        description="How often a deposit falls due.", metadata=PUBLIC
    )
    payment_method: PaymentMethod = strawberry.field(  # type: ignore[valid-type]
        description="How the deposits are paid.", metadata=PUBLIC
    )
    account: strawberry.Private[str | None]
    minimum_amount: Money = strawberry.field(
        metadata=PUBLIC, description="The least deposit billing accepts."
    )
    items: list[DepositItem] = strawberry.field(
        metadata=PUBLIC, description="Every deposit of the plan, by due date."
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

    @strawberry.field(
        description=(
            "The supply point the plan belongs to. Needs "
            "VIEW_SUPPLY_POINTS; null without it or when it is gone."
        ),
        permission_classes=[requires(Scope.VIEW_SUPPLY_POINTS)],
    )
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
            items=[DepositItem.from_domain(item) for item in sorted(plan.items, key=lambda i: i.due_date)],
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
    direction: PaymentDirection = strawberry.field(  # type: ignore[valid-type]
        description="Received from the customer, or sent to it (a refund).", metadata=PUBLIC
    )
    date: dt.date = strawberry.field(description="The day it was booked (Europe/Prague).", metadata=PUBLIC)
    amount: Money = strawberry.field(
        description="The amount (CZK); `direction` says which way it went.", metadata=PUBLIC
    )
    variable_symbol: str = strawberry.field(
        description="The variable symbol it was paid with; pairs it with an invoice or deposit.",
        metadata=PUBLIC,
    )
    method: PaymentMethod = strawberry.field(description="How it was paid.", metadata=PUBLIC)  # type: ignore[valid-type]

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
    issue_date: dt.date = strawberry.field(
        description="The day it was issued (Europe/Prague).", metadata=PUBLIC
    )
    amount: Money = strawberry.field(metadata=PUBLIC, description="What is owed.")
    fee: Money = strawberry.field(description="The fee the reminder charges (CZK).", metadata=PUBLIC)

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
        )


@strawberry.input(description="Every field is optional; all given ones must hold.")
class PaymentFilter:
    direction: PaymentDirection | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Only payments received, or only refunds; both when omitted."
    )
    date_from: dt.date | None = strawberry.field(default=None, description="Booked on or after this day.")
    date_to: dt.date | None = strawberry.field(default=None, description="Booked on or before this day.")
