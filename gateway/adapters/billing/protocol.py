"""What the gateway needs from the billing system."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from gateway.domain.billing import (
    DepositPlan,
    Document,
    Invoice,
    InvoicePage,
    InvoiceQuery,
    Payment,
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

    async def ping(self) -> None:
        """Raise ``BackendError`` unless the back end answers."""
