"""``CachedCrm``: master and technical data from the cache; a write through it invalidates its customer."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence

import pytest

from gateway.adapters.cached import CachedCrm
from gateway.cache.policy import TTL_SECONDS, Kind
from gateway.cache.store import CacheStore
from gateway.domain.contact import ContactDetailsChange
from gateway.domain.customer_search import CustomerSearch, CustomerSearchPage
from gateway.domain.customers import Customer
from gateway.domain.messages import Message
from gateway.domain.requests import (
    CustomerRequest,
    NewRequest,
    QueuedRequest,
    RequestKind,
    RequestQueuePage,
    RequestQueueQuery,
    RequestUpdate,
)
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

    async def request_queue(self, queries: Sequence[RequestQueueQuery]) -> list[RequestQueuePage]:
        self.calls.append(("request_queue", [str(q.offset) for q in queries]))
        return [
            RequestQueuePage(items=(QueuedRequest(samples.request(NOVAK, "R-q"), "Jan Novák"),), total=1)
            for _ in queries
        ]

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


async def test_the_worklist_is_kept_for_seconds_and_a_new_request_drops_it(store: CacheStore) -> None:
    # given: the worklist's first page is cached
    inner = FakeCrm()
    crm = CachedCrm(inner, store)
    query = RequestQueueQuery(offset=0, limit=20)
    await crm.request_queue([query])
    await crm.request_queue([query])
    assert inner.count("request_queue") == 1
    other_page = RequestQueueQuery(offset=20, limit=20)
    await crm.request_queue([other_page])
    assert inner.count("request_queue") == 2  # another query is another entry

    # when: a request is filed for any customer
    await crm.create_request(NewRequest(customer_number=SVOBODOVA, kind=RequestKind.OTHER, summary="x"))
    await crm.request_queue([query])

    # then: the worklist is asked again
    assert inner.count("request_queue") == 3


async def test_the_worklist_lasts_the_cases_ttl(store: CacheStore) -> None:
    inner = FakeCrm()
    crm = CachedCrm(inner, store)
    query = RequestQueueQuery()
    await crm.request_queue([query])
    clock = store.clock
    assert isinstance(clock, FakeClock)

    clock.advance(TTL_SECONDS[Kind.CASES] + 1)
    await crm.request_queue([query])

    assert inner.count("request_queue") == 2
