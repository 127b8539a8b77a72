"""Transfer to a new customer (přepis) and power of attorney (plná moc) end to end, with their
documents; an open case takes more documents and new values of its own fields."""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

from tests.e2e.client import GraphQLClient, error_codes
from tests.e2e.simulators import own_simulators

NOVAK = "1000012345"
PDF = b"%PDF-1.4\n% handover protocol\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
CASE = "id kind state summary supplyPointId documents { fileName contentType size }"
SUBMIT = f"""
mutation Submit($input: SubmitRequestInput!) {{
  submitRequest(input: $input) {{ errors {{ field code }} request {{ {CASE} }} }}
}}
"""
UPDATE = f"""
mutation Update($input: UpdateRequestInput!) {{
  updateRequest(input: $input) {{ errors {{ field code }} request {{ {CASE} }} }}
}}
"""
CANCEL = "mutation($id: ID!) { cancelRequest(input: {requestId: $id}) { errors { code } } }"
POINTS = "query($n: String!) { customer(number: $n) { supplyPoints { id commodity code } } }"
CATALOGUE = "{ requestTypes { code processing allowed } }"


# Own simulators (CRM cases stay as filed): Cases stay OPEN (no progression): they can be edited.
simulators = own_simulators(progression=None)


def document(name: str, content: bytes, content_type: str = "application/pdf") -> dict[str, str]:
    return {
        "fileName": name,
        "contentType": content_type,
        "contentBase64": base64.b64encode(content).decode(),
    }


def submission(key: str, request: dict[str, Any]) -> dict[str, Any]:
    return {"input": {"customerNumber": NOVAK, "idempotencyKey": key, "request": request}}


async def points(gql: GraphQLClient) -> dict[str, dict[str, Any]]:
    result = await gql.execute(POINTS, {"n": NOVAK})
    return {p["commodity"]: p for p in result["data"]["customer"]["supplyPoints"]}


def transfer(point_id: str, **changes: Any) -> dict[str, Any]:
    return {
        "transfer": {
            "supplyPointId": point_id,
            "transferDate": (dt.date.today() + dt.timedelta(days=10)).isoformat(),
            "newCustomerName": "Petra Dvořáková",
            "newCustomerEmail": "petra.dvorakova@example.cz",
            "newCustomerPhone": "+420 602 111 222",
            "highTariffKwh": "32750",
            "documents": [document("predavaci-protokol.pdf", PDF)],
            **changes,
        }
    }


async def filed(gql: GraphQLClient, key: str, request: dict[str, Any]) -> dict[str, Any]:
    result = await gql.execute(SUBMIT, submission(key, request))
    assert "errors" not in result, result["errors"]
    payload = result["data"]["submitRequest"]
    assert payload["errors"] == [], payload["errors"]
    case: dict[str, Any] = payload["request"]
    return case


async def test_both_kinds_are_in_the_catalogue_and_submittable_by_an_owner(gql: GraphQLClient) -> None:
    await gql.login("novak")

    result = await gql.execute(CATALOGUE)

    kinds = {entry["code"]: entry for entry in result["data"]["requestTypes"]}
    for code in ("TRANSFER", "POWER_OF_ATTORNEY"):
        assert kinds[code]["processing"] == "TRACKED" and kinds[code]["allowed"] is True


async def test_a_transfer_is_filed_with_the_new_customer_the_reading_and_the_handover_protocol(
    gql: GraphQLClient,
) -> None:
    # given
    await gql.login("novak")
    electricity = (await points(gql))["ELECTRICITY"]

    # when
    case = await filed(gql, "transfer-1", transfer(electricity["id"]))

    # then
    assert (case["kind"], case["state"], case["supplyPointId"]) == ("TRANSFER", "OPEN", electricity["id"])
    assert "Petra Dvořáková" in case["summary"] and "32750 kWh" in case["summary"]
    assert case["documents"] == [
        {"fileName": "predavaci-protokol.pdf", "contentType": "application/pdf", "size": len(PDF)}
    ]


async def test_a_transfer_with_bad_input_is_refused_field_by_field(gql: GraphQLClient) -> None:
    await gql.login("novak")
    electricity = (await points(gql))["ELECTRICITY"]

    result = await gql.execute(
        SUBMIT,
        submission(
            "transfer-bad",
            transfer(
                electricity["id"],
                transferDate=(dt.date.today() - dt.timedelta(days=60)).isoformat(),
                newCustomerEmail="not-an-address",
                newCustomerIco="12345678",
                highTariffKwh="12.5",
                lowTariffKwh="100",
                documents=[document("protokol.pdf", PNG), document("a/b.png", PNG, "image/png")],
            ),
        ),
    )

    payload = result["data"]["submitRequest"]
    assert payload["request"] is None
    assert {(tuple(e["field"]), e["code"]) for e in payload["errors"]} == {
        (("request", "transfer", "transferDate"), "IN_PAST"),
        (("request", "transfer", "newCustomerEmail"), "INVALID"),
        (("request", "transfer", "newCustomerIco"), "INVALID"),
        (("request", "transfer", "highTariffKwh"), "INVALID"),
        (("request", "transfer", "lowTariffKwh"), "NOT_PERMITTED"),  # a single-tariff meter
        (("request", "transfer", "documents", "0", "contentBase64"), "INVALID"),  # a PNG called a PDF
        (("request", "transfer", "documents", "1", "fileName"), "INVALID"),
    }


async def test_a_power_of_attorney_is_filed_with_its_signed_document(gql: GraphQLClient) -> None:
    # given
    await gql.login("novak")
    gas = (await points(gql))["GAS"]
    request = {
        "powerOfAttorney": {
            "representativeName": "Ing. Karel Černý",
            "representativeEmail": "cerny@poradce.example.cz",
            "scope": "Zastupování ve věcech dodávky plynu",
            "validUntil": (dt.date.today() + dt.timedelta(days=365)).isoformat(),
            "supplyPointIds": [gas["id"]],
            "document": document("plna-moc.png", PNG, "image/png"),
        }
    }

    # when
    case = await filed(gql, "poa-1", request)

    # then
    assert (case["kind"], case["state"]) == ("POWER_OF_ATTORNEY", "OPEN")
    assert "Ing. Karel Černý" in case["summary"]
    assert case["documents"] == [{"fileName": "plna-moc.png", "contentType": "image/png", "size": len(PNG)}]


async def test_a_power_of_attorney_whose_document_is_not_what_it_says_is_refused(gql: GraphQLClient) -> None:
    await gql.login("novak")
    request = {
        "powerOfAttorney": {
            "representativeName": "Karel Černý",
            "scope": "Vše",
            "validUntil": "2020-01-01",
            "document": document("plna-moc.pdf", b"MZ\x90\x00 not a pdf"),
        }
    }

    result = await gql.execute(SUBMIT, submission("poa-bad", request))

    assert {(tuple(e["field"]), e["code"]) for e in result["data"]["submitRequest"]["errors"]} == {
        (("request", "powerOfAttorney", "validUntil"), "IN_PAST"),
        (("request", "powerOfAttorney", "document", "contentBase64"), "INVALID"),
    }


async def test_a_delegate_cannot_file_a_power_of_attorney(gql: GraphQLClient) -> None:
    await gql.login("poradce")  # VIEW_BILLING on novak's number
    request = {
        "powerOfAttorney": {"representativeName": "X", "scope": "Vše", "document": document("p.pdf", PDF)}
    }

    result = await gql.execute(SUBMIT, submission("poa-delegate", request))

    assert error_codes(result) == ["FORBIDDEN"]


async def test_an_open_case_takes_more_documents_and_new_values_of_its_fields(gql: GraphQLClient) -> None:
    # given
    await gql.login("novak")
    by_commodity = await points(gql)
    electricity = by_commodity["ELECTRICITY"]
    case = await filed(gql, "transfer-edit", transfer(electricity["id"]))
    later = (dt.date.today() + dt.timedelta(days=20)).isoformat()

    # when: a new handover date and reading, and one more file
    result = await gql.execute(
        UPDATE,
        {
            "input": {
                "requestId": case["id"],
                "documents": [document("foto-elektromeru.png", PNG, "image/png")],
                "request": transfer(
                    electricity["id"], transferDate=later, highTariffKwh="32801", documents=None
                ),
            }
        },
    )

    # then
    payload = result["data"]["updateRequest"]
    assert payload["errors"] == []
    updated = payload["request"]
    assert f"k {later}" in updated["summary"] and "32801 kWh" in updated["summary"]
    assert [d["fileName"] for d in updated["documents"]] == ["predavaci-protokol.pdf", "foto-elektromeru.png"]


async def test_an_update_keeps_to_the_cases_kind_and_supply_point_and_to_open_cases(
    gql: GraphQLClient,
) -> None:
    # given
    await gql.login("novak")
    by_commodity = await points(gql)
    electricity, gas = by_commodity["ELECTRICITY"], by_commodity["GAS"]
    case = await filed(gql, "transfer-rules", transfer(electricity["id"]))

    async def update(**fields: Any) -> dict[str, Any]:
        result = await gql.execute(UPDATE, {"input": {"requestId": case["id"], **fields}})
        assert "errors" not in result, result["errors"]
        payload: dict[str, Any] = result["data"]["updateRequest"]
        return payload

    # when
    other_kind = await update(request={"freeText": {"subject": "Dotaz", "text": "?"}})
    other_point = await update(request=transfer(gas["id"], highTariffKwh=None, documents=None))
    nothing = await update()
    await gql.execute(CANCEL, {"id": case["id"]})
    closed = await update(documents=[document("pozde.pdf", PDF)])

    # then
    assert [(e["field"], e["code"]) for e in other_kind["errors"]] == [
        (["request", "freeText"], "NOT_PERMITTED")
    ]
    assert [(e["field"], e["code"]) for e in other_point["errors"]] == [
        (["request", "transfer", "supplyPointId"], "NOT_PERMITTED")
    ]
    assert [e["code"] for e in nothing["errors"]] == ["REQUIRED"]
    assert [e["code"] for e in closed["errors"]] == ["REQUEST_CLOSED"]


async def test_a_document_of_72_kib_is_attached_and_one_byte_more_is_refused(gql: GraphQLClient) -> None:
    # given: a JPEG scan as large as a string argument allows, through the whole HTTP stack
    await gql.login("novak")
    largest = b"\xff\xd8\xff\xe0" + b"\x00" * (72 * 1024 - 4)

    def request(content: bytes) -> dict[str, Any]:
        return {
            "powerOfAttorney": {
                "representativeName": "Karel Černý",
                "scope": "Vše",
                "document": document("plna-moc.jpg", content, "image/jpeg"),
            }
        }

    # when
    case = await filed(gql, "poa-largest", request(largest))
    too_large = await gql.execute(SUBMIT, submission("poa-too-large", request(largest + b"\x00")))

    # then
    assert case["documents"] == [{"fileName": "plna-moc.jpg", "contentType": "image/jpeg", "size": 72 * 1024}]
    assert [(e["field"], e["code"]) for e in too_large["data"]["submitRequest"]["errors"]] == [
        (["request", "powerOfAttorney", "document", "contentBase64"], "TOO_HIGH")
    ]
