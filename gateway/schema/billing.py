"""Invoices, deposit plans, payments, reminders and the documents billing holds."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import strawberry

from gateway.cache.policy import TTL_SECONDS, Kind
from gateway.context import Info
from gateway.document_links import document_path, signed_document_url
from gateway.domain import billing as domain
from gateway.domain import qr_payment
from gateway.domain.access import Scope
from gateway.permissions import PUBLIC, Role, public_fields, requires
from gateway.requests.validation import masked_account
from gateway.schema.common import Money, described_enum
from gateway.schema.node import Node, to_global_id
from gateway.schema.qr_payment import QrPayment
from gateway.schema.supply_points import MeterUnit, RegisterKind, SupplyPoint

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
InvoiceKind = described_enum(
    domain.InvoiceKind,
    description="What kind of invoice (daňový doklad) this is.",
    values={
        "REGULAR": "Řádná faktura: a period's supply billed after it, with no deposits.",
        "SETTLEMENT": "Vyúčtování: a billing period's supply less the deposits paid; ends in an amount "
        "due or an overpayment.",
        "CORRECTIVE": "Opravný daňový doklad: corrects an earlier invoice.",
        "DEPOSIT_SCHEDULE": "Platební kalendář: the schedule of deposits until the next settlement.",
    },
)
InvoiceLineKind = described_enum(
    domain.InvoiceLineKind,
    description="What an invoice line bills.",
    values={
        "ENERGY": "The energy itself (silová elektřina, plyn), per kWh.",
        "DISTRIBUTION": "Distribution (distribuce), per kWh.",
        "SYSTEM_SERVICES": "System services and the market operator's fee, per kWh.",
        "FEES": "Fixed monthly charges (the breaker's or reserved capacity's fee, the supplier's fee).",
        "DEPOSITS": "Deposits paid, deducted on a settlement: negative, outside VAT.",
    },
)
PRAGUE = ZoneInfo("Europe/Prague")


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


def _prague_today(info: Info) -> dt.date:
    return info.context.services.clock().astimezone(PRAGUE).date()


def _qr_payment(order: qr_payment.PaymentOrder | None) -> QrPayment | None:
    return QrPayment.from_domain(order) if order is not None else None


def _supply_point_id(raw_id: str | None) -> strawberry.ID | None:
    return to_global_id("SupplyPoint", raw_id) if raw_id else None


@public_fields
@strawberry.type(description="A stretch of days, both inclusive.")
class DateRange:
    start: dt.date = strawberry.field(description="The first day.")
    end: dt.date = strawberry.field(description="The last day (inclusive).")


@public_fields
@strawberry.type(description="One meter register's use over the invoice's billing period.")
class RegisterConsumption:
    register: RegisterKind = strawberry.field(description="VT, NT or the single register.")  # type: ignore[valid-type]
    start_reading: int = strawberry.field(description="The meter's state at the period's start, in `unit`.")
    end_reading: int = strawberry.field(description="The meter's state at the period's end, in `unit`.")
    quantity: int = strawberry.field(description="`endReading - startReading`, in `unit` (gas: m³).")
    unit: MeterUnit = strawberry.field(description="What the meter counts.")  # type: ignore[valid-type]
    kwh: int = strawberry.field(description="The use in kWh: for gas, `quantity` x `combustionHeat`.")
    combustion_heat: Decimal | None = strawberry.field(
        description="Gas only: the distributor's combustion heat (spalné teplo) applied, in kWh/m³."
    )

    @classmethod
    def from_domain(cls, use: domain.RegisterConsumption) -> RegisterConsumption:
        return cls(
            register=use.register,
            start_reading=use.start_reading,
            end_reading=use.end_reading,
            quantity=use.quantity,
            unit=use.unit,
            kwh=use.kwh,
            combustion_heat=use.combustion_heat,
        )


@public_fields
@strawberry.type(description="One line of the invoice, as printed.")
class InvoiceLine:
    kind: InvoiceLineKind = strawberry.field(description="What the line bills.")  # type: ignore[valid-type]
    description: str = strawberry.field(description="The line's text in Czech, e.g. `Silová elektřina VT`.")
    register: RegisterKind | None = strawberry.field(  # type: ignore[valid-type]
        description="The register a per-kWh line bills; null for fees and deposits."
    )
    quantity: Decimal = strawberry.field(description="How many `unit`s.")
    unit: str = strawberry.field(description="`kWh`, `měs` (months) or `ks` (pieces, e.g. deposits).")
    unit_price: Money | None = strawberry.field(
        description="Price per unit without VAT (may have more than two decimals); null for deposits."
    )
    net: Money = strawberry.field(
        description="The line's amount without VAT; negative for deposits deducted."
    )
    vat_rate: int | None = strawberry.field(
        description="VAT rate in percent; null for deposits deducted (outside VAT)."
    )

    @classmethod
    def from_domain(cls, line: domain.InvoiceLine) -> InvoiceLine:
        return cls(
            kind=line.kind,
            description=line.description,
            register=line.register,
            quantity=line.quantity,
            unit=line.unit,
            unit_price=Money.from_domain(line.unit_price) if line.unit_price is not None else None,
            net=Money.from_domain(line.net),
            vat_rate=line.vat_rate,
        )


@public_fields
@strawberry.type(description="The tax at one VAT rate (rekapitulace DPH): VAT = base x rate, to the heller.")
class VatSummaryLine:
    rate: int = strawberry.field(description="VAT rate in percent.")
    base: Money = strawberry.field(description="The sum of the lines' net amounts at this rate.")
    vat: Money = strawberry.field(description="The VAT: `base` x `rate` / 100, rounded half up to 0.01.")
    total: Money = strawberry.field(description="`base` + `vat`.")

    @classmethod
    def from_domain(cls, line: domain.VatSummaryLine) -> VatSummaryLine:
        return cls(
            rate=line.rate,
            base=Money.from_domain(line.base),
            vat=Money.from_domain(line.vat),
            total=Money.from_domain(line.total),
        )


def _zero_or(amount: Decimal, currency: str) -> Money:
    return Money(amount=max(amount, Decimal("0.00")), currency=currency)


@strawberry.type(
    description=(
        "An invoice (faktura) of the customer number: regular, settlement, a correction or a "
        "deposit schedule. Amounts in CZK incl. VAT unless a field says otherwise."
    )
)
class Invoice(Node):
    customer_number: strawberry.Private[str]
    source: strawberry.Private[domain.Invoice]
    raw_id: strawberry.Private[str]
    raw_supply_point_id: strawberry.Private[str | None]
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
    total: Money = strawberry.field(metadata=PUBLIC, description="The invoiced total with VAT.")
    amount_due: Money = strawberry.field(
        metadata=PUBLIC, description="What is still to pay today (zero once paid, or on an overpayment)."
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

    # The detail below is billing's GetInvoiceDetail: asked only when a query selects one of
    # these fields, once per request for all the invoices shown (a DataLoader).

    async def _detail(self, info: Info) -> domain.InvoiceDetail | None:
        detail = await info.context.loaders.invoice_detail_by_id.load(self.raw_id)
        return detail if detail is not None and detail.customer_number == self.customer_number else None

    @strawberry.field(metadata=PUBLIC, description="Regular, settlement, corrective or deposit schedule.")
    async def kind(self, info: Info) -> InvoiceKind | None:  # type: ignore[valid-type]
        detail = await self._detail(info)
        return detail.kind if detail else None

    @strawberry.field(
        metadata=PUBLIC, description="The supply the invoice bills: from the opening to the closing reading."
    )
    async def billing_period(self, info: Info) -> DateRange | None:
        detail = await self._detail(info)
        return DateRange(start=detail.period_from, end=detail.period_to) if detail else None

    @strawberry.field(
        metadata=PUBLIC, description="DUZP: the date of the taxable supply (the billing period's last day)."
    )
    async def taxable_supply_date(self, info: Info) -> dt.date | None:
        detail = await self._detail(info)
        return detail.taxable_supply_date if detail else None

    @strawberry.field(metadata=PUBLIC, description="The total without VAT.")
    async def net_amount(self, info: Info) -> Money | None:
        detail = await self._detail(info)
        return Money.from_domain(detail.net) if detail else None

    @strawberry.field(metadata=PUBLIC, description="The VAT of all rates.")
    async def vat_amount(self, info: Info) -> Money | None:
        detail = await self._detail(info)
        return Money.from_domain(detail.vat) if detail else None

    @strawberry.field(
        metadata=PUBLIC, description="Use per register over the billing period (gas in m³ and kWh)."
    )
    async def consumption(self, info: Info) -> list[RegisterConsumption]:
        detail = await self._detail(info)
        return [RegisterConsumption.from_domain(use) for use in detail.consumption] if detail else []

    @strawberry.field(
        metadata=PUBLIC,
        description="Energy, distribution, system services, fees and, on settlements, the deposits deducted.",
    )
    async def lines(self, info: Info) -> list[InvoiceLine]:
        detail = await self._detail(info)
        return [InvoiceLine.from_domain(line) for line in detail.lines] if detail else []

    @strawberry.field(metadata=PUBLIC, description="The tax per VAT rate.")
    async def vat_summary(self, info: Info) -> list[VatSummaryLine]:
        detail = await self._detail(info)
        return [VatSummaryLine.from_domain(line) for line in detail.vat_summary] if detail else []

    @strawberry.field(
        metadata=PUBLIC,
        description="Deposits paid over the billing period, deducted from `total` "
        "(zero on a regular invoice).",
    )
    async def deposits_deducted(self, info: Info) -> Money | None:
        detail = await self._detail(info)
        return Money.from_domain(detail.deposits_deducted) if detail else None

    @strawberry.field(
        metadata=PUBLIC,
        description="The amount due (nedoplatek): `total` - `depositsDeducted` when positive, else zero.",
    )
    async def balance_due(self, info: Info) -> Money | None:
        detail = await self._detail(info)
        return _zero_or(detail.balance.amount, detail.balance.currency) if detail else None

    @strawberry.field(
        metadata=PUBLIC,
        description="The overpayment (přeplatek) refunded to the customer: `depositsDeducted` - `total` "
        "when positive, else zero.",
    )
    async def overpayment(self, info: Info) -> Money | None:
        detail = await self._detail(info)
        return _zero_or(-detail.balance.amount, detail.balance.currency) if detail else None

    @strawberry.field(
        metadata=PUBLIC,
        description="When the amount due was paid in full; null while unpaid or with nothing to pay.",
    )
    async def paid_date(self, info: Info) -> dt.date | None:
        detail = await self._detail(info)
        return detail.paid_on if detail else None

    @strawberry.field(
        permission_classes=[requires(Scope.VIEW_SUPPLY_POINTS)], description="The supply point billed."
    )
    async def supply_point(self, info: Info) -> SupplyPoint | None:
        if self.raw_supply_point_id is None:
            return None
        point = await info.context.loaders.supply_point_by_id.load(self.raw_supply_point_id)
        return (
            SupplyPoint.from_domain(point)
            if point and point.customer_number == self.customer_number
            else None
        )

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
            raw_id=invoice.id,
            raw_supply_point_id=invoice.supply_point_id,
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
    source: strawberry.Private[domain.DepositItem]
    payment_method: strawberry.Private[domain.PaymentMethod]
    due_date: dt.date = strawberry.field(description="When it is due (Europe/Prague).")
    amount: Money = strawberry.field(description="The advance payment's amount (CZK).")
    paid: bool = strawberry.field(description="Whether billing has received it.")
    variable_symbol: str = strawberry.field(description="The variable symbol to pay it with.")

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
        metadata=PUBLIC,
        description="The deposits of the current billing period, by due date, through the next settlement.",
    )
    sipo_number: str | None = strawberry.field(
        metadata=PUBLIC,
        description="SIPO's connection number (spojovací číslo, 10 digits); null for other methods.",
    )
    next_settlement_date: dt.date | None = strawberry.field(
        metadata=PUBLIC, description="When the settlement (vyúčtování) the schedule runs to is issued."
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
            items=[
                DepositItem.from_domain(item, plan.payment_method)
                for item in sorted(plan.items, key=lambda i: i.due_date)
            ],
            document=document_for(plan.document_id, f"platebni-kalendar-{plan.supply_point_id}.pdf"),
            sipo_number=plan.sipo_number,
            next_settlement_date=plan.next_settlement,
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
    direction: PaymentDirection | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Only payments received, or only refunds; both when omitted."
    )
    date_from: dt.date | None = strawberry.field(default=None, description="Booked on or after this day.")
    date_to: dt.date | None = strawberry.field(default=None, description="Booked on or before this day.")
