"""submitRequest end to end: instant changes show in the next query, tracked ones become CRM
cases that move on, are edited and cancelled; who may submit; messages marked read."""

from __future__ import annotations

from typing import Any

import httpx

from tests.e2e.client import GraphQLClient, error_codes
from tests.e2e.simulators import own_simulators

NOVAK, SVOBODOVA = "1000012345", "1000023456"
SUBMIT = """
mutation Submit($input: SubmitRequestInput!) {
  submitRequest(input: $input) {
    replayed errors { field code message }
    change { type summary }
    request { id kind state closed summary history { state } }
  }
}
"""
POINTS = """
query Points($number: String!) {
  customer(number: $number) {
    supplyPoints { id commodity contractType }
    depositPlans {
      supplyPointId minimumAmount { amount } paymentMethod bankAccount items { amount { amount } paid }
    }
  }
}
"""
UPDATE = """
mutation Update($id: ID!, $summary: String!) {
  updateRequest(input: {requestId: $id, summary: $summary}) {
    request { summary state } errors { field code }
  }
}
"""
CANCEL = """
mutation Cancel($id: ID!) {
  cancelRequest(input: {requestId: $id}) { request { state closed history { state } } errors { field code } }
}
"""
MESSAGES = """
query Messages($number: String!) {
  customer(number: $number) { unreadMessageCount messages(filter: {unread: true}) { edges { node { id } } } }
}
"""
MARK = """
mutation Mark($number: String!, $ids: [ID!]!) {
  markMessagesRead(input: {customerNumber: $number, messageIds: $ids}) {
    markedCount unreadMessageCount errors { code }
  }
}
"""
REQUEST = (
    "query One($id: ID!) { node(id: $id) { ... on CustomerRequest { state closed history { state } } } }"
)


# Own simulators: the cases it files stay OPEN (no progression) and out of other modules.
simulators = own_simulators(progression=None)


def submission(key: str, request: dict[str, Any], number: str = NOVAK) -> dict[str, Any]:
    return {"input": {"customerNumber": number, "idempotencyKey": key, "request": request}}


async def novak_points(gql: GraphQLClient) -> dict[str, Any]:
    result = await gql.execute(POINTS, {"number": NOVAK})
    assert "errors" not in result, result
    return result["data"]["customer"]  # type: ignore[no-any-return]


async def test_a_deposit_change_shows_in_the_next_query(gql: GraphQLClient) -> None:
    await gql.login("novak")
    customer = await novak_points(gql)  # cached now
    plan = customer["depositPlans"][0]
    amount = str(int(float(plan["minimumAmount"]["amount"])) + 300)

    result = await gql.execute(
        SUBMIT,
        submission("dep-1", {"depositChange": {"supplyPointId": plan["supplyPointId"], "amount": amount}}),
    )

    assert result["data"]["submitRequest"]["errors"] == []
    assert result["data"]["submitRequest"]["change"]["type"] == "DEPOSIT_CHANGE"
    after = next(
        p for p in (await novak_points(gql))["depositPlans"] if p["supplyPointId"] == plan["supplyPointId"]
    )
    unpaid = [item["amount"]["amount"] for item in after["items"] if not item["paid"]]
    assert unpaid
    assert all(float(a) == float(amount) for a in unpaid)


async def test_bad_input_is_refused_with_field_paths_before_any_back_end_write(
    gql: GraphQLClient, simulators: dict[str, str]
) -> None:
    await gql.login("novak")
    plan = (await novak_points(gql))["depositPlans"][0]
    httpx.delete(f"{simulators['billing']}/__sim/stats")

    too_low = await gql.execute(
        SUBMIT,
        submission("dep-low", {"depositChange": {"supplyPointId": plan["supplyPointId"], "amount": "1"}}),
    )
    bad_account = await gql.execute(
        SUBMIT,
        submission(
            "pay-bad",
            {
                "paymentMethodChange": {
                    "supplyPointId": plan["supplyPointId"],
                    "method": "DIRECT_DEBIT",
                    "bankAccount": "19-2000145398/0800",
                }
            },
        ),
    )

    assert too_low["data"]["submitRequest"]["errors"][0]["field"] == ["request", "depositChange", "amount"]
    assert too_low["data"]["submitRequest"]["errors"][0]["code"] == "TOO_LOW"
    assert bad_account["data"]["submitRequest"]["errors"][0]["field"] == [
        "request",
        "paymentMethodChange",
        "bankAccount",
    ]
    calls = httpx.get(f"{simulators['billing']}/__sim/stats").json()["calls"]
    assert not {"ChangeDepositAmount", "ChangePaymentMethod"} & set(calls)


async def test_a_tracked_request_moves_on_is_edited_while_open_and_stays_closed(
    gql: GraphQLClient, simulators: dict[str, str]
) -> None:
    await gql.login("novak")
    filed = await gql.execute(
        SUBMIT, submission("free-1", {"freeText": {"subject": "Dotaz", "text": "Kdy přijde vyúčtování?"}})
    )
    request = filed["data"]["submitRequest"]["request"]
    assert (request["kind"], request["state"]) == ("OTHER", "OPEN")

    updated = await gql.execute(
        UPDATE, {"id": request["id"], "summary": "Dotaz: kdy přijde vyúčtování za plyn?"}
    )
    assert updated["data"]["updateRequest"]["request"]["summary"].endswith("za plyn?")

    raw_id = request["id"]
    crm_id = next(
        c["POZ_ID"]
        for c in httpx.get(
            f"{simulators['crm']}/api/v2/zakaznici/{NOVAK}/pozadavky", headers={"X-Api-Key": "crm-demo-key"}
        ).json()["POZADAVKY"]
        if c["POPIS"].endswith("za plyn?")
    )
    httpx.post(f"{simulators['crm']}/__sim/requests/{crm_id}/advance").raise_for_status()
    httpx.post(f"{simulators['crm']}/__sim/requests/{crm_id}/advance", json={"state": 30}).raise_for_status()

    cancelled = await gql.execute(CANCEL, {"id": raw_id})
    assert cancelled["data"]["cancelRequest"]["errors"] == [
        {"field": ["requestId"], "code": "REQUEST_CLOSED"}
    ]
    assert cancelled["data"]["cancelRequest"]["request"]["state"] == "RESOLVED"
    assert [h["state"] for h in cancelled["data"]["cancelRequest"]["request"]["history"]] == [
        "OPEN",
        "OPEN",
        "IN_PROGRESS",
        "RESOLVED",
    ]


async def test_an_open_request_can_be_cancelled(gql: GraphQLClient) -> None:
    await gql.login("novak")
    filed = await gql.execute(SUBMIT, submission("free-2", {"freeText": {"subject": "Jiný", "text": "Nic"}}))
    cancelled = await gql.execute(CANCEL, {"id": filed["data"]["submitRequest"]["request"]["id"]})
    assert cancelled["data"]["cancelRequest"]["request"]["state"] == "CANCELLED"


async def test_the_same_key_with_other_input_is_an_error(gql: GraphQLClient) -> None:
    await gql.login("novak")
    await gql.execute(SUBMIT, submission("k-1", {"freeText": {"subject": "A", "text": "a"}}))
    other = await gql.execute(SUBMIT, submission("k-1", {"freeText": {"subject": "B", "text": "b"}}))
    assert error_codes(other) == ["BAD_USER_INPUT"]


async def test_supply_only_points_cannot_file_a_self_reading(gql: GraphQLClient) -> None:
    await gql.login("svobodova")
    points = (await gql.execute(POINTS, {"number": SVOBODOVA}))["data"]["customer"]["supplyPoints"]
    result = await gql.execute(
        SUBMIT,
        submission(
            "read-1",
            {
                "selfReading": {
                    "supplyPointId": points[0]["id"],
                    "readingDate": "2026-01-01",
                    "highTariffKwh": "1",
                }
            },
            SVOBODOVA,
        ),
    )
    assert result["data"]["submitRequest"]["errors"][0]["code"] == "NOT_PERMITTED"


async def test_staff_and_read_only_delegates_cannot_submit(gql: GraphQLClient) -> None:
    gql.headers["X-API-Key"] = "demo-staff-key"
    staff = await gql.execute(SUBMIT, submission("s-1", {"freeText": {"subject": "A", "text": "a"}}))
    del gql.headers["X-API-Key"]
    await gql.login("poradce")  # VIEW_BILLING only
    delegate = await gql.execute(SUBMIT, submission("s-2", {"freeText": {"subject": "A", "text": "a"}}))
    await gql.login("svobodova")
    stranger = await gql.execute(SUBMIT, submission("s-3", {"freeText": {"subject": "A", "text": "a"}}))
    assert error_codes(staff) == ["FORBIDDEN"]
    assert error_codes(delegate) == ["FORBIDDEN"]
    assert error_codes(stranger) == ["NOT_FOUND"]


async def test_marking_messages_read_lowers_the_unread_count(gql: GraphQLClient) -> None:
    await gql.login("novak")
    before = (await gql.execute(MESSAGES, {"number": NOVAK}))["data"]["customer"]
    first = before["messages"]["edges"][0]["node"]["id"]

    marked = await gql.execute(MARK, {"number": NOVAK, "ids": [first]})
    after = (await gql.execute(MESSAGES, {"number": NOVAK}))["data"]["customer"]

    assert marked["data"]["markMessagesRead"]["markedCount"] == 1
    assert marked["data"]["markMessagesRead"]["unreadMessageCount"] == before["unreadMessageCount"] - 1
    assert after["unreadMessageCount"] == before["unreadMessageCount"] - 1


async def test_a_contact_change_and_a_self_reading_are_filed(gql: GraphQLClient) -> None:
    await gql.login("novak")
    points = (await novak_points(gql))["supplyPoints"]
    electricity = next(p for p in points if p["commodity"] == "ELECTRICITY")

    contact = await gql.execute(
        SUBMIT,
        submission("contact-1", {"contactChange": {"email": "jan@example.cz", "phone": "+420 777 123 456"}}),
    )
    bad_reading = await gql.execute(
        SUBMIT,
        submission(
            "read-2",
            {
                "selfReading": {
                    "supplyPointId": electricity["id"],
                    "readingDate": "2099-01-01",
                    "highTariffKwh": "1.5",
                }
            },
        ),
    )

    assert contact["data"]["submitRequest"]["change"]["type"] == "CONTACT_CHANGE"
    assert {tuple(e["field"]) for e in bad_reading["data"]["submitRequest"]["errors"]} >= {
        ("request", "selfReading", "readingDate"),
        ("request", "selfReading", "highTariffKwh"),
    }


SIPO_PLAN = """
query Sipo($number: String!) {
  customer(number: $number) { depositPlans { supplyPointId paymentMethod bankAccount sipoNumber } }
}
"""


async def test_sipo_needs_its_connection_number_and_a_bank_account_given_with_it_is_stored(
    gql: GraphQLClient,
) -> None:
    # given: svobodova's plan, not on SIPO
    await gql.login("svobodova")
    [plan] = (await gql.execute(SIPO_PLAN, {"number": SVOBODOVA}))["data"]["customer"]["depositPlans"]
    assert plan["paymentMethod"] != "SIPO"
    point = plan["supplyPointId"]

    # when
    without = await gql.execute(
        SUBMIT,
        submission("sipo-1", {"paymentMethodChange": {"supplyPointId": point, "method": "SIPO"}}, SVOBODOVA),
    )
    switched = await gql.execute(
        SUBMIT,
        submission(
            "sipo-2",
            {"paymentMethodChange": {"supplyPointId": point, "method": "SIPO", "sipoNumber": "1234567890"}},
            SVOBODOVA,
        ),
    )
    account = await gql.execute(
        SUBMIT,
        submission(
            "sipo-3",
            {"bankDetailsChange": {"supplyPointId": point, "bankAccount": "19-2000145399/0800"}},
            SVOBODOVA,
        ),
    )
    [after] = (await gql.execute(SIPO_PLAN, {"number": SVOBODOVA}))["data"]["customer"]["depositPlans"]

    # then
    assert [(e["field"], e["code"]) for e in without["data"]["submitRequest"]["errors"]] == [
        (["request", "paymentMethodChange", "sipoNumber"], "REQUIRED")
    ]
    assert switched["data"]["submitRequest"]["errors"] == []
    assert account["data"]["submitRequest"]["errors"] == []
    assert (after["paymentMethod"], after["sipoNumber"], after["bankAccount"]) == (
        "SIPO",
        "1234567890",
        "19-2000145399/0800",  # stored, as the answer said
    )
