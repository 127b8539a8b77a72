"""Per-request DataLoaders: every edge of the graph goes through one, so no N+1.

Built fresh for each request (their memo lives for one request); keys are the
adapters' batch keys, so one tick's loads become one batched back-end call. Each loader
records in the request's ``Reads`` the kind of data it reads (the response cache keeps an
answer no longer than the shortest TTL among them) or that it reads live (nomination: not
cached across requests, so neither is an answer holding it).
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Sequence
from functools import cached_property

from strawberry.dataloader import DataLoader

from gateway.adapters.nomination.protocol import NominationPeriod
from gateway.cache.policy import Kind
from gateway.cache.responses import Reads
from gateway.domain.billing import (
    ConsumptionPeriod,
    DepositPlan,
    Invoice,
    InvoiceDetail,
    InvoicePage,
    InvoiceQuery,
    MeterReading,
    OverdueInvoicePage,
    OverdueInvoiceQuery,
    Payment,
    Receivables,
    Reminder,
)
from gateway.domain.customer_search import CustomerSearch, CustomerSearchPage
from gateway.domain.customers import Customer
from gateway.domain.messages import Message
from gateway.domain.nomination import (
    DailyRefinement,
    MonthlyRefinement,
    NominationContract,
    WeeklyNomination,
    WeekStatus,
)
from gateway.domain.requests import CustomerRequest, RequestQueuePage, RequestQueueQuery
from gateway.domain.supply_points import SupplyPoint
from gateway.services import Backends


class Loaders:
    """One request's loaders, each made on first use: a request touches few of them, and
    making a DataLoader costs tens of microseconds."""

    def __init__(self, backends: Backends, reads: Reads | None = None) -> None:
        self._backends = backends
        self.reads = reads if reads is not None else Reads()

    @classmethod
    def for_request(cls, backends: Backends, reads: Reads | None = None) -> Loaders:
        return cls(backends, reads)

    def _reading(self, kind: Kind | None) -> None:
        if kind is None:
            self.reads.live = True
        else:
            self.reads.kinds.add(kind)

    @cached_property
    def customer_by_number(self) -> DataLoader[str, Customer | None]:
        self._reading(Kind.MASTER)
        return DataLoader(load_fn=self._backends.crm.customers)

    @cached_property
    def supply_points_by_customer(self) -> DataLoader[str, list[SupplyPoint]]:
        self._reading(Kind.TECHNICAL)
        return DataLoader(load_fn=self._backends.crm.supply_points_by_customer)

    @cached_property
    def supply_point_by_id(self) -> DataLoader[str, SupplyPoint | None]:
        self._reading(Kind.TECHNICAL)
        return DataLoader(load_fn=self._backends.crm.supply_points_by_id)

    @cached_property
    def invoice_page_by_query(self) -> DataLoader[InvoiceQuery, InvoicePage]:
        self._reading(Kind.BILLING)
        return DataLoader(load_fn=self._backends.billing.invoice_pages)

    @cached_property
    def invoice_by_id(self) -> DataLoader[str, Invoice | None]:
        self._reading(Kind.BILLING)
        return DataLoader(load_fn=self._backends.billing.invoices_by_id)

    @cached_property
    def deposit_plans_by_customer(self) -> DataLoader[str, list[DepositPlan]]:
        self._reading(Kind.BILLING)
        return DataLoader(load_fn=self._backends.billing.deposit_plans)

    @cached_property
    def payments_by_customer(self) -> DataLoader[str, list[Payment]]:
        self._reading(Kind.BILLING)
        return DataLoader(load_fn=self._backends.billing.payments)

    @cached_property
    def reminders_by_customer(self) -> DataLoader[str, list[Reminder]]:
        self._reading(Kind.BILLING)
        return DataLoader(load_fn=self._backends.billing.reminders)

    @cached_property
    def invoice_detail_by_id(self) -> DataLoader[str, InvoiceDetail | None]:
        return DataLoader(load_fn=self._backends.billing.invoice_details)

    @cached_property
    def meter_readings_by_supply_point(self) -> DataLoader[str, list[MeterReading]]:
        return DataLoader(load_fn=self._backends.billing.meter_readings)

    @cached_property
    def consumption_by_supply_point(self) -> DataLoader[str, list[ConsumptionPeriod]]:
        return DataLoader(load_fn=self._backends.billing.consumption)

    @cached_property
    def requests_by_customer(self) -> DataLoader[str, list[CustomerRequest]]:
        self._reading(Kind.CASES)
        return DataLoader(load_fn=self._backends.crm.requests)

    @cached_property
    def request_by_id(self) -> DataLoader[str, CustomerRequest | None]:
        self._reading(Kind.CASES)
        return DataLoader(load_fn=self._backends.crm.requests_by_id)

    @cached_property
    def request_queue_by_query(self) -> DataLoader[RequestQueueQuery, RequestQueuePage]:
        self._reading(Kind.CASES)
        return DataLoader(load_fn=self._backends.crm.request_queue)

    @cached_property
    def messages_by_customer(self) -> DataLoader[str, list[Message]]:
        self._reading(Kind.CASES)
        return DataLoader(load_fn=self._backends.crm.messages)

    @cached_property
    def nomination_contract_by_customer(self) -> DataLoader[str, NominationContract | None]:
        self._reading(None)
        return DataLoader(load_fn=self._backends.nomination.contracts)

    @cached_property
    def nomination_week_by_period(self) -> DataLoader[NominationPeriod, WeeklyNomination | None]:
        self._reading(None)
        return DataLoader(load_fn=self._backends.nomination.weeks)

    @cached_property
    def nomination_day_by_period(self) -> DataLoader[NominationPeriod, DailyRefinement | None]:
        self._reading(None)
        return DataLoader(load_fn=self._backends.nomination.days)

    @cached_property
    def nomination_month_by_period(self) -> DataLoader[NominationPeriod, MonthlyRefinement | None]:
        self._reading(None)
        return DataLoader(load_fn=self._backends.nomination.months)

    @cached_property
    def nomination_week_status_by_start(self) -> DataLoader[dt.date, WeekStatus]:
        self._reading(None)
        return DataLoader(load_fn=self._backends.nomination.week_statuses)

    # Across customers, for staff (gateway.schema.staff)

    @cached_property
    def customer_search_by_query(self) -> DataLoader[CustomerSearch, CustomerSearchPage]:
        self._reading(Kind.SEARCH)
        return DataLoader(load_fn=self._backends.crm.search_customers)

    @cached_property
    def customer_number_by_variable_symbol(self) -> DataLoader[str, str | None]:
        self._reading(Kind.OWNER)
        return DataLoader(load_fn=self._backends.billing.customers_by_variable_symbol)

    @cached_property
    def customer_number_by_invoice_number(self) -> DataLoader[str, str | None]:
        self._reading(Kind.OWNER)
        return DataLoader(load_fn=self._backends.billing.customers_by_invoice_number)

    @cached_property
    def overdue_invoices_by_query(self) -> DataLoader[OverdueInvoiceQuery, OverdueInvoicePage]:
        self._reading(Kind.RECEIVABLES)
        billing = self._backends.billing

        async def load(queries: Sequence[OverdueInvoiceQuery]) -> list[OverdueInvoicePage]:
            return list(await asyncio.gather(*(billing.overdue_invoices(query) for query in queries)))

        return DataLoader(load_fn=load)

    @cached_property
    def receivables(self) -> DataLoader[None, Receivables]:
        """One key (``None``): billing's summary as of its today."""
        self._reading(Kind.RECEIVABLES)
        billing = self._backends.billing

        async def load(keys: Sequence[None]) -> list[Receivables]:
            return list(await asyncio.gather(*(billing.receivables() for _ in keys)))

        return DataLoader(load_fn=load)
