"""``nodes(ids:)``: many objects at once, each ID authorised on its own; what the viewer cannot
see is null, never an error that would confirm it exists."""

from __future__ import annotations

from typing import Any

from tests.e2e.client import GraphQLClient, error_codes

NOVAK, SVOBODOVA = "1000012345", "1000023456"
IDS = """
query Ids($n: String!) {
  customer(number: $n) {
    id
    supplyPointConnection(first: 1) { edges { node { id } } }
    invoices(first: 1) { edges { node { id } } }
  }
}
"""
NODES = """
query Nodes($ids: [ID!]!) {
  nodes(ids: $ids) {
    __typename id
    ... on SupplyPoint { code }
    ... on Invoice { number }
  }
}
"""
NODE = "query Node($id: ID!) { node(id: $id) { id } }"


async def _ids(gql: GraphQLClient, login: str, number: str) -> dict[str, str]:
    await gql.login(login)
    customer = (await gql.execute(IDS, {"n": number}))["data"]["customer"]
    gql.headers.clear()
    return {
        "customer": customer["id"],
        "point": customer["supplyPointConnection"]["edges"][0]["node"]["id"],
        "invoice": customer["invoices"]["edges"][0]["node"]["id"],
    }


async def _nodes(gql: GraphQLClient, ids: list[str]) -> dict[str, Any]:
    return await gql.execute(NODES, {"ids": ids})


async def test_own_objects_in_order_and_foreign_missing_or_malformed_ones_as_null(gql: GraphQLClient) -> None:
    # given
    foreign = await _ids(gql, "svobodova", SVOBODOVA)
    own = await _ids(gql, "novak", NOVAK)
    await gql.login("novak")
    ids = [
        own["point"],
        foreign["point"],
        own["invoice"],
        foreign["customer"],
        "bm90LWFuLWlk",
        "U3VwcGx5UG9pbnQ6OTk5OTk5OTk5",  # SupplyPoint:999999999, no such point
        own["point"],
    ]

    # when
    result = await _nodes(gql, ids)

    # then
    assert "errors" not in result, result
    found = result["data"]["nodes"]
    assert [node and node["__typename"] for node in found] == [
        "SupplyPoint",
        None,
        "Invoice",
        None,
        None,
        None,
        "SupplyPoint",
    ]
    assert found[0]["id"] == own["point"] == found[6]["id"]
    assert found[2]["id"] == own["invoice"]


async def test_a_delegate_sees_in_scope_objects_and_null_for_the_rest(gql: GraphQLClient) -> None:
    # given: poradce holds VIEW_BILLING on novak's number, not VIEW_SUPPLY_POINTS
    own = await _ids(gql, "novak", NOVAK)
    await gql.login("poradce")

    # when
    many = await _nodes(gql, [own["invoice"], own["point"]])
    one = await gql.execute(NODE, {"id": own["point"]})

    # then: node(id:) says FORBIDDEN for the same object; nodes does not
    assert "errors" not in many, many
    assert [node and node["__typename"] for node in many["data"]["nodes"]] == ["Invoice", None]
    assert error_codes(one) == ["FORBIDDEN"]


async def test_more_than_100_ids_is_the_clients_error(gql: GraphQLClient) -> None:
    own = await _ids(gql, "novak", NOVAK)
    await gql.login("novak")

    at_cap = await _nodes(gql, [own["invoice"]] * 100)
    over = await _nodes(gql, [own["invoice"]] * 101)

    assert "errors" not in at_cap and len(at_cap["data"]["nodes"]) == 100
    assert error_codes(over) == ["BAD_USER_INPUT"]
    assert over["data"] is None or over["data"]["nodes"] is None


async def test_anonymous_is_asked_to_log_in(gql: GraphQLClient) -> None:
    result = await _nodes(gql, ["bm90LWFuLWlk"])

    assert error_codes(result) == ["UNAUTHENTICATED"]
