"""A supply point's meter and registers, correspondence, billing details and expected consumption."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx

from tests.e2e.client import GraphQLClient

DETAILS = """
query SupplyPointDetails($number: String!) {
  customer(number: $number) {
    supplyPoints {
      code commodity contractType expectedAnnualConsumptionKwh
      technical {
        ... on ElectricityTechnicalData { distributionTariff meterNumber lastReadingDate nextReadingDate }
        ... on GasTechnicalData { meterNumber lastReadingDate }
      }
      meter { number registers { code kind lastReadingKwh lastReadingDate } }
      correspondence { address { street houseNumber city postcode } invoiceDelivery eInvoiceEmail }
      billingDetails { cycle billingMonth invoiceRecipient }
    }
  }
}
"""


async def supply_points(gql: GraphQLClient, login: str, number: str) -> list[dict[str, Any]]:
    await gql.login(login)
    result = await gql.execute(DETAILS, {"number": number})
    assert "errors" not in result, result["errors"]
    points: list[dict[str, Any]] = result["data"]["customer"]["supplyPoints"]
    return points


async def test_novaks_single_tariff_electricity_has_one_register_read_on_the_last_reading_date(
    gql: GraphQLClient,
) -> None:
    # given / when
    electricity, gas = await supply_points(gql, "novak", "1000012345")

    # then
    assert electricity["technical"]["distributionTariff"] == "D02d"
    assert electricity["expectedAnnualConsumptionKwh"] == 3150
    meter = electricity["meter"]
    assert meter["number"] == electricity["technical"]["meterNumber"]
    (register,) = meter["registers"]
    assert (register["code"], register["kind"]) == ("1.8.0", "SINGLE")
    assert register["lastReadingKwh"] > 3150
    assert register["lastReadingDate"] == electricity["technical"]["lastReadingDate"]
    assert dt.date.fromisoformat(register["lastReadingDate"]) < dt.date.fromisoformat(
        electricity["technical"]["nextReadingDate"]
    )
    assert gas["meter"]["registers"][0]["kind"] == "SINGLE"
    assert gas["expectedAnnualConsumptionKwh"] == 11200


async def test_novaks_correspondence_and_billing_details(gql: GraphQLClient) -> None:
    electricity, _gas = await supply_points(gql, "novak", "1000012345")

    assert electricity["correspondence"] == {
        "address": {"street": "Vodičkova", "houseNumber": "12", "city": "Praha 1", "postcode": "110 00"},
        "invoiceDelivery": "EMAIL",
        "eInvoiceEmail": "jan.novak@example.cz",
    }
    billing = electricity["billingDetails"]
    assert (billing["cycle"], billing["invoiceRecipient"]) == ("YEARLY", "Jan Novák")
    assert billing["billingMonth"] == dt.date.fromisoformat(electricity["technical"]["lastReadingDate"]).month


async def test_a_dual_tariff_point_has_high_and_low_tariff_registers(
    gql: GraphQLClient, simulators: dict[str, str]
) -> None:
    # given: pekarna's 25 supply points, and a CRM that counts calls
    httpx.delete(f"{simulators['crm']}/__sim/stats").raise_for_status()

    # when
    points = await supply_points(gql, "pekarna", "2000034567")

    # then
    dual = [p for p in points if (p["technical"] or {}).get("distributionTariff") == "C25d"]
    assert dual
    for point in dual:
        high, low = point["meter"]["registers"]
        assert (high["code"], high["kind"]) == ("1.8.1", "HIGH_TARIFF")
        assert (low["code"], low["kind"]) == ("1.8.2", "LOW_TARIFF")
        assert high["lastReadingDate"] == low["lastReadingDate"] == point["technical"]["lastReadingDate"]
    single = [p for p in points if (p["technical"] or {}).get("distributionTariff") == "C02d"]
    assert single
    assert all([r["kind"] for r in p["meter"]["registers"]] == ["SINGLE"] for p in single)
    # the details come with the supply points batch: no call per supply point
    calls = httpx.get(f"{simulators['crm']}/__sim/stats").json()["calls"]
    assert calls.get("GetCustomerSupplyPoints") == 1
    assert "GetSupplyPoints" not in calls


async def test_svobodovas_supply_only_point_has_consumption_and_correspondence_but_no_meter(
    gql: GraphQLClient,
) -> None:
    (point,) = await supply_points(gql, "svobodova", "1000023456")

    assert point["contractType"] == "SUPPLY_ONLY"
    assert point["meter"] is None
    assert point["technical"] is None
    assert point["expectedAnnualConsumptionKwh"] == 1450
    assert point["correspondence"] == {
        "address": {"street": "Husova", "houseNumber": "7", "city": "Brno", "postcode": "602 00"},
        "invoiceDelivery": "PAPER",
        "eInvoiceEmail": None,
    }
    assert point["billingDetails"]["cycle"] == "YEARLY"
    assert point["billingDetails"]["invoiceRecipient"] == "Marie Svobodová"


UNITS = """
query Units($number: String!) {
  customer(number: $number) {
    supplyPoints { commodity meter { registers { unit lastReading lastReadingKwh } } }
  }
}
"""


async def test_a_gas_meter_reads_cubic_metres_and_an_electricity_meter_kwh(gql: GraphQLClient) -> None:
    await gql.login("novak")

    result = await gql.execute(UNITS, {"number": "1000012345"})

    units = {
        (point["commodity"], register["unit"])
        for point in result["data"]["customer"]["supplyPoints"]
        for register in (point["meter"] or {"registers": []})["registers"]
    }
    assert units == {("ELECTRICITY", "KWH"), ("GAS", "CUBIC_METRE")}
    registers = [
        r for p in result["data"]["customer"]["supplyPoints"] for r in (p["meter"] or {}).get("registers", [])
    ]
    assert all(r["lastReading"] == r["lastReadingKwh"] for r in registers)
