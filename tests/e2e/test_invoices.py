"""Invoices: paging without gaps or repeats, every filter, limits, isolation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from tests.e2e.client import GraphQLClient, error_codes

INVOICES = """
query Invoices($number: String!, $first: Int, $after: String, $filter: InvoiceFilter) {
  customer(number: $number) {
    invoices(first: $first, after: $after, filter: $filter) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage endCursor }
      edges { cursor node {
        id number variableSymbol issueDate dueDate status supplyPointId
        total { amount currency } amountDue { amount currency }
        document { url }
      } }
    }
  }
}
"""
SUPPLY_POINTS = "query($number: String!) { customer(number: $number) { supplyPoints { id } } }"
NODE = "query($id: ID!) { node(id: $id) { __typename ... on Invoice { number } } }"
PEKARNA = "2000034567"
NOVAK = "1000012345"


async def invoices(gql: GraphQLClient, number: str, **variables: Any) -> dict[str, Any]:
    result = await gql.execute(INVOICES, {"number": number, **variables})
    assert "errors" not in result, result["errors"]
    connection: dict[str, Any] = result["data"]["customer"]["invoices"]
    return connection


async def all_invoices(gql: GraphQLClient, number: str, **variables: Any) -> list[dict[str, Any]]:
    nodes: list[dict[str, Any]] = []
    after = None
    while True:
        page = await invoices(gql, number, first=100, after=after, **variables)
        nodes += [edge["node"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            assert len(nodes) == page["totalCount"]
            return nodes
        after = page["pageInfo"]["endCursor"]


async def test_pekarna_pages_through_over_600_invoices_without_gaps_or_repeats(gql: GraphQLClient) -> None:
    # given
    await gql.login("pekarna")

    # when
    nodes = await all_invoices(gql, PEKARNA)

    # then
    assert len(nodes) > 600
    assert len({node["id"] for node in nodes}) == len(nodes)
    issue_dates = [node["issueDate"] for node in nodes]
    assert issue_dates == sorted(issue_dates, reverse=True)  # newest first
    first = nodes[0]
    assert first["total"]["currency"] == "CZK"
    assert Decimal(first["total"]["amount"]) > 0
    assert first["variableSymbol"].isdigit() and len(first["variableSymbol"]) <= 10


async def test_novak_has_paid_unpaid_and_exactly_one_overdue_invoice(gql: GraphQLClient) -> None:
    await gql.login("novak")

    statuses = [node["status"] for node in await all_invoices(gql, NOVAK)]

    assert "PAID" in statuses
    assert statuses.count("OVERDUE") == 1
    assert {"UNPAID", "PARTIALLY_PAID"} & set(statuses)


async def test_status_filter(gql: GraphQLClient) -> None:
    await gql.login("pekarna")

    paid = await all_invoices(gql, PEKARNA, filter={"status": ["PAID"]})
    everything = await invoices(gql, PEKARNA, first=1)

    assert paid and {node["status"] for node in paid} == {"PAID"}
    assert len(paid) < everything["totalCount"]


async def test_amount_filter(gql: GraphQLClient) -> None:
    await gql.login("pekarna")

    nodes = await all_invoices(gql, PEKARNA, filter={"amountFrom": "1000", "amountTo": "5000"})

    assert nodes
    assert all(Decimal("1000") <= Decimal(node["total"]["amount"]) <= Decimal("5000") for node in nodes)


async def test_due_date_filter(gql: GraphQLClient) -> None:
    await gql.login("pekarna")
    everything = await all_invoices(gql, PEKARNA)
    due_dates = sorted(dt.date.fromisoformat(node["dueDate"]) for node in everything)
    due_from, due_to = due_dates[len(due_dates) // 4], due_dates[len(due_dates) // 2]

    nodes = await all_invoices(
        gql, PEKARNA, filter={"dueFrom": due_from.isoformat(), "dueTo": due_to.isoformat()}
    )

    expected = [
        node["id"] for node in everything if due_from.isoformat() <= node["dueDate"] <= due_to.isoformat()
    ]
    assert sorted(node["id"] for node in nodes) == sorted(expected)


async def test_supply_point_filter(gql: GraphQLClient) -> None:
    await gql.login("pekarna")
    point_id = (await gql.execute(SUPPLY_POINTS, {"number": PEKARNA}))["data"]["customer"]["supplyPoints"][3][
        "id"
    ]

    nodes = await all_invoices(gql, PEKARNA, filter={"supplyPointId": point_id})

    assert nodes
    assert {node["supplyPointId"] for node in nodes} == {point_id}


@pytest.mark.parametrize(
    "variables",
    [
        {"first": 101},
        {"first": -1},
        {"after": "not-a-cursor"},
        {"filter": {"amountFrom": "10", "amountTo": "1"}},
        {"filter": {"supplyPointId": "bm90LWFuLWlk"}},
    ],
)
async def test_bad_paging_or_filter_input_is_bad_user_input(
    gql: GraphQLClient, variables: dict[str, Any]
) -> None:
    await gql.login("novak")

    result = await gql.execute(INVOICES, {"number": NOVAK, **variables})

    assert result["data"]["customer"]["invoices"] is None
    assert error_codes(result) == ["BAD_USER_INPUT"]


async def test_another_customers_invoice_is_not_found_by_node(gql: GraphQLClient) -> None:
    # given
    await gql.login("pekarna")
    foreign_id = (await invoices(gql, PEKARNA, first=1))["edges"][0]["node"]["id"]
    own_id = None
    gql.headers.clear()
    await gql.login("novak")
    own_id = (await invoices(gql, NOVAK, first=1))["edges"][0]["node"]["id"]

    # when
    own = await gql.execute(NODE, {"id": own_id})
    foreign = await gql.execute(NODE, {"id": foreign_id})

    # then
    assert own["data"]["node"]["__typename"] == "Invoice"
    assert foreign["data"] == {"node": None}
    assert error_codes(foreign) == ["NOT_FOUND"]


async def test_a_delegate_with_view_billing_reads_invoices_but_not_supply_points(gql: GraphQLClient) -> None:
    await gql.login("poradce")

    billing = await invoices(gql, NOVAK, first=5)
    points = await gql.execute(SUPPLY_POINTS, {"number": NOVAK})

    assert billing["totalCount"] > 0
    assert points["data"]["customer"]["supplyPoints"] is None
    assert error_codes(points) == ["FORBIDDEN"]
