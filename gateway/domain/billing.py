"""Invoices and what the billing system knows about paying them."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from decimal import Decimal

from gateway.domain.customers import Segment
from gateway.domain.money import Money
from gateway.domain.supply_points import MeterUnit, RegisterKind

__all__ = ["MeterUnit"]  # re-exported: a reading's or a consumption's unit


class InvoiceStatus(enum.Enum):
    PAID = "PAID"
    UNPAID = "UNPAID"
    OVERDUE = "OVERDUE"
    PARTIALLY_PAID = "PARTIALLY_PAID"
    CANCELLED = "CANCELLED"


class InvoiceKind(enum.Enum):
    REGULAR = "REGULAR"  # řádná faktura: a period's supply, billed after it
    SETTLEMENT = "SETTLEMENT"  # vyúčtování: a billing period's supply less the deposits paid
    CORRECTIVE = "CORRECTIVE"  # opravný daňový doklad
    DEPOSIT_SCHEDULE = "DEPOSIT_SCHEDULE"  # platební kalendář


class InvoiceLineKind(enum.Enum):
    ENERGY = "ENERGY"  # silová elektřina, plyn
    DISTRIBUTION = "DISTRIBUTION"
    SYSTEM_SERVICES = "SYSTEM_SERVICES"  # systémové služby, služby operátora trhu
    FEES = "FEES"  # fixed monthly charges
    DEPOSITS = "DEPOSITS"  # deposits paid, deducted on a settlement


@dataclass(frozen=True, slots=True)
class RegisterConsumption:
    """One register's use over the invoice's period: meter states, quantity in the meter's unit,
    and kWh (gas: quantity in m³ times the combustion heat)."""

    register: RegisterKind
    start_reading: int
    end_reading: int
    quantity: int
    unit: MeterUnit
    kwh: int
    combustion_heat: Decimal | None  # gas: kWh per m³


@dataclass(frozen=True, slots=True)
class InvoiceLine:
    kind: InvoiceLineKind
    description: str  # as printed on the invoice, in Czech
    register: RegisterKind | None
    quantity: Decimal
    unit: str  # "kWh", "měs" (months), "ks" (pieces)
    unit_price: Money | None  # without VAT
    net: Money  # without VAT; negative for deposits deducted
    vat_rate: int | None  # percent; None outside VAT (deposits deducted)


@dataclass(frozen=True, slots=True)
class VatSummaryLine:
    """The tax at one rate: VAT = base x rate, rounded half up to hellers (haléře)."""

    rate: int
    base: Money
    vat: Money
    total: Money


@dataclass(frozen=True, slots=True)
class InvoiceDetail:
    """What the invoice says beyond its header: billing sends it on request, per invoice id."""

    invoice_id: str
    customer_number: str
    kind: InvoiceKind
    period_from: dt.date
    period_to: dt.date
    taxable_supply_date: dt.date  # DUZP
    net: Money
    vat: Money
    deposits_deducted: Money
    balance: Money  # total - deposits: positive amount due (nedoplatek), negative overpayment (přeplatek)
    paid_on: dt.date | None
    consumption: tuple[RegisterConsumption, ...]
    lines: tuple[InvoiceLine, ...]
    vat_summary: tuple[VatSummaryLine, ...]


@dataclass(frozen=True, slots=True)
class Invoice:
    id: str  # the billing system's document id
    customer_number: str
    number: str
    variable_symbol: str
    supply_point_id: str | None
    issue_date: dt.date
    due_date: dt.date
    total: Money
    amount_due: Money  # still to pay today
    status: InvoiceStatus
    document_id: str | None  # the PDF, when billing holds one


@dataclass(frozen=True, slots=True)
class InvoiceQuery:
    """A page of one customer's invoices, newest first, with optional filters.

    Every filter is optional; an empty tuple of statuses means any status.
    """

    customer_number: str
    offset: int = 0
    limit: int = 20
    statuses: tuple[InvoiceStatus, ...] = ()
    amount_from: Decimal | None = None
    amount_to: Decimal | None = None
    due_from: dt.date | None = None
    due_to: dt.date | None = None
    supply_point_id: str | None = None


@dataclass(frozen=True, slots=True)
class InvoicePage:
    invoices: tuple[Invoice, ...]
    total_count: int


class PaymentDirection(enum.Enum):
    RECEIVED = "RECEIVED"  # from the customer
    SENT = "SENT"  # to the customer: a refund of an overpayment


class PaymentMethod(enum.Enum):
    BANK_TRANSFER = "BANK_TRANSFER"
    DIRECT_DEBIT = "DIRECT_DEBIT"  # inkaso
    SIPO = "SIPO"  # Česká pošta's collection scheme
    POSTAL_ORDER = "POSTAL_ORDER"  # složenka


class DepositFrequency(enum.Enum):
    MONTHLY = "MONTHLY"
    QUARTERLY = "QUARTERLY"


@dataclass(frozen=True, slots=True)
class DepositItem:
    due_date: dt.date
    amount: Money
    paid: bool
    variable_symbol: str


@dataclass(frozen=True, slots=True)
class DepositPlan:
    id: str
    customer_number: str
    supply_point_id: str
    frequency: DepositFrequency
    payment_method: PaymentMethod
    bank_account: str | None  # "19-2000145399/0800" for direct debit and refunds
    minimum_amount: Money  # the least deposit billing accepts for this supply point
    items: tuple[DepositItem, ...]
    sipo_number: str | None = None  # SIPO's spojovací číslo (10 digits)
    next_settlement: dt.date | None = None  # the settlement the schedule runs to
    document_id: str | None = None  # the schedule's PDF (platební kalendář)


@dataclass(frozen=True, slots=True)
class Payment:
    id: str
    customer_number: str
    direction: PaymentDirection
    date: dt.date
    amount: Money
    variable_symbol: str
    method: PaymentMethod
    invoice_id: str | None


@dataclass(frozen=True, slots=True)
class Reminder:
    id: str
    customer_number: str
    level: int  # 1 = first reminder, 2 = with contractual penalty
    issue_date: dt.date
    amount: Money  # what is owed
    fee: Money
    invoice_ids: tuple[str, ...]
    document_id: str | None
    new_due_date: dt.date | None = None  # the new deadline the reminder sets


@dataclass(frozen=True, slots=True)
class Document:
    """A PDF the billing system holds."""

    id: str
    customer_number: str
    file_name: str
    content: bytes
    media_type: str = "application/pdf"


class ReadingType(enum.Enum):
    ACTUAL = "ACTUAL"  # the distributor's reading
    SELF_READING = "SELF_READING"  # the customer's samoodečet
    ESTIMATED = "ESTIMATED"  # no reading taken: estimated from the previous use


@dataclass(frozen=True, slots=True)
class MeterReading:
    supply_point_id: str
    date: dt.date
    register: RegisterKind
    value: int  # the register's state, whole units
    unit: MeterUnit
    type: ReadingType


class ConsumptionGranularity(enum.Enum):
    MONTH = "MONTH"
    BILLING_PERIOD = "BILLING_PERIOD"


@dataclass(frozen=True, slots=True)
class ConsumptionPeriod:
    """One register's use over a calendar month or a billing period."""

    supply_point_id: str
    granularity: ConsumptionGranularity
    period_from: dt.date
    period_to: dt.date  # inclusive
    register: RegisterKind
    quantity: int
    unit: MeterUnit
    kwh: int
    estimated: bool  # split from a longer period by the load profile


# -- receivables across customers (finance worklists) ---------------------------------------


class OverdueOrder(enum.Enum):
    DAYS_OVERDUE_DESC = "DAYS_OVERDUE_DESC"
    DAYS_OVERDUE_ASC = "DAYS_OVERDUE_ASC"
    AMOUNT_DESC = "AMOUNT_DESC"
    AMOUNT_ASC = "AMOUNT_ASC"


@dataclass(frozen=True, slots=True)
class OverdueInvoiceQuery:
    """A page of the overdue invoices of every customer; bounds inclusive, every filter optional."""

    offset: int = 0
    limit: int = 20
    min_days_overdue: int | None = None
    max_days_overdue: int | None = None
    segment: Segment | None = None
    min_amount_due: Decimal | None = None
    order: OverdueOrder = OverdueOrder.DAYS_OVERDUE_DESC


@dataclass(frozen=True, slots=True)
class OverdueInvoice:
    invoice_id: str
    invoice_number: str
    customer_number: str
    customer_name: str
    segment: Segment
    due_date: dt.date
    days_overdue: int
    amount_due: Money


@dataclass(frozen=True, slots=True)
class OverdueInvoicePage:
    items: tuple[OverdueInvoice, ...]
    total_count: int  # the whole selection's
    total_amount_due: Money  # the whole selection's
    as_of: dt.date  # the back end's day the days overdue are reckoned on


class AgingBucket(enum.Enum):
    DAYS_1_30 = "DAYS_1_30"
    DAYS_31_60 = "DAYS_31_60"
    DAYS_61_90 = "DAYS_61_90"
    DAYS_OVER_90 = "DAYS_OVER_90"


@dataclass(frozen=True, slots=True)
class StatusTotal:
    status: InvoiceStatus
    count: int
    total: Money  # invoiced
    amount_due: Money  # still to pay


@dataclass(frozen=True, slots=True)
class AgingTotal:
    bucket: AgingBucket
    count: int
    amount_due: Money


@dataclass(frozen=True, slots=True)
class ReceivablesSummary:
    outstanding: Money  # still to pay on every invoice
    overdue: Money
    overdue_count: int
    by_status: tuple[StatusTotal, ...]
    aging: tuple[AgingTotal, ...]


@dataclass(frozen=True, slots=True)
class Receivables:
    as_of: dt.date
    total: ReceivablesSummary
    by_segment: tuple[tuple[Segment, ReceivablesSummary], ...]
