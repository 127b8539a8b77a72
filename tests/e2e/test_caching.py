"""The cache across requests, end to end: back-end calls counted by the simulators,
isolation between customers, and stale data served (and flagged) while billing is down."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from starlette.applications import Starlette

from gateway.cache.store import CacheStore
from tests.e2e.client import GraphQLClient, error_codes, set_faults

OVERVIEW = """
query Overview($number: String!) {
  customer(number: $number) {
    number name
    supplyPoints { code }
    invoices(first: 3) { totalCount edges { node { id number } } }
  }
}
"""
NODE = "query Node($id: ID!) { node(id: $id) { ... on Invoice { number } } }"
NOVAK, SVOBODOVA = "1000012345", "1000023456"


def reset_stats(simulators: dict[str, str]) -> None:
    for base in simulators.values():
        httpx.delete(f"{base}/__sim/stats").raise_for_status()


def calls(simulators: dict[str, str], backend: str) -> dict[str, int]:
    body: dict[str, Any] = httpx.get(f"{simulators[backend]}/__sim/stats").json()
    return dict(body["calls"])


def advance(app: Starlette, seconds: float) -> None:
    store: CacheStore = app.state.cache
    now = store.clock()
    store.clock = lambda: now + seconds


async def test_a_repeated_overview_is_served_from_the_cache(
    gql: GraphQLClient, simulators: dict[str, str]
) -> None:
    # given
    await gql.login("novak")
    first = await gql.execute(OVERVIEW, {"number": NOVAK})
    reset_stats(simulators)

    # when
    second = await gql.execute(OVERVIEW, {"number": NOVAK})

    # then: same answer, and neither billing nor the CRM was called
    assert second == first
    assert calls(simulators, "billing") == {}
    assert calls(simulators, "crm") == {}


async def test_concurrent_overviews_call_each_back_end_once(
    gql: GraphQLClient, simulators: dict[str, str]
) -> None:
    await gql.login("novak")
    reset_stats(simulators)
    set_faults(simulators["billing"], latency_ms=100)

    results = await asyncio.gather(*(gql.execute(OVERVIEW, {"number": NOVAK}) for _ in range(5)))

    assert all("errors" not in r for r in results)
    assert calls(simulators, "billing") == {"GetInvoiceList": 1}
    assert calls(simulators, "crm")["GetCustomers"] == 1


async def test_one_customers_cached_invoices_are_never_returned_for_another(
    client: httpx.AsyncClient, simulators: dict[str, str]
) -> None:
    # given: novak's invoices are cached, by page and by id
    novak, svobodova = GraphQLClient(client), GraphQLClient(client)
    await novak.login("novak")
    own = await novak.execute(OVERVIEW, {"number": NOVAK})
    novak_ids = {e["node"]["id"] for e in own["data"]["customer"]["invoices"]["edges"]}
    invoice_id = next(iter(novak_ids))
    assert (await novak.execute(NODE, {"id": invoice_id}))["data"]["node"]["number"]
    await svobodova.login("svobodova")
    reset_stats(simulators)

    # when: svobodova asks for novak's invoice, novak's customer number, and her own invoices
    by_id = await svobodova.execute(NODE, {"id": invoice_id})
    by_number = await svobodova.execute(OVERVIEW, {"number": NOVAK})
    hers = await svobodova.execute(OVERVIEW, {"number": SVOBODOVA})

    # then: the cached invoice was found (billing not asked) yet not shown; her own come from billing
    assert by_id["data"] == {"node": None} and error_codes(by_id) == ["NOT_FOUND"]
    assert by_number["data"] == {"customer": None} and error_codes(by_number) == ["NOT_FOUND"]
    her_ids = {e["node"]["id"] for e in hers["data"]["customer"]["invoices"]["edges"]}
    assert her_ids and not her_ids & novak_ids
    assert calls(simulators, "billing") == {"GetInvoiceList": 1}


async def test_while_billing_is_down_stale_invoices_are_served_and_flagged(
    app: Starlette, gql: GraphQLClient, simulators: dict[str, str]
) -> None:
    # given: the overview cached a minute ago (past the invoices' TTL, within the stale bound)
    await gql.login("novak")
    fresh = await gql.execute(OVERVIEW, {"number": NOVAK})
    assert "extensions" not in fresh or "stale" not in fresh["extensions"]
    advance(app, 60)
    set_faults(simulators["billing"], mode="down")

    # when
    result = await gql.execute(OVERVIEW, {"number": NOVAK})

    # then
    assert "errors" not in result
    assert result["data"] == fresh["data"]
    assert result["extensions"]["stale"] == [{"backend": "billing", "ageSeconds": 60}]
    assert calls(simulators, "billing")["GetInvoiceList"] >= 2  # billing was tried first


async def test_past_the_stale_bound_billing_down_fails_only_the_invoices(
    app: Starlette, gql: GraphQLClient, simulators: dict[str, str]
) -> None:
    await gql.login("novak")
    await gql.execute(OVERVIEW, {"number": NOVAK})
    advance(app, 15 + 600 + 1)
    set_faults(simulators["billing"], mode="down")

    result = await gql.execute(OVERVIEW, {"number": NOVAK})

    assert result["data"]["customer"]["name"]  # the CRM's part: still fresh for an hour
    assert result["data"]["customer"]["invoices"] is None
    (error,) = result["errors"]
    assert error["extensions"] == {"code": "BACKEND_UNAVAILABLE", "retryable": True, "backend": "billing"}
    assert "stale" not in result.get("extensions", {})
