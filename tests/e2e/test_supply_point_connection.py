"""``Customer.supplyPointConnection``: the supply points filtered and paged, from the same CRM
read as the deprecated ``supplyPoints`` list."""

from __future__ import annotations

import unicodedata
from typing import Any

import httpx

from tests.e2e.client import GraphQLClient, error_codes

PEKARNA, NOVAK = "2000034567", "1000012345"
EVERY = """
query Every($n: String!) {
  customer(number: $n) {
    supplyPoints { code commodity contractType address { street houseNumber city postcode } }
  }
}
"""
PAGE = """
query Page($n: String!, $filter: SupplyPointFilter, $first: Int, $after: String) {
  customer(number: $n) {
    supplyPointConnection(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage endCursor }
      edges { cursor node { id code commodity contractType } }
    }
  }
}
"""


def _fold(text: str) -> str:
    return "".join(
        c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c) and c != " "
    )


async def _every(gql: GraphQLClient, number: str) -> list[dict[str, Any]]:
    result = await gql.execute(EVERY, {"n": number})
    assert "errors" not in result, result
    points: list[dict[str, Any]] = result["data"]["customer"]["supplyPoints"]
    return points


async def _page(gql: GraphQLClient, number: str, **variables: Any) -> dict[str, Any]:
    result = await gql.execute(PAGE, {"n": number, **variables})
    assert "errors" not in result, result
    page: dict[str, Any] = result["data"]["customer"]["supplyPointConnection"]
    return page


def _codes(page: dict[str, Any]) -> list[str]:
    return [edge["node"]["code"] for edge in page["edges"]]


async def test_pages_of_a_business_customer_cover_every_supply_point_once_by_code(gql: GraphQLClient) -> None:
    # given
    await gql.login("pekarna")
    every = sorted(point["code"] for point in await _every(gql, PEKARNA))

    # when
    first = await _page(gql, PEKARNA, first=10)
    second = await _page(gql, PEKARNA, first=10, after=first["pageInfo"]["endCursor"])
    last = await _page(gql, PEKARNA, first=10, after=second["pageInfo"]["endCursor"])

    # then
    assert len(every) == 25
    assert first["totalCount"] == 25
    assert _codes(first) + _codes(second) + _codes(last) == every
    assert (first["pageInfo"]["hasNextPage"], first["pageInfo"]["hasPreviousPage"]) == (True, False)
    assert (last["pageInfo"]["hasNextPage"], last["pageInfo"]["hasPreviousPage"]) == (False, True)
    assert len(_codes(last)) == 5


async def test_each_filter_selects_what_the_whole_list_holds(gql: GraphQLClient) -> None:
    # given
    await gql.login("pekarna")
    every = await _every(gql, PEKARNA)
    some = every[7]
    city, code_part = some["address"]["city"], some["code"][-6:]
    cases: list[tuple[dict[str, Any], list[str]]] = [
        ({"commodity": ["GAS"]}, [p["code"] for p in every if p["commodity"] == "GAS"]),
        ({"commodity": ["ELECTRICITY", "GAS"]}, [p["code"] for p in every]),
        (
            {"contractType": ["SUPPLY_ONLY"], "commodity": ["ELECTRICITY"]},
            [
                p["code"]
                for p in every
                if p["contractType"] == "SUPPLY_ONLY" and p["commodity"] == "ELECTRICITY"
            ],
        ),
        (
            {"code": f" {code_part[:3]} {code_part[3:]} "},
            [p["code"] for p in every if code_part in p["code"]],
        ),
        (
            {"addressText": _fold(city).upper()},
            [p["code"] for p in every if _fold(city) in _fold(p["address"]["city"] + p["address"]["street"])],
        ),
        ({"addressText": "no such street anywhere"}, []),
    ]

    gas = cases[0][1]
    assert 0 < len(gas) < len(every), "pekarna has both commodities"
    for filter, expected in cases:
        # when
        page = await _page(gql, PEKARNA, filter=filter, first=100)

        # then
        assert _codes(page) == sorted(expected), filter
        assert page["totalCount"] == len(expected), filter
    assert some["code"] in _codes(await _page(gql, PEKARNA, filter={"code": code_part}))


async def test_the_list_and_the_connection_share_one_crm_read(
    gql: GraphQLClient, simulators: dict[str, str]
) -> None:
    # given
    await gql.login("novak")
    httpx.delete(f"{simulators['crm']}/__sim/stats").raise_for_status()
    both = """
    query Both($n: String!) {
      customer(number: $n) {
        supplyPoints { code }
        gas: supplyPointConnection(filter: {commodity: [GAS]}) { totalCount }
        all: supplyPointConnection { edges { node { code } } }
      }
    }
    """

    # when
    result = await gql.execute(both, {"n": NOVAK})
    calls: dict[str, int] = httpx.get(f"{simulators['crm']}/__sim/stats").json()["calls"]

    # then
    customer = result["data"]["customer"]
    assert customer["gas"]["totalCount"] == 1
    assert sorted(p["code"] for p in customer["supplyPoints"]) == [
        e["node"]["code"] for e in customer["all"]["edges"]
    ]
    supply_point_reads = {name: n for name, n in calls.items() if "supply" in name.lower()}
    assert sum(supply_point_reads.values()) == 1, calls


async def test_a_delegate_without_view_supply_points_is_forbidden_the_connection(gql: GraphQLClient) -> None:
    await gql.login("poradce")

    result = await gql.execute(PAGE, {"n": NOVAK})

    assert result["data"]["customer"]["supplyPointConnection"] is None
    assert error_codes(result) == ["FORBIDDEN"]


async def test_first_beyond_100_is_the_clients_error(gql: GraphQLClient) -> None:
    await gql.login("pekarna")

    result = await gql.execute(PAGE, {"n": PEKARNA, "first": 101})

    assert error_codes(result) == ["BAD_USER_INPUT"]
