"""``staff { overdueInvoices receivables }``: finance's worklists, checked against what each
customer's own invoices say through the portal's ``customer { invoices }``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from fixtures import personas
from gateway.store import audit
from gateway.store.db import transaction
from gateway.store.models import ActorKind
from tests.e2e.client import GraphQLClient, error_codes, set_faults

OVERDUE = """
query Overdue($filter: OverdueInvoiceFilter, $orderBy: OverdueInvoiceOrder, $first: Int, $after: String) {
  staff { overdueInvoices(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
    totalCount totalAmountDue { amount currency }
    pageInfo { hasNextPage hasPreviousPage endCursor }
    edges { cursor node {
      customerNumber customerName segment dueDate daysOverdue amountDue { amount currency }
      invoice { id number status dueDate amountDue { amount } }
      customer { number name segment }
    } }
  } }
}
"""
NUMBERS_ONLY = """
query Overdue {
  staff { overdueInvoices(first: 5, orderBy: AMOUNT_ASC) { edges { node { customerNumber } } } }
}
"""
INVOICES = """
query Invoices($number: String!, $after: String) {
  customer(number: $number) {
    segment
    invoices(first: 100, after: $after) {
      totalCount pageInfo { hasNextPage endCursor }
      edges { node { id status dueDate total { amount } amountDue { amount } } }
    }
  }
}
"""
RECEIVABLES = """
query Receivables {
  staff { receivables {
    asOf
    total { ...summary }
    bySegment { segment summary { ...summary } }
  } }
}
fragment summary on ReceivablesSummary {
  outstanding { amount } overdue { amount } overdueCount
  byStatus { status count amount { amount } amountDue { amount } }
  aging { bucket count amount { amount } }
}
"""
BUCKETS = {"DAYS_1_30": (1, 30), "DAYS_31_60": (31, 60), "DAYS_61_90": (61, 90), "DAYS_OVER_90": (91, 10**6)}


@pytest.fixture
def staff(gql: GraphQLClient) -> GraphQLClient:
    gql.headers["X-API-Key"] = "demo-staff-key"
    return gql


async def every_invoice(staff: GraphQLClient) -> dict[str, tuple[str, list[dict[str, Any]]]]:
    """Each persona's segment and invoices, as the portal's ``customer { invoices }`` pages them."""
    found: dict[str, tuple[str, list[dict[str, Any]]]] = {}
    for number in personas.ALL:
        nodes: list[dict[str, Any]] = []
        after = None
        while True:
            result = await staff.execute(INVOICES, {"number": number, "after": after})
            assert error_codes(result) == []
            customer = result["data"]["customer"]
            nodes += [edge["node"] for edge in customer["invoices"]["edges"]]
            if not customer["invoices"]["pageInfo"]["hasNextPage"]:
                break
            after = customer["invoices"]["pageInfo"]["endCursor"]
        assert len(nodes) == customer["invoices"]["totalCount"]
        found[number] = (customer["segment"], nodes)
    return found


async def walk(
    staff: GraphQLClient, first: int, **variables: Any
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Every page of the worklist; the nodes, and the first page's connection."""
    nodes: list[dict[str, Any]] = []
    after = None
    first_page = None
    while True:
        result = await staff.execute(OVERDUE, {"first": first, "after": after, **variables})
        assert error_codes(result) == [], result
        connection = result["data"]["staff"]["overdueInvoices"]
        first_page = first_page or connection
        assert len(connection["edges"]) <= first
        nodes += [edge["node"] for edge in connection["edges"]]
        if not connection["pageInfo"]["hasNextPage"]:
            break
        after = connection["pageInfo"]["endCursor"]
    assert len(nodes) == first_page["totalCount"]
    return nodes, first_page


async def as_of(staff: GraphQLClient) -> dt.date:
    result = await staff.execute(RECEIVABLES)
    return dt.date.fromisoformat(result["data"]["staff"]["receivables"]["asOf"])


def amount(money: dict[str, str]) -> Decimal:
    return Decimal(money["amount"])


async def test_the_worklist_pages_through_every_customers_overdue_invoices(staff: GraphQLClient) -> None:
    # given: the overdue invoices each customer's own list shows
    books = await every_invoice(staff)
    expected = {
        node["id"]: (number, node)
        for number, (_, nodes) in books.items()
        for node in nodes
        if node["status"] == "OVERDUE"
    }
    today = await as_of(staff)

    # when
    nodes, first_page = await walk(staff, 3)

    # then: the same invoices, with the same amounts due, longest overdue first
    assert sorted(node["invoice"]["id"] for node in nodes) == sorted(expected)
    for node in nodes:
        number, invoice = expected[node["invoice"]["id"]]
        assert node["customerNumber"] == node["customer"]["number"] == number
        assert node["customerName"] == node["customer"]["name"]
        assert node["segment"] == node["customer"]["segment"] == books[number][0]
        assert node["amountDue"] == {"amount": invoice["amountDue"]["amount"], "currency": "CZK"}
        assert node["invoice"]["amountDue"] == invoice["amountDue"]
        assert node["dueDate"] == node["invoice"]["dueDate"] == invoice["dueDate"]
        assert node["daysOverdue"] == (today - dt.date.fromisoformat(invoice["dueDate"])).days > 0
    days = [node["daysOverdue"] for node in nodes]
    assert days == sorted(days, reverse=True)
    assert {node["segment"] for node in nodes} == {"HOUSEHOLD", "BUSINESS", "LARGE"}
    assert amount(first_page["totalAmountDue"]) == sum(
        (amount(invoice["amountDue"]) for _, invoice in expected.values()), Decimal(0)
    )
    assert not first_page["pageInfo"]["hasPreviousPage"] and first_page["pageInfo"]["hasNextPage"]


@pytest.mark.parametrize(
    ("order", "field", "descending"),
    [
        ("AMOUNT_DESC", "amountDue", True),
        ("AMOUNT_ASC", "amountDue", False),
        ("DAYS_OVERDUE_ASC", "daysOverdue", False),
    ],
)
async def test_each_order_sorts_across_pages(
    staff: GraphQLClient, order: str, field: str, descending: bool
) -> None:
    nodes, _ = await walk(staff, 4, orderBy=order)

    values = [amount(node[field]) if field == "amountDue" else node[field] for node in nodes]
    assert values == sorted(values, reverse=descending)
    assert len({node["invoice"]["id"] for node in nodes}) == len(nodes)  # no page repeats another


async def test_filters_total_count_and_total_amount_due(staff: GraphQLClient) -> None:
    everything, _ = await walk(staff, 100)

    cases: list[tuple[dict[str, Any], Callable[[dict[str, Any]], bool]]] = [
        ({"minDaysOverdue": 31, "maxDaysOverdue": 90}, lambda n: 31 <= n["daysOverdue"] <= 90),
        ({"segment": "BUSINESS"}, lambda n: n["segment"] == "BUSINESS"),
        ({"minAmount": "20000"}, lambda n: amount(n["amountDue"]) >= 20000),
        (
            {"segment": "LARGE", "minDaysOverdue": 91},
            lambda n: n["segment"] == "LARGE" and n["daysOverdue"] > 90,
        ),
    ]
    for filter, holds in cases:
        nodes, page = await walk(staff, 100, filter=filter)
        wanted = [node for node in everything if holds(node)]
        assert wanted and len(wanted) < len(everything), filter
        assert sorted(node["invoice"]["id"] for node in nodes) == sorted(
            node["invoice"]["id"] for node in wanted
        )
        assert page["totalCount"] == len(wanted)
        assert amount(page["totalAmountDue"]) == sum(
            (amount(node["amountDue"]) for node in wanted), Decimal(0)
        )


async def test_the_receivables_are_the_sums_of_the_customers_invoices(staff: GraphQLClient) -> None:
    books = await every_invoice(staff)

    result = await staff.execute(RECEIVABLES)

    assert error_codes(result) == []
    receivables = result["data"]["staff"]["receivables"]
    today = dt.date.fromisoformat(receivables["asOf"])
    parts = [(None, receivables["total"])] + [(s["segment"], s["summary"]) for s in receivables["bySegment"]]
    assert [segment for segment, _ in parts] == [None, "HOUSEHOLD", "BUSINESS", "LARGE"]
    for segment, summary in parts:
        mine = [node for seg, nodes in books.values() if segment in (None, seg) for node in nodes]
        overdue = [node for node in mine if node["status"] == "OVERDUE"]
        assert amount(summary["outstanding"]) == sum((amount(n["amountDue"]) for n in mine), Decimal(0))
        assert amount(summary["overdue"]) == sum((amount(n["amountDue"]) for n in overdue), Decimal(0))
        assert summary["overdueCount"] == len(overdue)
        for total in summary["byStatus"]:
            of_status = [n for n in mine if n["status"] == total["status"]]
            assert total["count"] == len(of_status)
            assert amount(total["amount"]) == sum((amount(n["total"]) for n in of_status), Decimal(0))
            assert amount(total["amountDue"]) == sum((amount(n["amountDue"]) for n in of_status), Decimal(0))
        assert [aging["bucket"] for aging in summary["aging"]] == list(BUCKETS)
        for aging in summary["aging"]:
            low, high = BUCKETS[aging["bucket"]]
            inside = [n for n in overdue if low <= (today - dt.date.fromisoformat(n["dueDate"])).days <= high]
            assert aging["count"] == len(inside)
            assert amount(aging["amount"]) == sum((amount(n["amountDue"]) for n in inside), Decimal(0))
    assert all(aging["count"] > 0 for aging in receivables["total"]["aging"])  # every bar of the chart


@pytest.mark.parametrize(
    ("filter", "message"),
    [
        ({"minDaysOverdue": -1}, "`minDaysOverdue` must not be negative."),
        ({"maxDaysOverdue": -5}, "`maxDaysOverdue` must not be negative."),
        ({"minDaysOverdue": 61, "maxDaysOverdue": 60}, "`minDaysOverdue` is greater than `maxDaysOverdue`."),
        ({"minAmount": "-0.01"}, "`minAmount` must not be negative."),
    ],
)
async def test_a_bad_filter_is_bad_user_input_and_never_reaches_billing(
    staff: GraphQLClient, simulators: dict[str, str], filter: dict[str, Any], message: str
) -> None:
    httpx.delete(f"{simulators['billing']}/__sim/stats").raise_for_status()

    result = await staff.execute(OVERDUE, {"filter": filter})

    assert error_codes(result) == ["BAD_USER_INPUT"]
    assert result["errors"][0]["message"] == message
    assert result["data"]["staff"] is None
    calls = httpx.get(f"{simulators['billing']}/__sim/stats").json()["calls"]
    assert "GetOverdueInvoices" not in calls


async def test_a_bad_filter_is_said_in_czech(staff: GraphQLClient) -> None:
    staff.headers["Accept-Language"] = "cs"

    result = await staff.execute(OVERDUE, {"filter": {"minDaysOverdue": 10, "maxDaysOverdue": 5}})

    assert result["errors"][0]["message"] == "`minDaysOverdue` je větší než `maxDaysOverdue`."


async def test_every_customer_on_the_page_is_audited_and_the_summary_names_none(
    staff: GraphQLClient, app: Starlette
) -> None:
    # when: a page of the worklist (its customer numbers only: neither invoice nor customer
    # is read), then the summary alone
    result = await staff.execute(NUMBERS_ONLY)
    on_page = {edge["node"]["customerNumber"] for edge in result["data"]["staff"]["overdueInvoices"]["edges"]}
    summary = await staff.execute(RECEIVABLES)

    # then
    assert error_codes(result) == error_codes(summary) == []
    async with transaction(app.state.services.store) as db:
        entries = await audit.list_audit(db, actor_kind=ActorKind.STAFF)
    assert on_page
    assert sorted((e.customer_number, e.action, (e.detail or {})["operation"]) for e in entries) == sorted(
        (number, "staff_read", "Overdue") for number in on_page
    )


async def test_billing_down_is_backend_unavailable(staff: GraphQLClient, simulators: dict[str, str]) -> None:
    set_faults(simulators["billing"], mode="down")

    for document in (OVERDUE, RECEIVABLES):
        result = await staff.execute(document)

        assert result["data"]["staff"] is None
        (error,) = result["errors"]
        assert error["extensions"] == {"code": "BACKEND_UNAVAILABLE", "retryable": True, "backend": "billing"}
