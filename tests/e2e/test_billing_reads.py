"""Deposit plans, payments and reminders, and what a supply point offers, read live from the simulators."""

from __future__ import annotations

from typing import Any

from tests.e2e.client import GraphQLClient, error_codes

NOVAK, SVOBODOVA = "1000012345", "1000023456"
BILLING = """
query Billing($number: String!, $direction: PaymentDirection, $first: Int) {
  customer(number: $number) {
    depositPlans {
      id supplyPointId frequency paymentMethod bankAccount minimumAmount { amount }
      items { dueDate amount { amount currency } paid variableSymbol }
      nextItem { dueDate }
      supplyPoint { id code }
    }
    payments(filter: {direction: $direction}, first: $first) {
      totalCount pageInfo { hasNextPage endCursor }
      edges { node { id direction date amount { amount } method invoice { number } } }
    }
    reminders {
      totalCount edges { node { id level issueDate amount { amount } fee { amount } invoices { status } } }
    }
  }
}
"""
NODE = "query Node($id: ID!) { node(id: $id) { id __typename } }"
OFFERS = """
query Offers($number: String!) {
  customer(number: $number) {
    supplyPoints { commodity contractType offers requestTypes { code instant } depositPlan { paymentMethod } }
  }
}
"""


async def billing_of(gql: GraphQLClient, number: str, **variables: Any) -> dict[str, Any]:
    result = await gql.execute(BILLING, {"number": number, **variables})
    assert "errors" not in result, result["errors"]
    customer: dict[str, Any] = result["data"]["customer"]
    return customer


async def test_novak_has_a_deposit_plan_for_electricity_and_none_for_monthly_billed_gas(
    gql: GraphQLClient,
) -> None:
    await gql.login("novak")

    plans = (await billing_of(gql, NOVAK))["depositPlans"]

    assert len(plans) == 1
    assert plans[0]["supplyPoint"]["code"].startswith("859182400")  # an EAN: electricity
    for plan in plans:
        assert plan["supplyPoint"]["id"] == plan["supplyPointId"]
        dates = [item["dueDate"] for item in plan["items"]]
        assert dates == sorted(dates) and len(dates) in (4, 12)
        assert all(float(item["amount"]["amount"]) > 0 for item in plan["items"])
        unpaid = [item["dueDate"] for item in plan["items"] if not item["paid"]]
        assert plan["nextItem"] == ({"dueDate": unpaid[0]} if unpaid else None)


async def test_payments_are_received_and_sent_newest_first_and_filterable(gql: GraphQLClient) -> None:
    await gql.login("novak")

    everything = (await billing_of(gql, NOVAK, first=100))["payments"]
    refunds = (await billing_of(gql, NOVAK, direction="SENT", first=100))["payments"]

    directions = {edge["node"]["direction"] for edge in everything["edges"]}
    assert directions == {"RECEIVED", "SENT"}
    dates = [edge["node"]["date"] for edge in everything["edges"]]
    assert dates == sorted(dates, reverse=True)
    assert {edge["node"]["direction"] for edge in refunds["edges"]} == {"SENT"}
    assert 0 < refunds["totalCount"] < everything["totalCount"]
    # a refund pays back a settlement's overpayment; deposits paid are payments without an invoice
    assert all(edge["node"]["invoice"]["number"].startswith("VY") for edge in refunds["edges"])
    assert any(
        edge["node"]["direction"] == "RECEIVED" and edge["node"]["invoice"] is None
        for edge in everything["edges"]
    )


async def test_payments_page_with_cursors_and_cap_first_at_100(gql: GraphQLClient) -> None:
    await gql.login("pekarna")

    page = (await billing_of(gql, "2000034567", first=1))["payments"]
    too_many = await gql.execute(BILLING, {"number": "2000034567", "first": 101})

    assert len(page["edges"]) == 1 and page["pageInfo"]["hasNextPage"] is True
    assert page["totalCount"] > 1
    assert "BAD_USER_INPUT" in error_codes(too_many)


async def test_novaks_reminder_concerns_its_overdue_invoice(gql: GraphQLClient) -> None:
    await gql.login("novak")

    reminders = (await billing_of(gql, NOVAK))["reminders"]

    assert reminders["totalCount"] >= 1
    reminder = reminders["edges"][0]["node"]
    assert reminder["level"] == 1
    assert float(reminder["fee"]["amount"]) > 0
    assert [invoice["status"] for invoice in reminder["invoices"]] == ["OVERDUE"]


async def test_billing_objects_are_nodes_and_foreign_ones_are_not_found(gql: GraphQLClient) -> None:
    # given
    await gql.login("novak")
    customer = await billing_of(gql, NOVAK)
    ids = [
        customer["depositPlans"][0]["id"],
        customer["payments"]["edges"][0]["node"]["id"],
        customer["reminders"]["edges"][0]["node"]["id"],
    ]

    # when
    own = [await gql.execute(NODE, {"id": id}) for id in ids]
    gql.headers.clear()
    await gql.login("svobodova")
    foreign = [await gql.execute(NODE, {"id": id}) for id in ids]

    # then
    assert [r["data"]["node"]["__typename"] for r in own] == ["DepositPlan", "Payment", "Reminder"]
    for result in foreign:
        assert result["data"] == {"node": None}
        assert error_codes(result) == ["NOT_FOUND"]


async def test_the_contract_type_decides_what_a_supply_point_offers(gql: GraphQLClient) -> None:
    # given
    await gql.login("novak")
    novak = (await gql.execute(OFFERS, {"number": NOVAK}))["data"]["customer"]["supplyPoints"]
    gql.headers.clear()
    await gql.login("svobodova")
    svobodova = (await gql.execute(OFFERS, {"number": SVOBODOVA}))["data"]["customer"]["supplyPoints"]

    # then
    points = {p["commodity"]: p for p in novak}
    electricity_codes = {t["code"] for t in points["ELECTRICITY"]["requestTypes"]}
    gas_codes = {t["code"] for t in points["GAS"]["requestTypes"]}
    (supply_only,) = svobodova
    supply_only_codes = {t["code"] for t in supply_only["requestTypes"]}
    assert {"SELF_READING", "BREAKER_OR_TARIFF_CHANGE", "DEPOSIT_CHANGE"} <= electricity_codes
    assert "SELF_READING" in gas_codes and "BREAKER_OR_TARIFF_CHANGE" not in gas_codes
    assert supply_only["contractType"] == "SUPPLY_ONLY"
    assert "TECHNICAL_DATA" not in supply_only["offers"]
    assert {"SELF_READING", "BREAKER_OR_TARIFF_CHANGE"}.isdisjoint(supply_only_codes)
    assert {"DEPOSIT_CHANGE", "PRODUCT_CHANGE", "TERMINATION", "FREE_TEXT"} <= supply_only_codes
    assert supply_only["depositPlan"]["paymentMethod"]


async def test_a_delegate_with_view_billing_reads_billing_but_not_supply_points(gql: GraphQLClient) -> None:
    await gql.login("poradce")

    result = await gql.execute(BILLING, {"number": NOVAK})

    customer = result["data"]["customer"]
    assert len(customer["depositPlans"]) == 1
    assert all(plan["supplyPoint"] is None for plan in customer["depositPlans"])
    assert set(error_codes(result)) == {"FORBIDDEN"}
