"""What a submitted request changes shows in the next query: correspondence and e-invoice
address, deposit frequency, a self-reading as the meter's last reading (the cache entry is
invalidated by the write, not waited out)."""

from __future__ import annotations

import datetime as dt
from itertools import pairwise
from typing import Any

import pytest

from tests.e2e.client import GraphQLClient
from tests.e2e.conftest import SettableClock
from tests.e2e.simulators import own_simulators

NOVAK = "1000012345"
NOW = dt.datetime(2026, 11, 26, 10, 0, tzinfo=dt.UTC)
SUBMIT = """
mutation Submit($input: SubmitRequestInput!) {
  submitRequest(input: $input) {
    errors { field code message }
    change { type summary }
    request { id kind state }
  }
}
"""
POINTS = """
query Points($number: String!) {
  customer(number: $number) {
    supplyPoints {
      id commodity
      correspondence { address { street houseNumber city postcode } invoiceDelivery eInvoiceEmail }
      meter { registers { kind lastReadingKwh lastReadingDate } }
    }
  }
}
"""
DEPOSITS = """
query Deposits($number: String!) {
  customer(number: $number) {
    depositPlans {
      supplyPointId frequency minimumAmount { amount } items { dueDate amount { amount } paid }
    }
  }
}
"""


# Own simulators (CRM cases stay as filed): the changes it makes stay out of the other modules.
simulators = own_simulators(progression=None)


@pytest.fixture(autouse=True)
def _fixed_today(clock: SettableClock) -> None:
    clock.set(NOW)


def submission(key: str, request: dict[str, Any]) -> dict[str, Any]:
    return {"input": {"customerNumber": NOVAK, "idempotencyKey": key, "request": request}}


async def points(gql: GraphQLClient) -> list[dict[str, Any]]:
    result = await gql.execute(POINTS, {"number": NOVAK})
    assert "errors" not in result, result
    found: list[dict[str, Any]] = result["data"]["customer"]["supplyPoints"]
    return found


async def submitted(gql: GraphQLClient, key: str, request: dict[str, Any]) -> dict[str, Any]:
    result = await gql.execute(SUBMIT, submission(key, request))
    assert "errors" not in result, result
    payload: dict[str, Any] = result["data"]["submitRequest"]
    return payload


async def test_a_correspondence_and_e_invoice_address_change_show_on_every_supply_point(
    gql: GraphQLClient,
) -> None:
    await gql.login("novak")
    before = await points(gql)  # cached now
    assert {p["correspondence"]["address"]["street"] for p in before} == {"Vodičkova"}

    address = await submitted(
        gql,
        "kor-1",
        {
            "correspondenceAddressChange": {
                "street": "Husova",
                "houseNumber": "5",
                "city": "Brno",
                "postcode": "602 00",
            }
        },
    )
    after_address = await points(gql)
    e_invoice = await submitted(gql, "efa-1", {"eInvoiceChange": {"email": "faktury.novak@example.cz"}})
    after_e_invoice = await points(gql)

    assert address["errors"] == [] and e_invoice["errors"] == []
    assert address["change"]["type"] == "CORRESPONDENCE_ADDRESS_CHANGE"
    for point in after_address:
        assert point["correspondence"]["address"] == {
            "street": "Husova",
            "houseNumber": "5",
            "city": "Brno",
            "postcode": "602 00",
        }
        assert point["correspondence"]["eInvoiceEmail"] == "jan.novak@example.cz"
    for point in after_e_invoice:
        assert point["correspondence"]["invoiceDelivery"] == "EMAIL"
        assert point["correspondence"]["eInvoiceEmail"] == "faktury.novak@example.cz"
        assert point["correspondence"]["address"]["street"] == "Husova"


async def test_a_self_reading_becomes_the_last_reading_and_a_lower_one_is_refused(
    gql: GraphQLClient,
) -> None:
    await gql.login("novak")
    electricity = next(p for p in await points(gql) if p["commodity"] == "ELECTRICITY")
    [register] = electricity["meter"]["registers"]
    first_kwh = register["lastReadingKwh"] + 2000

    first = await submitted(
        gql,
        "read-first",
        {
            "selfReading": {
                "supplyPointId": electricity["id"],
                "readingDate": "2026-11-20",
                "highTariffKwh": str(first_kwh),
            }
        },
    )
    [after] = next(p for p in await points(gql) if p["id"] == electricity["id"])["meter"]["registers"]
    lower = await submitted(
        gql,
        "read-lower",
        {
            "selfReading": {
                "supplyPointId": electricity["id"],
                "readingDate": "2026-11-25",
                "highTariffKwh": str(first_kwh - 500),
            }
        },
    )

    assert first["errors"] == []
    assert (first["request"]["kind"], first["request"]["state"]) == ("SELF_READING", "OPEN")
    assert (after["lastReadingKwh"], after["lastReadingDate"]) == (first_kwh, "2026-11-20")
    assert [(e["field"], e["code"]) for e in lower["errors"]] == [
        (["request", "selfReading", "highTariffKwh"], "TOO_LOW")
    ]
    assert lower["request"] is None


async def test_a_deposit_frequency_change_shows_in_the_next_query(gql: GraphQLClient) -> None:
    await gql.login("novak")
    before = await gql.execute(DEPOSITS, {"number": NOVAK})  # cached now
    plan = next(p for p in before["data"]["customer"]["depositPlans"] if p["frequency"] == "MONTHLY")
    monthly_minimum = float(plan["minimumAmount"]["amount"])
    change = {"supplyPointId": plan["supplyPointId"], "frequency": "QUARTERLY"}

    too_low = await submitted(  # enough for a month, not for a quarter
        gql, "freq-low", {"depositChange": {**change, "amount": str(int(monthly_minimum * 2))}}
    )
    amount = str(int(monthly_minimum * 3) + 300)
    done = await submitted(gql, "freq-1", {"depositChange": {**change, "amount": amount}})
    after = next(
        p
        for p in (await gql.execute(DEPOSITS, {"number": NOVAK}))["data"]["customer"]["depositPlans"]
        if p["supplyPointId"] == plan["supplyPointId"]
    )

    assert [(e["field"], e["code"]) for e in too_low["errors"]] == [
        (["request", "depositChange", "amount"], "TOO_LOW")
    ]
    assert done["errors"] == []
    assert done["change"]["type"] == "DEPOSIT_CHANGE"
    assert after["frequency"] == "QUARTERLY"
    assert float(after["minimumAmount"]["amount"]) == monthly_minimum * 3
    unpaid = [item for item in after["items"] if not item["paid"]]
    assert unpaid
    assert all(float(item["amount"]["amount"]) == float(amount) for item in unpaid)
    months = [int(item["dueDate"][:4]) * 12 + int(item["dueDate"][5:7]) for item in unpaid]
    assert all(later - earlier == 3 for earlier, later in pairwise(months))  # a quarter apart
