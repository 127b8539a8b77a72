"""GET /documents/{id}: invoice and reminder PDFs for an authorised session or a signed link."""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

from tests.e2e.client import GraphQLClient, set_faults
from tests.e2e.conftest import SettableClock

NOVAK = "1000012345"
NOW = dt.datetime(2026, 11, 30, 9, 30, tzinfo=dt.UTC)
DOCUMENTS = """
query Documents($number: String!) {
  customer(number: $number) {
    invoices(first: 3) {
      edges { node { number document { url signedUrl signedUrlExpiresAt fileName contentType } } }
    }
    reminders { edges { node { document { url fileName } } } }
  }
}
"""


async def novak_documents(gql: GraphQLClient) -> dict[str, Any]:
    await gql.login("novak")
    result = await gql.execute(DOCUMENTS, {"number": NOVAK})
    assert "errors" not in result, result["errors"]
    customer: dict[str, Any] = result["data"]["customer"]
    return customer


def missing_document_path() -> str:
    return "/documents/" + base64.urlsafe_b64encode(b"Document:DF0000000000").decode()


async def test_an_invoice_pdf_streams_to_its_owner_with_type_and_file_name(gql: GraphQLClient) -> None:
    # given
    invoice = (await novak_documents(gql))["invoices"]["edges"][0]["node"]
    document = invoice["document"]

    # when
    response = await gql.http.get(document["url"], headers=gql.headers)

    # then
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert document["fileName"] == f"faktura-{invoice['number']}.pdf"
    assert f'filename="{document["fileName"]}"' in response.headers["content-disposition"]
    assert document["contentType"] == "application/pdf"


async def test_a_reminder_has_its_own_pdf(gql: GraphQLClient) -> None:
    reminder = (await novak_documents(gql))["reminders"]["edges"][0]["node"]

    response = await gql.http.get(reminder["document"]["url"], headers=gql.headers)

    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")
    assert reminder["document"]["fileName"].startswith("upominka-")
    assert reminder["document"]["fileName"] in response.headers["content-disposition"]


async def test_a_signed_link_works_without_a_session_for_that_document_only(
    gql: GraphQLClient, clock: SettableClock
) -> None:
    # given: links made at a known moment
    clock.set(NOW)
    edges = (await novak_documents(gql))["invoices"]["edges"]
    first, second = edges[0]["node"]["document"], edges[1]["node"]["document"]
    signature = first["signedUrl"].partition("?")[2]

    # when: no cookie, no token
    gql.http.cookies.clear()
    signed = await gql.http.get(first["signedUrl"])
    other_document = await gql.http.get(f"{second['url']}?{signature}")
    tampered = await gql.http.get(first["signedUrl"][:-3] + "AAA")

    # then
    assert signed.status_code == 200 and signed.content.startswith(b"%PDF-")
    assert other_document.status_code == 403
    assert tampered.status_code == 403
    assert dt.datetime.fromisoformat(first["signedUrlExpiresAt"]) == NOW + dt.timedelta(minutes=5)


async def test_anyone_without_a_session_or_signature_must_log_in(gql: GraphQLClient) -> None:
    url = (await novak_documents(gql))["invoices"]["edges"][0]["node"]["document"]["url"]
    gql.http.cookies.clear()

    response = await gql.http.get(url)

    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_another_customers_document_and_a_missing_one_answer_404_alike(gql: GraphQLClient) -> None:
    # given: svobodova holds a session, novak's document exists
    url = (await novak_documents(gql))["invoices"]["edges"][0]["node"]["document"]["url"]
    gql.headers.clear()
    await gql.login("svobodova")

    # when
    foreign = await gql.http.get(url, headers=gql.headers)
    missing = await gql.http.get(missing_document_path(), headers=gql.headers)
    garbage = await gql.http.get("/documents/not-an-id", headers=gql.headers)

    # then
    assert foreign.status_code == missing.status_code == garbage.status_code == 404
    assert foreign.json() == missing.json() == garbage.json()


async def test_a_delegate_with_view_billing_may_fetch_the_pdf(gql: GraphQLClient) -> None:
    url = (await novak_documents(gql))["invoices"]["edges"][0]["node"]["document"]["url"]
    gql.headers.clear()
    await gql.login("poradce")

    response = await gql.http.get(url, headers=gql.headers)

    assert response.status_code == 200


async def test_billing_down_answers_503_with_a_json_body(
    gql: GraphQLClient, simulators: dict[str, str]
) -> None:
    # given
    url = (await novak_documents(gql))["invoices"]["edges"][0]["node"]["document"]["url"]
    set_faults(simulators["billing"], mode="down")

    # when
    response = await gql.http.get(url, headers=gql.headers)

    # then
    assert response.status_code == 503
    body = response.json()
    assert body["errors"][0]["extensions"] == {"code": "BACKEND_UNAVAILABLE", "retryable": True}
    assert "Traceback" not in response.text
