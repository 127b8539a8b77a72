"""What the gateway needs from the billing system."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Protocol

from gateway.domain.billing import (
    DepositFrequency,
    DepositPlan,
    Document,
    Invoice,
    InvoicePage,
    InvoiceQuery,
    Payment,
    PaymentMethod,
    Reminder,
)


class BillingBackend(Protocol):
    async def invoice_pages(self, queries: Sequence[InvoiceQuery]) -> list[InvoicePage]:
        """One page per query, in order. An unknown customer gives an empty page."""

    async def invoices_by_id(self, ids: Sequence[str]) -> list[Invoice | None]: ...

    async def deposit_plans(self, customer_numbers: Sequence[str]) -> list[list[DepositPlan]]: ...

    async def payments(self, customer_numbers: Sequence[str]) -> list[list[Payment]]: ...

    async def reminders(self, customer_numbers: Sequence[str]) -> list[list[Reminder]]: ...

    async def documents(self, ids: Sequence[str]) -> list[Document | None]: ...

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
        self, *, plan_id: str, method: PaymentMethod, bank_account: str | None = None
    ) -> DepositPlan:
        """A write, like ``change_deposit_amount``."""

    async def ping(self) -> None:
        """Raise ``BackendError`` unless the back end answers."""
