"""Per-request DataLoaders: every edge of the graph goes through one, so no N+1.

Built fresh for each request (their memo lives for one request); keys are the
adapters' batch keys, so one tick's loads become one batched back-end call.
"""

from __future__ import annotations

from dataclasses import dataclass

from strawberry.dataloader import DataLoader

from gateway.adapters.nomination.protocol import NominationPeriod
from gateway.domain.billing import (
    DepositPlan,
    Document,
    Invoice,
    InvoicePage,
    InvoiceQuery,
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


@dataclass(frozen=True, slots=True)
class Loaders:
    customer_by_number: DataLoader[str, Customer | None]
    supply_points_by_customer: DataLoader[str, list[SupplyPoint]]
    supply_point_by_id: DataLoader[str, SupplyPoint | None]
    invoice_page_by_query: DataLoader[InvoiceQuery, InvoicePage]
    invoice_by_id: DataLoader[str, Invoice | None]
    deposit_plans_by_customer: DataLoader[str, list[DepositPlan]]
    payments_by_customer: DataLoader[str, list[Payment]]
    reminders_by_customer: DataLoader[str, list[Reminder]]
    document_by_id: DataLoader[str, Document | None]
    requests_by_customer: DataLoader[str, list[CustomerRequest]]
    request_by_id: DataLoader[str, CustomerRequest | None]
    messages_by_customer: DataLoader[str, list[Message]]
    nomination_contract_by_customer: DataLoader[str, NominationContract | None]
    nomination_week_by_period: DataLoader[NominationPeriod, WeeklyNomination | None]
    nomination_day_by_period: DataLoader[NominationPeriod, DailyRefinement | None]
    nomination_month_by_period: DataLoader[NominationPeriod, MonthlyRefinement | None]

    @classmethod
    def for_request(cls, backends: Backends) -> Loaders:
        crm, billing = backends.crm, backends.billing
        return cls(
            customer_by_number=DataLoader(load_fn=crm.customers),
            supply_points_by_customer=DataLoader(load_fn=crm.supply_points_by_customer),
            supply_point_by_id=DataLoader(load_fn=crm.supply_points_by_id),
            invoice_page_by_query=DataLoader(load_fn=billing.invoice_pages),
            invoice_by_id=DataLoader(load_fn=billing.invoices_by_id),
            deposit_plans_by_customer=DataLoader(load_fn=billing.deposit_plans),
            payments_by_customer=DataLoader(load_fn=billing.payments),
            reminders_by_customer=DataLoader(load_fn=billing.reminders),
            document_by_id=DataLoader(load_fn=billing.documents),
            requests_by_customer=DataLoader(load_fn=crm.requests),
            request_by_id=DataLoader(load_fn=crm.requests_by_id),
            messages_by_customer=DataLoader(load_fn=crm.messages),
            nomination_contract_by_customer=DataLoader(load_fn=backends.nomination.contracts),
            nomination_week_by_period=DataLoader(load_fn=backends.nomination.weeks),
            nomination_day_by_period=DataLoader(load_fn=backends.nomination.days),
            nomination_month_by_period=DataLoader(load_fn=backends.nomination.months),
        )
