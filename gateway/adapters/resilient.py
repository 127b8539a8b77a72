"""Adapters that send every call of an inner adapter through a back end's ``Policy``.

They implement the same Protocols as what they wrap, so they stack like httpx
transports: ``CachedBilling(ResilientBilling(SoapBilling(...), policy))``. Reads are
idempotent and may be retried; writes (creating, changing, cancelling a request,
marking messages read) are never retried. ``ping`` (readiness) asks the back end within its
timeout but never through the breaker (``Policy.probe``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from gateway.adapters.billing.protocol import BillingBackend
from gateway.adapters.crm.protocol import CrmBackend
from gateway.adapters.nomination.protocol import NominationBackend, NominationPeriod
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
from gateway.domain.contact import ContactDetailsChange
from gateway.domain.customer_search import CustomerSearch, CustomerSearchPage
from gateway.domain.customers import Customer
from gateway.domain.messages import Message
from gateway.domain.nomination import (
    DailyRefinement,
    Interval,
    MonthlyRefinement,
    NominationContract,
    Resolution,
    SubmissionReceipt,
    WeeklyNomination,
    WeekStatus,
)
from gateway.domain.requests import (
    CustomerRequest,
    NewRequest,
    RequestQueuePage,
    RequestQueueQuery,
    RequestUpdate,
)
from gateway.domain.supply_points import SupplyPoint
from gateway.resilience import Policy


class ResilientBilling:
    def __init__(self, inner: BillingBackend, policy: Policy) -> None:
        self.inner = inner
        self.policy = policy
        policy.watch(inner.ping)

    async def invoice_pages(self, queries: Sequence[InvoiceQuery]) -> list[InvoicePage]:
        return await self.policy.call(
            "invoice_pages", lambda: self.inner.invoice_pages(queries), idempotent=True
        )

    async def invoices_by_id(self, ids: Sequence[str]) -> list[Invoice | None]:
        return await self.policy.call(
            "invoices_by_id", lambda: self.inner.invoices_by_id(ids), idempotent=True
        )

    async def invoice_details(self, ids: Sequence[str]) -> list[InvoiceDetail | None]:
        return await self.policy.call(
            "invoice_details", lambda: self.inner.invoice_details(ids), idempotent=True
        )

    async def deposit_plans(self, customer_numbers: Sequence[str]) -> list[list[DepositPlan]]:
        return await self.policy.call(
            "deposit_plans", lambda: self.inner.deposit_plans(customer_numbers), idempotent=True
        )

    async def payments(self, customer_numbers: Sequence[str]) -> list[list[Payment]]:
        return await self.policy.call(
            "payments", lambda: self.inner.payments(customer_numbers), idempotent=True
        )

    async def reminders(self, customer_numbers: Sequence[str]) -> list[list[Reminder]]:
        return await self.policy.call(
            "reminders", lambda: self.inner.reminders(customer_numbers), idempotent=True
        )

    async def documents(self, ids: Sequence[str]) -> list[Document | None]:
        return await self.policy.call("documents", lambda: self.inner.documents(ids), idempotent=True)

    async def meter_readings(self, supply_point_ids: Sequence[str]) -> list[list[MeterReading]]:
        return await self.policy.call(
            "meter_readings", lambda: self.inner.meter_readings(supply_point_ids), idempotent=True
        )

    async def consumption(self, supply_point_ids: Sequence[str]) -> list[list[ConsumptionPeriod]]:
        return await self.policy.call(
            "consumption", lambda: self.inner.consumption(supply_point_ids), idempotent=True
        )

    async def customers_by_variable_symbol(self, symbols: Sequence[str]) -> list[str | None]:
        return await self.policy.call(
            "customers_by_variable_symbol",
            lambda: self.inner.customers_by_variable_symbol(symbols),
            idempotent=True,
        )

    async def customers_by_invoice_number(self, numbers: Sequence[str]) -> list[str | None]:
        return await self.policy.call(
            "customers_by_invoice_number",
            lambda: self.inner.customers_by_invoice_number(numbers),
            idempotent=True,
        )

    async def overdue_invoices(self, query: OverdueInvoiceQuery) -> OverdueInvoicePage:
        return await self.policy.call(
            "overdue_invoices", lambda: self.inner.overdue_invoices(query), idempotent=True
        )

    async def receivables(self) -> Receivables:
        return await self.policy.call("receivables", self.inner.receivables, idempotent=True)

    async def change_deposit_amount(self, *, plan_id: str, amount: Decimal) -> DepositPlan:
        return await self.policy.call(
            "change_deposit_amount",
            lambda: self.inner.change_deposit_amount(plan_id=plan_id, amount=amount),
            idempotent=False,
        )

    async def change_deposit_frequency(
        self, *, plan_id: str, frequency: DepositFrequency, amount: Decimal | None = None
    ) -> DepositPlan:
        return await self.policy.call(
            "change_deposit_frequency",
            lambda: self.inner.change_deposit_frequency(plan_id=plan_id, frequency=frequency, amount=amount),
            idempotent=False,
        )

    async def change_payment_method(
        self,
        *,
        plan_id: str,
        method: PaymentMethod,
        bank_account: str | None = None,
        sipo_number: str | None = None,
    ) -> DepositPlan:
        return await self.policy.call(
            "change_payment_method",
            lambda: self.inner.change_payment_method(
                plan_id=plan_id, method=method, bank_account=bank_account, sipo_number=sipo_number
            ),
            idempotent=False,
        )

    async def ping(self) -> None:
        await self.policy.probe(self.inner.ping)


class ResilientCrm:
    def __init__(self, inner: CrmBackend, policy: Policy) -> None:
        self.inner = inner
        self.policy = policy
        policy.watch(inner.ping)

    async def customers(self, numbers: Sequence[str]) -> list[Customer | None]:
        return await self.policy.call("customers", lambda: self.inner.customers(numbers), idempotent=True)

    async def search_customers(self, searches: Sequence[CustomerSearch]) -> list[CustomerSearchPage]:
        return await self.policy.call(
            "search_customers", lambda: self.inner.search_customers(searches), idempotent=True
        )

    async def supply_points_by_customer(self, numbers: Sequence[str]) -> list[list[SupplyPoint]]:
        return await self.policy.call(
            "supply_points_by_customer",
            lambda: self.inner.supply_points_by_customer(numbers),
            idempotent=True,
        )

    async def supply_points_by_id(self, ids: Sequence[str]) -> list[SupplyPoint | None]:
        return await self.policy.call(
            "supply_points_by_id", lambda: self.inner.supply_points_by_id(ids), idempotent=True
        )

    async def requests(self, customer_numbers: Sequence[str]) -> list[list[CustomerRequest]]:
        return await self.policy.call(
            "requests", lambda: self.inner.requests(customer_numbers), idempotent=True
        )

    async def requests_by_id(self, ids: Sequence[str]) -> list[CustomerRequest | None]:
        return await self.policy.call(
            "requests_by_id", lambda: self.inner.requests_by_id(ids), idempotent=True
        )

    async def request_queue(self, queries: Sequence[RequestQueueQuery]) -> list[RequestQueuePage]:
        return await self.policy.call(
            "request_queue", lambda: self.inner.request_queue(queries), idempotent=True
        )

    async def messages(self, customer_numbers: Sequence[str]) -> list[list[Message]]:
        return await self.policy.call(
            "messages", lambda: self.inner.messages(customer_numbers), idempotent=True
        )

    async def create_request(self, request: NewRequest) -> CustomerRequest:
        return await self.policy.call(
            "create_request", lambda: self.inner.create_request(request), idempotent=False
        )

    async def change_contact_details(self, customer_number: str, change: ContactDetailsChange) -> Customer:
        return await self.policy.call(
            "change_contact_details",
            lambda: self.inner.change_contact_details(customer_number, change),
            idempotent=False,
        )

    async def update_request(self, id: str, change: RequestUpdate) -> CustomerRequest:
        return await self.policy.call(
            "update_request", lambda: self.inner.update_request(id, change), idempotent=False
        )

    async def cancel_request(self, id: str) -> CustomerRequest:
        return await self.policy.call(
            "cancel_request", lambda: self.inner.cancel_request(id), idempotent=False
        )

    async def mark_messages_read(self, customer_number: str, ids: Sequence[str]) -> int:
        return await self.policy.call(
            "mark_messages_read",
            lambda: self.inner.mark_messages_read(customer_number, ids),
            idempotent=False,
        )

    async def ping(self) -> None:
        await self.policy.probe(self.inner.ping)


class ResilientNomination:
    def __init__(self, inner: NominationBackend, policy: Policy) -> None:
        self.inner = inner
        self.policy = policy
        policy.watch(inner.ping)

    async def contracts(self, customer_numbers: Sequence[str]) -> list[NominationContract | None]:
        return await self.policy.call(
            "contracts", lambda: self.inner.contracts(customer_numbers), idempotent=True
        )

    async def weeks(self, periods: Sequence[NominationPeriod]) -> list[WeeklyNomination | None]:
        return await self.policy.call("weeks", lambda: self.inner.weeks(periods), idempotent=True)

    async def days(self, periods: Sequence[NominationPeriod]) -> list[DailyRefinement | None]:
        return await self.policy.call("days", lambda: self.inner.days(periods), idempotent=True)

    async def months(self, periods: Sequence[NominationPeriod]) -> list[MonthlyRefinement | None]:
        return await self.policy.call("months", lambda: self.inner.months(periods), idempotent=True)

    async def week_statuses(self, week_starts: Sequence[dt.date]) -> list[WeekStatus]:
        return await self.policy.call(
            "week_statuses", lambda: self.inner.week_statuses(week_starts), idempotent=True
        )

    async def submit_week(
        self,
        *,
        customer_number: str,
        week_start: dt.date,
        resolution: Resolution,
        intervals: Sequence[Interval],
    ) -> SubmissionReceipt:
        return await self.policy.call(
            "submit_week",
            lambda: self.inner.submit_week(
                customer_number=customer_number,
                week_start=week_start,
                resolution=resolution,
                intervals=intervals,
            ),
            idempotent=False,
        )

    async def submit_day(
        self, *, customer_number: str, day: dt.date, resolution: Resolution, intervals: Sequence[Interval]
    ) -> SubmissionReceipt:
        return await self.policy.call(
            "submit_day",
            lambda: self.inner.submit_day(
                customer_number=customer_number, day=day, resolution=resolution, intervals=intervals
            ),
            idempotent=False,
        )

    async def submit_month(
        self, *, customer_number: str, month: dt.date, refined_mwh: Decimal
    ) -> SubmissionReceipt:
        return await self.policy.call(
            "submit_month",
            lambda: self.inner.submit_month(
                customer_number=customer_number, month=month, refined_mwh=refined_mwh
            ),
            idempotent=False,
        )

    async def ping(self) -> None:
        await self.policy.probe(self.inner.ping)
