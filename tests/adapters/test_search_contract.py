"""The staff search's back-end operations on real sockets: RestCrm.search_customers against
the CRM simulator's ``/api/v2/zakaznici/hledat``, SoapBilling's customers by variable symbol
and invoice number against the billing simulator's FindCustomer."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator

import httpx
import pytest

from fixtures import data, personas
from fixtures.billing import ledger
from fixtures.crm.app import create_app as create_crm
from fixtures.crm.search import CAP
from fixtures.server import serve_in_thread
from gateway.adapters.billing.soap import SoapBilling
from gateway.adapters.crm.rest import RestCrm
from gateway.domain.customer_search import CustomerSearch
from gateway.errors import BackendProtocolError, BackendRejected, BackendUnavailable
from tests.adapters.simulators import billing_on, fresh

API_KEY = "search-contract-key"
USER, PASSWORD = "portal-gw", "billing-secret"
TODAY = dt.date(2026, 11, 26)


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


@pytest.fixture
def crm(http: httpx.AsyncClient, crm_url: str) -> RestCrm:
    return RestCrm(http, base_url=crm_url, api_key=API_KEY)


@pytest.fixture
def billing(http: httpx.AsyncClient, billing_url: str) -> SoapBilling:
    return SoapBilling(http=http, address=f"{billing_url}/soap", username=USER, password=PASSWORD)


def calls(url: str) -> dict[str, int]:
    counted: dict[str, int] = httpx.get(f"{url}/__sim/stats").json()["calls"]
    return counted


async def numbers(crm: RestCrm, search: CustomerSearch) -> list[str]:
    (page,) = await crm.search_customers([search])
    return [c.number for c in page.customers]


def known(number: str) -> data.SimCustomer:
    customer = data.customer(number)
    assert customer is not None
    return customer


NOVAK, PEKARNA = known(personas.NOVAK), known(personas.PEKARNA)


@pytest.mark.parametrize(
    "search",
    [
        CustomerSearch(name="novák"),
        CustomerSearch(name="JAN NOVAK"),
        CustomerSearch(email="Jan.Novak@example.cz"),
        CustomerSearch(phone=NOVAK.phone.removeprefix("+420")),
        CustomerSearch(supply_point_code=data.supply_points(personas.NOVAK)[1].code.lower()),
        CustomerSearch(street="vodickova 12"),
        CustomerSearch(street="Vodičkova", city="praha"),
    ],
    ids=["name", "name-case-diacritics", "email", "phone", "eic", "street", "street-and-city"],
)
async def test_the_crm_finds_novak_by_each_criterion(crm: RestCrm, search: CustomerSearch) -> None:
    (page,) = await crm.search_customers([dataclasses.replace(search, limit=100)])

    found = {c.number: c for c in page.customers}
    assert personas.NOVAK in found
    assert found[personas.NOVAK].name == "Jan Novák"  # a domain Customer, legacy formats gone
    assert found[personas.NOVAK].phone == NOVAK.phone
    assert page.total >= len(page.customers) and not page.capped


async def test_a_company_is_found_by_its_ico_and_its_ean(crm: RestCrm) -> None:
    assert PEKARNA.ico is not None
    assert await numbers(crm, CustomerSearch(ico=PEKARNA.ico)) == [personas.PEKARNA]
    ean = data.supply_points(personas.PEKARNA)[0].code
    assert await numbers(crm, CustomerSearch(supply_point_code=ean)) == [personas.PEKARNA]


async def test_criteria_combine_and_nothing_found_is_an_empty_page(crm: RestCrm) -> None:
    assert await numbers(crm, CustomerSearch(name="Jan Novák", city="Kladno")) == [personas.NOVAK2]
    (page,) = await crm.search_customers([CustomerSearch(email="nobody@example.cz")])
    assert (page.customers, page.total, page.capped) == ((), 0, False)


async def test_pages_follow_the_crms_offset_paging_across_its_50_cap(crm_url: str, crm: RestCrm) -> None:
    everything = CustomerSearch(city="Praha", offset=0, limit=100)
    (first,) = await crm.search_customers([everything])
    (second,) = await crm.search_customers([CustomerSearch(city="Praha", offset=100, limit=100)])

    assert len(first.customers) == 100  # two CRM pages of 50
    assert calls(crm_url)["SearchCustomers"] == 4
    assert not {c.number for c in first.customers} & {c.number for c in second.customers}
    assert first.total == second.total == CAP and first.capped
    names = [c.name for c in first.customers + second.customers]
    assert len(names) == CAP


async def test_a_search_the_crm_refuses_is_rejected_and_a_crm_down_is_unavailable(
    crm_url: str, crm: RestCrm
) -> None:
    with pytest.raises(BackendRejected):
        await crm.search_customers([CustomerSearch(name="N")])  # the CRM wants two characters

    httpx.post(f"{crm_url}/__sim/faults", json={"mode": "down"}).raise_for_status()
    with pytest.raises(BackendUnavailable):
        await crm.search_customers([CustomerSearch(name="Novák")])

    httpx.post(f"{crm_url}/__sim/faults", json={"mode": "garbage"}).raise_for_status()
    with pytest.raises(BackendProtocolError):
        await crm.search_customers([CustomerSearch(name="Novák")])


async def test_a_contact_changed_through_the_api_is_searched_as_changed(crm_url: str, crm: RestCrm) -> None:
    changed = httpx.patch(
        f"{crm_url}/api/v2/zakaznici/{personas.SVOBODOVA}/kontakty",
        json={"EMAIL": "marie.nova@example.cz"},
        headers={"X-Api-Key": API_KEY},
    )
    changed.raise_for_status()

    assert await numbers(crm, CustomerSearch(email="marie.nova@example.cz")) == [personas.SVOBODOVA]
    assert await numbers(crm, CustomerSearch(email="marie.svobodova@example.cz")) == []


def novak_gas_invoices() -> list[ledger.SimInvoice]:
    return [i for i in ledger.Ledger(0).invoices(personas.NOVAK, TODAY) if i.supply_point_id.endswith("002")]


async def test_billing_names_the_customer_of_a_variable_symbol_and_of_an_invoice_number(
    billing_url: str, billing: SoapBilling
) -> None:
    invoice = novak_gas_invoices()[0]
    plan_vs = ledger.plan_vs(data.supply_points(personas.NOVAK)[0])

    by_symbol = await billing.customers_by_variable_symbol([invoice.variable_symbol, plan_vs, "1999999999"])
    by_number = await billing.customers_by_invoice_number([invoice.number, "FV2026999999999900111"])

    assert by_symbol == [personas.NOVAK, personas.NOVAK, None]
    assert by_number == [personas.NOVAK, None]
    assert calls(billing_url)["FindCustomer"] == 5


async def test_billing_down_is_unavailable(billing_url: str, billing: SoapBilling) -> None:
    httpx.post(f"{billing_url}/__sim/faults", json={"mode": "down"}).raise_for_status()

    with pytest.raises(BackendUnavailable):
        await billing.customers_by_variable_symbol(["1012345001"])
