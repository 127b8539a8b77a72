"""The staff search's cached operations, over the real adapters and simulators: a CRM search
is kept for a minute (``Kind.SEARCH``) under a hash of what was searched; whose document a
variable symbol or an invoice number is, for an hour (``Kind.OWNER``); nothing found is
never kept."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from fixtures import personas
from fixtures.billing import ledger
from fixtures.crm.app import create_app as create_crm
from fixtures.server import serve_in_thread
from gateway.adapters.billing.soap import SoapBilling
from gateway.adapters.cached import CachedBilling, CachedCrm
from gateway.adapters.crm.rest import RestCrm
from gateway.cache.policy import TTL_SECONDS, Kind
from gateway.cache.store import CacheStore
from gateway.domain.customer_search import CustomerSearch
from gateway.errors import BackendUnavailable
from tests.adapters.simulators import billing_on, fresh
from tests.cache.stores import STORE_KINDS, FakeClock, open_test_store

API_KEY = "cached-search-key"
USER, PASSWORD = "portal-gw", "billing-secret"
TODAY = dt.date(2026, 11, 26)
BY_EMAIL = CustomerSearch(email="jan.novak@example.cz")


@pytest.fixture(scope="module")
def crm_url() -> Iterator[str]:
    with serve_in_thread(create_crm(api_key=API_KEY)) as url:
        yield url


@pytest.fixture(scope="module")
def billing_url() -> Iterator[str]:
    yield from billing_on(TODAY, username=USER, password=PASSWORD)


@pytest.fixture(autouse=True)
def clean(crm_url: str, billing_url: str) -> Iterator[None]:
    yield from fresh(crm_url, billing_url)


@pytest.fixture(params=STORE_KINDS)
async def store(request: pytest.FixtureRequest) -> AsyncIterator[CacheStore]:
    async with open_test_store(request.param) as store:
        store.clock = FakeClock()
        yield store


@pytest.fixture
def crm(http: httpx.AsyncClient, crm_url: str, store: CacheStore) -> CachedCrm:
    return CachedCrm(RestCrm(http, base_url=crm_url, api_key=API_KEY), store)


@pytest.fixture
def billing(http: httpx.AsyncClient, billing_url: str, store: CacheStore) -> CachedBilling:
    return CachedBilling(
        SoapBilling(http=http, address=f"{billing_url}/soap", username=USER, password=PASSWORD), store
    )


def calls(url: str, operation: str) -> int:
    counted: dict[str, int] = httpx.get(f"{url}/__sim/stats").json()["calls"]
    return counted.get(operation, 0)


def advance(store: CacheStore, seconds: float) -> None:
    assert isinstance(store.clock, FakeClock)
    store.clock.advance(seconds)


async def test_a_search_is_kept_for_its_ttl_and_each_page_apart(
    crm: CachedCrm, crm_url: str, store: CacheStore
) -> None:
    (first,) = await crm.search_customers([BY_EMAIL])
    (again,) = await crm.search_customers([BY_EMAIL])
    assert again == first and {c.number for c in first.customers} == {personas.NOVAK, personas.NOVAK2}
    assert calls(crm_url, "SearchCustomers") == 1

    await crm.search_customers([CustomerSearch(email="jan.novak@example.cz", offset=1, limit=1)])
    assert calls(crm_url, "SearchCustomers") == 2  # another page is another search

    advance(store, TTL_SECONDS[Kind.SEARCH] + 1)
    await crm.search_customers([BY_EMAIL])
    assert calls(crm_url, "SearchCustomers") == 3


async def test_a_search_past_its_ttl_is_served_stale_while_the_crm_is_down(
    crm: CachedCrm, crm_url: str, store: CacheStore
) -> None:
    (first,) = await crm.search_customers([BY_EMAIL])
    advance(store, TTL_SECONDS[Kind.SEARCH] + 1)
    httpx.post(f"{crm_url}/__sim/faults", json={"mode": "down"}).raise_for_status()

    (stale,) = await crm.search_customers([BY_EMAIL])

    assert stale == first
    with pytest.raises(BackendUnavailable):
        await crm.search_customers([CustomerSearch(name="Svobodová")])  # never asked before


async def test_what_was_searched_for_is_not_in_the_cache_keys(crm: CachedCrm, store: CacheStore) -> None:
    await crm.search_customers([BY_EMAIL])
    backend = store._backend  # the in-process dict; Redis keys are built the same way
    keys = list(getattr(backend, "_cache", {}))
    if keys:
        assert all("example.cz" not in str(key) and "novak" not in str(key) for key in keys)


async def test_whose_document_is_kept_for_an_hour_and_nothing_found_never(
    billing: CachedBilling, billing_url: str, store: CacheStore
) -> None:
    invoice = ledger.Ledger(0).invoices(personas.NOVAK, TODAY)[0]

    assert await billing.customers_by_variable_symbol([invoice.variable_symbol, "1999999999"]) == [
        personas.NOVAK,
        None,
    ]
    assert await billing.customers_by_variable_symbol([invoice.variable_symbol, "1999999999"]) == [
        personas.NOVAK,
        None,
    ]
    assert await billing.customers_by_invoice_number([invoice.number]) == [personas.NOVAK]
    assert calls(billing_url, "FindCustomer") == 4  # the unknown symbol twice, not kept

    advance(store, TTL_SECONDS[Kind.OWNER] - 1)
    await billing.customers_by_invoice_number([invoice.number])
    assert calls(billing_url, "FindCustomer") == 4
