"""What the gateway needs from the billing system."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Protocol

from gateway.domain.billing import (
    ConsumptionPeriod,
    DepositFrequency,
    DepositPlan,
    Document,
    Invoice,
    InvoiceDetail,
    InvoicePage,
    InvoiceQuery,
    MeterReading,
    OverdueInvoicePage,
    OverdueInvoiceQuery,
    Payment,
    PaymentMethod,
    Receivables,
    Reminder,
)


class BillingBackend(Protocol):
    async def invoice_pages(self, queries: Sequence[InvoiceQuery]) -> list[InvoicePage]:
        """One page per query, in order. An unknown customer gives an empty page."""

    async def invoices_by_id(self, ids: Sequence[str]) -> list[Invoice | None]: ...

    async def invoice_details(self, ids: Sequence[str]) -> list[InvoiceDetail | None]:
        """Per invoice id, in order: lines, consumption, VAT summary; ``None`` for an unknown id."""

    async def deposit_plans(self, customer_numbers: Sequence[str]) -> list[list[DepositPlan]]: ...

    async def payments(self, customer_numbers: Sequence[str]) -> list[list[Payment]]: ...

    async def reminders(self, customer_numbers: Sequence[str]) -> list[list[Reminder]]: ...

    async def documents(self, ids: Sequence[str]) -> list[Document | None]: ...

    async def meter_readings(self, supply_point_ids: Sequence[str]) -> list[list[MeterReading]]:
        """Per supply point, newest first: the readings over its invoices' span (none if unknown)."""

    async def consumption(self, supply_point_ids: Sequence[str]) -> list[list[ConsumptionPeriod]]:
        """Per supply point: its billing periods' and calendar months' use per register."""

    async def customers_by_variable_symbol(self, symbols: Sequence[str]) -> list[str | None]:
        """Per variable symbol, in order: the number of the customer whose invoice or deposit
        plan carries it; ``None`` when none does."""

    async def customers_by_invoice_number(self, numbers: Sequence[str]) -> list[str | None]:
        """Per invoice number, in order: its customer's number; ``None`` for an unknown number."""

    async def overdue_invoices(self, query: OverdueInvoiceQuery) -> OverdueInvoicePage:
        """A page of the overdue invoices of every customer, filtered and ordered by billing,
        with the whole selection's count and amount due."""

    async def receivables(self) -> Receivables:
        """What customers owe as of billing's today: per segment and overall, by invoice status
        and the overdue by aging bucket. Names no customer."""

    async def change_deposit_amount(self, *, plan_id: str, amount: Decimal) -> DepositPlan:
        """A write: the plan with its future deposits at ``amount``. ``BadUserInput`` outside
        the range billing allows, ``NotFound`` for an unknown plan. Never retried."""

    async def change_deposit_frequency(
        self, *, plan_id: str, frequency: DepositFrequency, amount: Decimal | None = None
    ) -> DepositPlan:
        """A write: the plan's deposits not yet due rescheduled at ``frequency``, each at
        ``amount`` (billing's range for that frequency) or, without it, keeping the yearly
        sum. ``BadUserInput`` outside the range, ``NotFound`` for an unknown plan. Never retried."""

    async def change_payment_method(
        self,
        *,
        plan_id: str,
        method: PaymentMethod,
        bank_account: str | None = None,
        sipo_number: str | None = None,
    ) -> DepositPlan:
        """A write, like ``change_deposit_amount``. Direct debit needs ``bank_account``; SIPO
        needs ``sipo_number`` (its spojovací číslo) unless the plan already pays by SIPO. An
        account given with another method is kept for refunds."""

    async def ping(self) -> None:
        """Raise ``BackendError`` unless the back end answers."""
