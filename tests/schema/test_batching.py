"""Batching: every edge goes through a per-request DataLoader, so the back-end calls of a
query do not grow with the number of objects in it, and identical calls are made once.

The schema runs against a tiny fake back end that records every call.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, cast

import pytest
from starlette.requests import Request
from starlette.responses import Response

from gateway.config import Settings
from gateway.context import Context, Viewer
from gateway.dataloaders import Loaders
from gateway.domain.billing import (
    DepositFrequency,
    DepositItem,
    DepositPlan,
    InvoicePage,
    InvoiceQuery,
    PaymentMethod,
    Reminder,
)
from gateway.domain.customers import Address, Customer, Segment
from gateway.domain.messages import Message, MessageKind
from gateway.domain.money import Money
from gateway.domain.requests import CustomerRequest
from gateway.domain.supply_points import (
    BillingCycle,
    BillingDetails,
    Commodity,
    ContractType,
    Correspondence,
    ElectricityTechnicalData,
    InvoiceDelivery,
    SupplyPoint,
)
from gateway.permissions import OWNER_ACCESS
from gateway.schema import schema
from gateway.services import Backends, Services

SMALL, LARGE = "1000000001", "2000000002"
POINTS = {SMALL: 2, LARGE: 25}
ADDRESS = Address(street="Husova", house_number="7", city="Brno", postcode="60200")
TODAY = dt.date(2026, 11, 26)


def point(customer: str, index: int) -> SupplyPoint:
    return SupplyPoint(
        id=f"{customer}{index:03d}",
        customer_number=customer,
        code=f"8591824000000{index:05d}",
        commodity=Commodity.ELECTRICITY,
        contract_type=ContractType.COMBINED_SERVICES,
        address=ADDRESS,
        product="ESCO Standard",
        technical=ElectricityTechnicalData(25, 3, "D02d", "M1", 3000, None, None),
        expected_annual_consumption_kwh=3000,
        correspondence=Correspondence(ADDRESS, InvoiceDelivery.PAPER, None),
        billing=BillingDetails(BillingCycle.YEARLY, 11, "Zákazník"),
        meter=None,
    )


def plan(sp: SupplyPoint) -> DepositPlan:
    item = DepositItem(TODAY, Money(Decimal("1200")), paid=False, variable_symbol=sp.id[-10:])
    return DepositPlan(
        id=f"Z{sp.id}",
        customer_number=sp.customer_number,
        supply_point_id=sp.id,
        frequency=DepositFrequency.MONTHLY,
        payment_method=PaymentMethod.BANK_TRANSFER,
        bank_account=None,
        minimum_amount=Money(Decimal("600")),
        items=(item,),
    )


class FakeBackend:
    """Both back ends in one, answering from ``POINTS`` and recording each call's keys."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, list[Any]]] = []

    def __getattr__(self, operation: str) -> Any:
        """Any other back-end operation: the queries here must not need it."""

        async def unexpected(*args: Any, **kwargs: Any) -> Any:
            raise AssertionError(f"unexpected back-end call: {operation}")

        return unexpected

    def _record(self, operation: str, keys: Sequence[Any]) -> None:
        self.calls.append((operation, list(keys)))

    def count(self, operation: str) -> int:
        return sum(1 for name, _ in self.calls if name == operation)

    def keys(self, operation: str) -> list[list[Any]]:
        return [keys for name, keys in self.calls if name == operation]

    # CRM
    async def customers(self, numbers: Sequence[str]) -> list[Customer | None]:
        self._record("customers", numbers)
        return [Customer(n, f"Zákazník {n}", Segment.HOUSEHOLD, ADDRESS, None, None) for n in numbers]

    async def supply_points_by_customer(self, numbers: Sequence[str]) -> list[list[SupplyPoint]]:
        self._record("supply_points_by_customer", numbers)
        return [[point(n, i) for i in range(1, POINTS.get(n, 0) + 1)] for n in numbers]

    async def supply_points_by_id(self, ids: Sequence[str]) -> list[SupplyPoint | None]:
        self._record("supply_points_by_id", ids)
        return [point(i[:10], int(i[10:])) for i in ids]

    async def requests(self, numbers: Sequence[str]) -> list[list[CustomerRequest]]:
        self._record("requests", numbers)
        return [[] for _ in numbers]

    async def messages(self, numbers: Sequence[str]) -> list[list[Message]]:
        self._record("messages", numbers)
        sent = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
        return [[Message(f"{n}-Z1", n, MessageKind.NOTICE, "s", "b", sent, read=False)] for n in numbers]

    # billing
    async def invoice_pages(self, queries: Sequence[InvoiceQuery]) -> list[InvoicePage]:
        self._record("invoice_pages", queries)
        return [InvoicePage(invoices=(), total_count=0) for _ in queries]

    async def deposit_plans(self, numbers: Sequence[str]) -> list[list[DepositPlan]]:
        self._record("deposit_plans", numbers)
        return [[plan(point(n, i)) for i in range(1, POINTS.get(n, 0) + 1)] for n in numbers]

    async def reminders(self, numbers: Sequence[str]) -> list[list[Reminder]]:
        self._record("reminders", numbers)
        return [[] for _ in numbers]


@pytest.fixture
def backend() -> FakeBackend:
    return FakeBackend()


async def run(backend: FakeBackend, query: str) -> dict[str, Any]:
    fake = cast(Any, backend)
    backends = Backends(billing=fake, crm=fake, nomination=fake)
    services = Services(backends=backends, store=cast(Any, None))
    request = Request({"type": "http", "method": "POST", "path": "/graphql", "headers": []})
    context = Context(
        request=request,
        response=Response(),
        settings=Settings(),
        services=services,
        loaders=Loaders.for_request(backends),
        viewer=Viewer(
            user_id=1,
            login="owner",
            email=None,
            session_id=1,
            active_customer=None,
            access={SMALL: OWNER_ACCESS, LARGE: OWNER_ACCESS},
        ),
    )
    result = await schema.execute(query, context_value=context)
    assert result.errors is None, result.errors
    assert result.data is not None
    return result.data


OVERVIEW = """
fragment Front on AccountOverview {
  number name unreadMessageCount
  supplyPoints { code depositPlan { nextItem { dueDate } } }
  nearestInvoices { number } nearestDeposits { dueDate } reminders { level } quickRequestTypes { code }
}
query {
  small: customer(number: "1000000001") { overview { ...Front } }
  large: customer(number: "2000000002") { overview { ...Front } }
}
"""


async def test_two_overviews_cost_one_batched_call_per_operation(backend: FakeBackend) -> None:
    # when
    data = await run(backend, OVERVIEW)

    # then
    assert len(data["small"]["overview"]["supplyPoints"]) == 2
    assert len(data["large"]["overview"]["supplyPoints"]) == 25
    operations = {name for name, _ in backend.calls}
    assert all(backend.count(name) == 1 for name in operations), backend.calls
    assert backend.keys("supply_points_by_customer") == [[SMALL, LARGE]]
    assert backend.keys("deposit_plans") == [[SMALL, LARGE]]  # 27 supply points ask, one call answers
    assert backend.keys("messages") == [[SMALL, LARGE]]  # the unread count and nothing else
    assert "supply_points_by_id" not in operations


async def test_the_cost_of_an_overview_does_not_grow_with_supply_points(backend: FakeBackend) -> None:
    # given
    small_query = OVERVIEW.replace('large: customer(number: "2000000002") { overview { ...Front } }', "")
    large_query = OVERVIEW.replace('small: customer(number: "1000000001") { overview { ...Front } }', "")
    large_backend = FakeBackend()

    # when
    await run(backend, small_query)
    await run(large_backend, large_query)

    # then
    assert len(backend.calls) == len(large_backend.calls)
    assert sorted(name for name, _ in backend.calls) == sorted(name for name, _ in large_backend.calls)


async def test_identical_calls_inside_one_request_are_made_once(backend: FakeBackend) -> None:
    # given: the same page of invoices, and the same plans, asked for in three places
    query = """
    { customer(number: "2000000002") {
        a: invoices(first: 5) { totalCount }
        b: invoices(first: 5) { totalCount }
        depositPlans { id supplyPoint { code } }
        overview { nearestDeposits { dueDate } }
    } }
    """

    # when
    await run(backend, query)

    # then
    assert backend.count("invoice_pages") == 1
    assert len(backend.keys("invoice_pages")[0]) == 1
    assert backend.count("deposit_plans") == 1
    assert backend.count("supply_points_by_id") == 1
    assert len(backend.keys("supply_points_by_id")[0]) == 25  # every plan's point, in one batch


class WaterfallProbe(FakeBackend):
    """Tells whether billing was asked for deposit plans while the CRM's supply points were
    still in flight (no waterfall) or only after they arrived."""

    def __init__(self) -> None:
        super().__init__()
        self.plans_asked = asyncio.Event()
        self.plans_asked_during_points: bool | None = None

    async def supply_points_by_customer(self, numbers: Sequence[str]) -> list[list[SupplyPoint]]:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.plans_asked.wait(), 1.0)
        self.plans_asked_during_points = self.plans_asked.is_set()
        return await super().supply_points_by_customer(numbers)

    async def deposit_plans(self, numbers: Sequence[str]) -> list[list[DepositPlan]]:
        self.plans_asked.set()
        return await super().deposit_plans(numbers)


async def test_deposit_plans_of_supply_points_load_alongside_the_points_not_after() -> None:
    # given
    probe = WaterfallProbe()
    query = '{ customer(number: "2000000002") { supplyPoints { code depositPlan { id } } } }'

    # when
    data = await run(probe, query)

    # then: one call each, the plans' started while the points' was in flight
    assert probe.plans_asked_during_points is True
    assert all(p["depositPlan"]["id"] for p in data["customer"]["supplyPoints"])
    assert probe.count("deposit_plans") == 1 and probe.count("supply_points_by_customer") == 1


async def test_supply_points_without_deposit_plans_do_not_call_billing(backend: FakeBackend) -> None:
    await run(backend, '{ customer(number: "2000000002") { supplyPoints { code } } }')

    assert backend.count("deposit_plans") == 0
