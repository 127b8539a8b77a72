"""The invoice as a Czech customer reads it, and the meter's readings and consumption, end to end
through the gateway and the simulators (issue 14, items 2 and 3)."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import httpx

from tests.e2e.client import GraphQLClient, error_codes

NOVAK, PEKARNA = "1000012345", "2000034567"
INVOICES = """
query Invoices($number: String!, $first: Int) {
  customer(number: $number) {
    invoices(first: $first) {
      edges { node {
        number kind status issueDate dueDate taxableSupplyDate paidDate
        billingPeriod { start end }
        total { amount } amountDue { amount } netAmount { amount } vatAmount { amount }
        depositsDeducted { amount } balanceDue { amount } overpayment { amount }
        consumption { register startReading endReading quantity unit kwh combustionHeat }
        lines { kind description register quantity unit unitPrice { amount } net { amount } vatRate }
        vatSummary { rate base { amount } vat { amount } total { amount } }
        supplyPoint { code commodity }
      } }
    }
    payments(first: 100) { edges { node { direction amount { amount } variableSymbol date } } }
    depositPlans { items { variableSymbol } nextSettlementDate sipoNumber }
  }
}
"""
METER = """
query Meter($number: String!, $granularity: ConsumptionGranularity!, $first: Int) {
  customer(number: $number) {
    supplyPoints {
      commodity
      readings(first: $first) { totalCount edges { node { date register value unit type } } }
      consumption(granularity: $granularity, first: $first) {
        totalCount
        pageInfo { hasNextPage }
        edges { node { start end kwh estimated registers { register quantity unit kwh } } }
      }
    }
  }
}
"""


def amount(money: dict[str, str] | None) -> Decimal:
    assert money is not None
    return Decimal(money["amount"])


async def novak_invoices(gql: GraphQLClient) -> dict[str, Any]:
    await gql.login("novak")
    result = await gql.execute(INVOICES, {"number": NOVAK, "first": 100})
    assert "errors" not in result, result["errors"]
    customer: dict[str, Any] = result["data"]["customer"]
    return customer


async def test_a_settlement_deducts_the_deposits_paid_and_ends_in_an_amount_due_or_an_overpayment(
    gql: GraphQLClient,
) -> None:
    customer = await novak_invoices(gql)

    invoices = [edge["node"] for edge in customer["invoices"]["edges"]]
    settlements = [inv for inv in invoices if inv["kind"] == "SETTLEMENT"]
    assert settlements
    deposit_vs = {item["variableSymbol"] for plan in customer["depositPlans"] for item in plan["items"]}
    deposits = [p["node"] for p in customer["payments"]["edges"] if p["node"]["variableSymbol"] in deposit_vs]
    for invoice in settlements:
        start, end = (dt.date.fromisoformat(invoice["billingPeriod"][k]) for k in ("start", "end"))
        paid_in_period = sum(
            (
                amount(p["amount"])
                for p in deposits
                if start < dt.date.fromisoformat(p["date"]) <= end + dt.timedelta(days=14)
            ),
            Decimal(0),
        )
        assert amount(invoice["depositsDeducted"]) == paid_in_period > 0
        assert paid_in_period + amount(invoice["balanceDue"]) - amount(invoice["overpayment"]) == amount(
            invoice["total"]
        )
        assert min(amount(invoice["balanceDue"]), amount(invoice["overpayment"])) == 0
        assert invoice["taxableSupplyDate"] == invoice["billingPeriod"]["end"]
        assert invoice["supplyPoint"]["commodity"] == "ELECTRICITY"
        [deducted] = [line for line in invoice["lines"] if line["kind"] == "DEPOSITS"]
        assert amount(deducted["net"]) == -paid_in_period and deducted["vatRate"] is None
        assert {line["kind"] for line in invoice["lines"]} == {
            "ENERGY",
            "DISTRIBUTION",
            "SYSTEM_SERVICES",
            "FEES",
            "DEPOSITS",
        }
    assert all(plan["nextSettlementDate"] for plan in customer["depositPlans"])


async def test_every_invoice_has_lines_a_vat_summary_and_consumption_per_register(gql: GraphQLClient) -> None:
    customer = await novak_invoices(gql)

    for invoice in (edge["node"] for edge in customer["invoices"]["edges"]):
        taxed = [line for line in invoice["lines"] if line["vatRate"] is not None]
        net = sum((amount(line["net"]) for line in taxed), Decimal(0))
        [summary] = invoice["vatSummary"]
        vat = (net * Decimal("0.21")).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        assert (summary["rate"], amount(summary["base"]), amount(summary["vat"])) == (21, net, vat)
        assert amount(invoice["netAmount"]) + amount(invoice["vatAmount"]) == amount(invoice["total"])
        assert amount(summary["total"]) == amount(invoice["total"])
        for line in taxed:
            if line["unitPrice"] is not None:
                expected = Decimal(line["quantity"]) * amount(line["unitPrice"])
                assert amount(line["net"]) == expected.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        for use in invoice["consumption"]:
            assert use["endReading"] - use["startReading"] == use["quantity"]
        if invoice["kind"] == "REGULAR":  # novak's gas: m³ converted to kWh
            [use] = invoice["consumption"]
            assert use["unit"] == "CUBIC_METRE"
            heat = Decimal(use["combustionHeat"])
            assert use["kwh"] == int((use["quantity"] * heat).quantize(Decimal(1), rounding=ROUND_HALF_UP))
            assert invoice["supplyPoint"]["commodity"] == "GAS"
        if invoice["status"] == "PAID" and amount(invoice["balanceDue"]) > 0:
            assert invoice["paidDate"] is not None


async def test_readings_and_monthly_consumption_chart_electricity_and_gas(gql: GraphQLClient) -> None:
    await gql.login("novak")

    result = await gql.execute(METER, {"number": NOVAK, "granularity": "MONTH", "first": 100})

    assert "errors" not in result, result["errors"]
    points = {p["commodity"]: p for p in result["data"]["customer"]["supplyPoints"]}
    for commodity, unit in (("ELECTRICITY", "KWH"), ("GAS", "CUBIC_METRE")):
        readings = [edge["node"] for edge in points[commodity]["readings"]["edges"]]
        assert readings and {r["unit"] for r in readings} == {unit}
        assert {r["type"] for r in readings} <= {"ACTUAL", "SELF_READING", "ESTIMATED"}
        dates = [r["date"] for r in readings]
        assert dates == sorted(dates, reverse=True)
        months = [edge["node"] for edge in points[commodity]["consumption"]["edges"]]
        assert len(months) >= 24
        starts = [m["start"] for m in months]
        assert starts == sorted(starts)  # oldest first, as a chart runs
        assert all(m["kwh"] == sum(r["kwh"] for r in m["registers"]) for m in months)
    gas_months = [edge["node"] for edge in points["GAS"]["consumption"]["edges"]]
    assert not any(m["estimated"] for m in gas_months)  # billed monthly from monthly readings
    winter = [m["kwh"] for m in gas_months if m["start"][5:7] in ("01", "02")]
    summer = [m["kwh"] for m in gas_months if m["start"][5:7] in ("07", "08")]
    assert min(winter) > max(summer)


async def test_consumption_per_billing_period_matches_the_invoices(gql: GraphQLClient) -> None:
    customer = await novak_invoices(gql)
    result = await gql.execute(METER, {"number": NOVAK, "granularity": "BILLING_PERIOD", "first": 100})

    assert "errors" not in result, result["errors"]
    points = {p["commodity"]: p for p in result["data"]["customer"]["supplyPoints"]}
    periods = {
        (node["start"], node["end"]): node["kwh"]
        for node in (edge["node"] for edge in points["ELECTRICITY"]["consumption"]["edges"])
    }
    settlements = [e["node"] for e in customer["invoices"]["edges"] if e["node"]["kind"] == "SETTLEMENT"]
    assert settlements
    for invoice in settlements:
        key = (invoice["billingPeriod"]["start"], invoice["billingPeriod"]["end"])
        assert periods[key] == sum(use["kwh"] for use in invoice["consumption"])


async def test_another_customers_readings_are_not_found(gql: GraphQLClient) -> None:
    await gql.login("svobodova")

    result = await gql.execute(METER, {"number": NOVAK, "granularity": "MONTH", "first": 1})

    assert result["data"] == {"customer": None} or result["data"] is None
    assert error_codes(result) == ["NOT_FOUND"]


PAGE_OF_LINES = """
query Lines($number: String!) {
  customer(number: $number) {
    invoices(first: 40) { edges { node { number kind lines { kind net { amount } } } } }
  }
}
"""
PAGE_OF_HEADERS = """
query Headers($number: String!) {
  customer(number: $number) { invoices(first: 40) { edges { node { number total { amount } } } } }
}
"""


def billing_calls(simulators: dict[str, str]) -> dict[str, int]:
    calls: dict[str, int] = httpx.get(f"{simulators['billing']}/__sim/stats").json()["calls"]
    return calls


async def test_forty_invoices_lines_cost_one_detail_call_and_a_list_without_them_none(
    gql: GraphQLClient, simulators: dict[str, str]
) -> None:
    # given
    await gql.login("pekarna")
    httpx.delete(f"{simulators['billing']}/__sim/stats")

    # when
    headers = await gql.execute(PAGE_OF_HEADERS, {"number": PEKARNA})
    after_headers = billing_calls(simulators)
    with_lines = await gql.execute(PAGE_OF_LINES, {"number": PEKARNA})

    # then
    assert "errors" not in headers and "errors" not in with_lines
    assert "GetInvoiceDetail" not in after_headers
    assert billing_calls(simulators)["GetInvoiceDetail"] == 1  # one batch for the page: no N+1
    nodes = [edge["node"] for edge in with_lines["data"]["customer"]["invoices"]["edges"]]
    assert len(nodes) == 40
    assert all(node["kind"] == "REGULAR" and node["lines"] for node in nodes)
