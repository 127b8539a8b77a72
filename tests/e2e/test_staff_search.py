"""``staff { searchCustomers }``: every persona found by every identifier it has, paging,
the cap, refusals before any back end, audit entries, a back end down."""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from fixtures import data, personas
from fixtures.billing import ledger
from fixtures.control import PRAGUE
from gateway.store import audit
from gateway.store.db import transaction
from gateway.store.models import ActorKind
from tests.e2e.client import GraphQLClient, error_codes

SEARCH = """
query Search($query: String!, $first: Int, $after: String) {
  staff { searchCustomers(query: $query, first: $first, after: $after) {
    totalCount recognizedAs capped
    pageInfo { hasNextPage endCursor }
    edges { cursor node { customerNumber displayName matchedBy matchedValue customer { number name } } }
  } }
}
"""


def plain(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def identifiers(number: str) -> list[tuple[str, str]]:
    """Every (kind, query) that should find the persona ``number``."""
    customer = data.customer(number)
    assert customer is not None
    points = data.supply_points(number)
    found = [
        ("CUSTOMER_NUMBER", number),
        ("NAME", customer.name),
        ("NAME", plain(customer.name).upper()),
        ("EMAIL", customer.email.upper()),
        ("PHONE", f"+420 {customer.phone[4:7]} {customer.phone[7:10]} {customer.phone[10:]}"),
        ("ADDRESS", f"{customer.street} {customer.house_number}, {customer.city}"),
    ]
    if customer.ico:
        found.append(("ICO", customer.ico))
    for kind, commodity in (("EAN", "ELECTRICITY"), ("EIC", "GAS")):
        codes = [p.code for p in points if p.commodity == commodity]
        if codes:
            found.append((kind, codes[-1]))
    invoices = ledger.Ledger(0).invoices(number, dt.datetime.now(PRAGUE).date())  # the simulator's today
    if invoices:  # from the middle: still there if the simulator's day turns during the run
        found.append(("VARIABLE_SYMBOL", invoices[len(invoices) // 2].variable_symbol))
        found.append(("INVOICE_NUMBER", invoices[(len(invoices) - 1) // 2].number))
    return found


CASES = [(number, kind, query) for number in personas.ALL for kind, query in identifiers(number)]


async def search(gql: GraphQLClient, query: str, **variables: Any) -> dict[str, Any]:
    result = await gql.execute(SEARCH, {"query": query, **variables})
    assert error_codes(result) == [], result
    found: dict[str, Any] = result["data"]["staff"]["searchCustomers"]
    return found


@pytest.fixture
def staff(gql: GraphQLClient) -> GraphQLClient:
    gql.headers["X-API-Key"] = "demo-staff-key"
    return gql


@pytest.mark.parametrize(("number", "kind", "query"), CASES, ids=[f"{n}-{k}-{q}" for n, k, q in CASES])
async def test_search_finds_each_persona_by_each_identifier_it_has(
    staff: GraphQLClient, number: str, kind: str, query: str
) -> None:
    found = await search(staff, query, first=100)

    hits = {(e["node"]["customerNumber"], e["node"]["matchedBy"]) for e in found["edges"]}
    assert (number, kind) in hits
    (hit,) = [e["node"] for e in found["edges"] if e["node"]["customerNumber"] == number]
    assert hit["customer"]["number"] == number
    assert hit["customer"]["name"] == hit["displayName"] == data.customer(number).name  # type: ignore[union-attr]


async def test_pages_follow_each_other_to_the_total(staff: GraphQLClient) -> None:
    first = await search(staff, "Jan Novák", first=2)
    second = await search(staff, "Jan Novák", first=2, after=first["pageInfo"]["endCursor"])
    everything = await search(staff, "Jan Novák", first=100)

    assert first["recognizedAs"] == "NAME" and not first["capped"]
    assert first["totalCount"] == everything["totalCount"] == len(everything["edges"]) > 3
    assert first["pageInfo"]["hasNextPage"]
    numbers = [e["node"]["customerNumber"] for e in everything["edges"]]
    assert [e["node"]["customerNumber"] for e in first["edges"] + second["edges"]] == numbers[:4]


async def test_a_search_matching_too_many_says_it_was_capped(staff: GraphQLClient) -> None:
    found = await search(staff, ", Praha", first=5)

    assert found["recognizedAs"] == "ADDRESS"
    assert found["capped"] is True
    assert found["totalCount"] == 200
    assert len(found["edges"]) == 5


async def test_letters_and_digits_find_a_street_or_a_city(staff: GraphQLClient) -> None:
    found = await search(staff, "Praha 1", first=100)

    assert found["recognizedAs"] == "ADDRESS"
    values = {e["node"]["matchedValue"] for e in found["edges"]}
    assert ", Praha 1" in values  # found by its city: nobody lives in a street called Praha 1
    assert personas.NOVAK in {e["node"]["customerNumber"] for e in found["edges"]}


async def test_a_customer_number_nobody_has_is_an_empty_answer(staff: GraphQLClient) -> None:
    found = await search(staff, "9000000001")

    assert found["recognizedAs"] == "CUSTOMER_NUMBER"
    assert (found["edges"], found["totalCount"], found["capped"]) == ([], 0, False)


@pytest.mark.parametrize("query", ["", "   ", "x" * 101, "Nov\x00ák", "Nov\u202eák", "859182400123456784"])
async def test_bad_input_is_refused_before_any_back_end(
    staff: GraphQLClient, simulators: dict[str, str], query: str
) -> None:
    for url in simulators.values():
        httpx.delete(f"{url}/__sim/stats")

    result = await staff.execute(SEARCH, {"query": query})

    assert error_codes(result) == ["BAD_USER_INPUT"]
    assert (result.get("data") or {}).get("staff") is None  # a NUL is refused with the variables
    for url in simulators.values():
        assert httpx.get(f"{url}/__sim/stats").json()["calls"] == {}


async def test_every_customer_revealed_is_audited(staff: GraphQLClient, app: Starlette) -> None:
    found = await search(staff, "jan.novak@example.cz")

    revealed = {e["node"]["customerNumber"] for e in found["edges"]}
    assert revealed == {personas.NOVAK, personas.NOVAK2}
    async with transaction(app.state.services.store) as db:
        entries = await audit.list_audit(db, actor_kind=ActorKind.STAFF)
    assert {(e.customer_number, e.action, (e.detail or {})["operation"]) for e in entries} == {
        (number, "staff_read", "Search") for number in revealed
    }


@pytest.mark.parametrize(("back_end", "query"), [("crm", "Novák"), ("billing", "FV2026100001234500211")])
async def test_a_back_end_down_fails_the_search_as_unavailable(
    staff: GraphQLClient, simulators: dict[str, str], back_end: str, query: str
) -> None:
    httpx.post(f"{simulators[back_end]}/__sim/faults", json={"mode": "down"}).raise_for_status()

    result = await staff.execute(SEARCH, {"query": query})

    assert error_codes(result) == ["BACKEND_UNAVAILABLE"]
    assert result["data"]["staff"] is None


async def test_a_portal_user_has_no_staff_search(gql: GraphQLClient) -> None:
    result = await gql.execute(SEARCH, {"query": "Novák"})

    assert result["data"]["staff"] is None
