"""The account overview: one query for the front page, back ends called concurrently, and a
cost in back-end calls that does not grow with the number of supply points."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

import httpx

from gateway.adapters.connect import open_backends
from gateway.app import create_app
from gateway.config import Settings
from gateway.services import Backends
from tests.e2e.client import GraphQLClient, error_codes, set_faults

OVERVIEW = """
query Overview($number: String!) {
  customer(number: $number) {
    overview {
      number name
      permanentAddress { street houseNumber city postcode }
      unreadMessageCount
      supplyPoints { id code commodity contractType }
      nearestInvoices { number dueDate status amountDue { amount currency } document { url } }
      nearestDeposits { dueDate amount { amount } variableSymbol supplyPointId }
      reminders { level issueDate amount { amount } fee { amount } }
      quickRequestTypes { code nameCs instant }
    }
  }
}
"""
NOVAK, PEKARNA = "1000012345", "2000034567"
LATENCY_MS = 200


def reset_stats(simulators: dict[str, str]) -> None:
    for name in ("billing", "crm"):
        httpx.delete(f"{simulators[name]}/__sim/stats").raise_for_status()


def stats(simulators: dict[str, str]) -> dict[str, dict[str, int]]:
    return {name: httpx.get(f"{simulators[name]}/__sim/stats").json()["calls"] for name in ("billing", "crm")}


async def overview_of(gql: GraphQLClient, login: str, number: str) -> dict[str, Any]:
    gql.headers.clear()
    await gql.login(login)
    result = await gql.execute(OVERVIEW, {"number": number})
    assert "errors" not in result, result["errors"]
    overview: dict[str, Any] = result["data"]["customer"]["overview"]
    return overview


async def test_novak_sees_the_front_page_in_one_query(gql: GraphQLClient) -> None:
    # when
    overview = await overview_of(gql, "novak", NOVAK)

    # then
    assert overview["number"] == NOVAK
    assert overview["name"] == "Jan Novák"
    assert overview["permanentAddress"]["city"] == "Praha 1"
    assert overview["unreadMessageCount"] == 3
    assert {p["commodity"] for p in overview["supplyPoints"]} == {"ELECTRICITY", "GAS"}
    statuses = [invoice["status"] for invoice in overview["nearestInvoices"]]
    assert "OVERDUE" in statuses
    assert set(statuses) <= {"OVERDUE", "UNPAID", "PARTIALLY_PAID"}
    due_dates = [invoice["dueDate"] for invoice in overview["nearestInvoices"]]
    assert due_dates == sorted(due_dates)
    assert overview["nearestInvoices"][0]["document"]["url"].startswith("/documents/")
    deposit_dates = [deposit["dueDate"] for deposit in overview["nearestDeposits"]]
    assert deposit_dates == sorted(deposit_dates) and 1 <= len(deposit_dates) <= 3
    assert overview["reminders"] and overview["reminders"][0]["level"] >= 1
    quick = overview["quickRequestTypes"]
    assert 0 < len(quick) <= 4
    assert len({entry["code"] for entry in quick}) == len(quick)


async def test_the_overview_costs_the_same_back_end_calls_for_25_supply_points_as_for_2(
    gql: GraphQLClient, simulators: dict[str, str]
) -> None:
    # given: novak has 2 supply points, pekarna 25
    await gql.login("novak")

    # when
    reset_stats(simulators)
    novak = await overview_of(gql, "novak", NOVAK)
    novak_calls = stats(simulators)
    reset_stats(simulators)
    pekarna = await overview_of(gql, "pekarna", PEKARNA)
    pekarna_calls = stats(simulators)

    # then
    assert len(novak["supplyPoints"]) == 2
    assert len(pekarna["supplyPoints"]) == 25
    assert pekarna_calls == novak_calls
    assert sum(novak_calls["billing"].values()) == 3  # open invoices, deposit plans, reminders
    assert sum(novak_calls["crm"].values()) == 4  # customer, supply points, messages, requests
    assert all(count == 1 for calls in novak_calls.values() for count in calls.values())


class InFlight:
    """Wraps an adapter (any object with async methods): counts its calls in flight at once."""

    def __init__(self, adapter: object, counter: InFlightCounter) -> None:
        self._adapter = adapter
        self._counter = counter

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._adapter, name)

        async def counted(*args: Any, **kwargs: Any) -> Any:
            self._counter.now += 1
            self._counter.most = max(self._counter.most, self._counter.now)
            try:
                return await method(*args, **kwargs)
            finally:
                self._counter.now -= 1

        return counted


@dataclass
class InFlightCounter:
    now: int = 0
    most: int = 0


async def test_the_overview_calls_the_back_ends_concurrently(
    settings: Settings, simulators: dict[str, str]
) -> None:
    # given: the real adapters (no cache), each call observed; every back-end call takes 200 ms
    counter = InFlightCounter()
    async with open_backends(settings) as real:
        observed = Backends(
            billing=cast(Any, InFlight(real.billing, counter)),
            crm=cast(Any, InFlight(real.crm, counter)),
            nomination=real.nomination,
        )
        app = create_app(settings, backends=observed)
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://gateway.test") as http,
        ):
            gql = GraphQLClient(http)
            await gql.login("novak")
            set_faults(simulators["billing"], latency_ms=LATENCY_MS)
            set_faults(simulators["crm"], latency_ms=LATENCY_MS)
            reset_stats(simulators)

            # when
            result = await gql.execute(OVERVIEW, {"number": NOVAK})

    # then: the seven calls were all in flight at once, not one after another
    assert "errors" not in result
    calls = sum(sum(c.values()) for c in stats(simulators).values())
    assert calls == 7
    assert counter.most == calls


async def test_a_delegate_sees_the_parts_its_scopes_allow(gql: GraphQLClient) -> None:
    # given: poradce holds VIEW_BILLING on novak's number, nothing more
    await gql.login("poradce")

    # when
    result = await gql.execute(OVERVIEW, {"number": NOVAK})

    # then: billing parts arrive; the inbox and supply points answer FORBIDDEN
    overview = result["data"]["customer"]["overview"]
    assert overview["nearestInvoices"]
    assert overview["reminders"]
    assert overview["quickRequestTypes"] is None or overview["quickRequestTypes"]
    assert overview["unreadMessageCount"] is None
    assert overview["supplyPoints"] is None
    paths = {tuple(error["path"][-1:]): error["extensions"]["code"] for error in result["errors"]}
    assert paths[("unreadMessageCount",)] == "FORBIDDEN"
    assert paths[("supplyPoints",)] == "FORBIDDEN"


async def test_a_back_end_down_fails_only_the_parts_that_need_it(
    gql: GraphQLClient, simulators: dict[str, str]
) -> None:
    # given
    await gql.login("novak")
    set_faults(simulators["billing"], mode="down")

    # when
    result = await gql.execute(OVERVIEW, {"number": NOVAK})

    # then
    overview = result["data"]["customer"]["overview"]
    assert overview["name"] == "Jan Novák"
    assert overview["unreadMessageCount"] == 3
    assert overview["nearestInvoices"] is None
    assert set(error_codes(result)) == {"BACKEND_UNAVAILABLE"}
