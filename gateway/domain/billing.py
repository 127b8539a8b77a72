"""Invoices and what the billing system knows about paying them."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from decimal import Decimal

from gateway.domain.money import Money


class InvoiceStatus(enum.Enum):
    PAID = "PAID"
    UNPAID = "UNPAID"
    OVERDUE = "OVERDUE"
    PARTIALLY_PAID = "PARTIALLY_PAID"
    CANCELLED = "CANCELLED"


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
    amount_due: Money
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
