"""Per-request DataLoaders: every edge of the graph goes through one, so no N+1.

Built fresh for each request (their memo lives for one request); keys are the
adapters' batch keys, so one tick's loads become one batched back-end call.
"""

from __future__ import annotations

from functools import cached_property

from strawberry.dataloader import DataLoader

from gateway.adapters.nomination.protocol import NominationPeriod
from gateway.domain.billing import (
    ConsumptionPeriod,
    DepositPlan,
    Invoice,
    InvoiceDetail,
    InvoicePage,
    InvoiceQuery,
    MeterReading,
    Payment,
    Reminder,
)
from gateway.domain.customers import Customer
from gateway.domain.messages import Message
from gateway.domain.nomination import (
    DailyRefinement,
    MonthlyRefinement,
    NominationContract,
    WeeklyNomination,
)
from gateway.domain.requests import CustomerRequest
from gateway.domain.supply_points import SupplyPoint
from gateway.services import Backends


class Loaders:
    """One request's loaders, each made on first use: a request touches few of them, and
    making a DataLoader costs tens of microseconds."""

    def __init__(self, backends: Backends) -> None:
        self._backends = backends

    @classmethod
    def for_request(cls, backends: Backends) -> Loaders:
        return cls(backends)

    @cached_property
    def customer_by_number(self) -> DataLoader[str, Customer | None]:
        return DataLoader(load_fn=self._backends.crm.customers)

    @cached_property
    def supply_points_by_customer(self) -> DataLoader[str, list[SupplyPoint]]:
        return DataLoader(load_fn=self._backends.crm.supply_points_by_customer)

    @cached_property
    def supply_point_by_id(self) -> DataLoader[str, SupplyPoint | None]:
        return DataLoader(load_fn=self._backends.crm.supply_points_by_id)

    @cached_property
    def invoice_page_by_query(self) -> DataLoader[InvoiceQuery, InvoicePage]:
        return DataLoader(load_fn=self._backends.billing.invoice_pages)

    @cached_property
    def invoice_by_id(self) -> DataLoader[str, Invoice | None]:
        return DataLoader(load_fn=self._backends.billing.invoices_by_id)

    @cached_property
    def deposit_plans_by_customer(self) -> DataLoader[str, list[DepositPlan]]:
        return DataLoader(load_fn=self._backends.billing.deposit_plans)

    @cached_property
    def payments_by_customer(self) -> DataLoader[str, list[Payment]]:
        return DataLoader(load_fn=self._backends.billing.payments)

    @cached_property
    def reminders_by_customer(self) -> DataLoader[str, list[Reminder]]:
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
        return DataLoader(load_fn=self._backends.crm.requests)

    @cached_property
    def request_by_id(self) -> DataLoader[str, CustomerRequest | None]:
        return DataLoader(load_fn=self._backends.crm.requests_by_id)

    @cached_property
    def messages_by_customer(self) -> DataLoader[str, list[Message]]:
        return DataLoader(load_fn=self._backends.crm.messages)

    @cached_property
    def nomination_contract_by_customer(self) -> DataLoader[str, NominationContract | None]:
        return DataLoader(load_fn=self._backends.nomination.contracts)

    @cached_property
    def nomination_week_by_period(self) -> DataLoader[NominationPeriod, WeeklyNomination | None]:
        return DataLoader(load_fn=self._backends.nomination.weeks)

    @cached_property
    def nomination_day_by_period(self) -> DataLoader[NominationPeriod, DailyRefinement | None]:
        return DataLoader(load_fn=self._backends.nomination.days)

    @cached_property
    def nomination_month_by_period(self) -> DataLoader[NominationPeriod, MonthlyRefinement | None]:
        return DataLoader(load_fn=self._backends.nomination.months)
