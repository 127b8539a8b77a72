"""``CachedCrm``: master and technical data from the cache; a write through it invalidates its customer."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence

import pytest

from gateway.adapters.cached import CachedCrm
from gateway.cache.store import CacheStore
from gateway.domain.contact import ContactDetailsChange
from gateway.domain.customer_search import CustomerSearch, CustomerSearchPage
from gateway.domain.customers import Customer
from gateway.domain.messages import Message
from gateway.domain.requests import CustomerRequest, NewRequest, RequestKind, RequestUpdate
from gateway.domain.supply_points import ElectricityTechnicalData, SupplyPoint
from tests.cache import samples
from tests.cache.stores import STORE_KINDS, FakeClock, open_test_store

NOVAK, SVOBODOVA = "1000012345", "1000054321"


class FakeCrm:
    def __init__(self) -> None:
        self.calls: list[tuple[str, list[str]]] = []

    async def customers(self, numbers: Sequence[str]) -> list[Customer | None]:
        self.calls.append(("customers", list(numbers)))
        return [samples.customer(n) for n in numbers]

    async def supply_points_by_customer(self, numbers: Sequence[str]) -> list[list[SupplyPoint]]:
        self.calls.append(("supply_points_by_customer", list(numbers)))
        return [[samples.supply_point(n, f"OM-{n}")] for n in numbers]

    async def supply_points_by_id(self, ids: Sequence[str]) -> list[SupplyPoint | None]:
        raise NotImplementedError

    async def search_customers(self, searches: Sequence[CustomerSearch]) -> list[CustomerSearchPage]:
        raise NotImplementedError  # tests/adapters/test_cached_search.py, on the simulator

    async def requests(self, customer_numbers: Sequence[str]) -> list[list[CustomerRequest]]:
        self.calls.append(("requests", list(customer_numbers)))
        return [[samples.request(n, f"R-{n}")] for n in customer_numbers]

    async def requests_by_id(self, ids: Sequence[str]) -> list[CustomerRequest | None]:
        raise NotImplementedError

    async def messages(self, customer_numbers: Sequence[str]) -> list[list[Message]]:
        raise NotImplementedError

    async def create_request(self, request: NewRequest) -> CustomerRequest:
        self.calls.append(("create_request", [request.customer_number]))
        return samples.request(request.customer_number, "R-new")

    async def update_request(self, id: str, change: RequestUpdate) -> CustomerRequest:
        raise NotImplementedError

    async def cancel_request(self, id: str) -> CustomerRequest:
        raise NotImplementedError

    async def mark_messages_read(self, customer_number: str, ids: Sequence[str]) -> int:
        raise NotImplementedError

    async def change_contact_details(self, customer_number: str, change: ContactDetailsChange) -> Customer:
        raise NotImplementedError

    async def ping(self) -> None:
        return None

    def count(self, operation: str) -> int:
        return sum(1 for op, _ in self.calls if op == operation)


@pytest.fixture(params=STORE_KINDS)
async def store(request: pytest.FixtureRequest) -> AsyncIterator[CacheStore]:
    async with open_test_store(request.param) as store:
        store.clock = FakeClock()
        yield store


async def test_master_data_lasts_minutes_and_technical_data_an_hour(store: CacheStore) -> None:
    # given
    inner = FakeCrm()
    crm = CachedCrm(inner, store)
    await crm.customers([NOVAK])
    await crm.supply_points_by_customer([NOVAK])
    clock = store.clock
    assert isinstance(clock, FakeClock)

    # when: ten minutes later
    clock.advance(600)
    await crm.customers([NOVAK])
    points = await crm.supply_points_by_customer([NOVAK])

    # then: the customer was loaded again, the supply points were not
    assert inner.count("customers") == 2
    assert inner.count("supply_points_by_customer") == 1
    technical = points[0][0].technical
    assert isinstance(technical, ElectricityTechnicalData) and technical.distribution_tariff == "D02d"


async def test_a_new_request_shows_at_once_for_its_customer_only(store: CacheStore) -> None:
    # given: both customers' requests are cached
    inner = FakeCrm()
    crm = CachedCrm(inner, store)
    await crm.requests([NOVAK, SVOBODOVA])

    # when
    await crm.create_request(NewRequest(customer_number=NOVAK, kind=RequestKind.OTHER, summary="?"))
    await crm.requests([NOVAK, SVOBODOVA])

    # then
    assert inner.calls[-1] == ("requests", [NOVAK])
