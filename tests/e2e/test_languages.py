"""Messages in the customer's language: Czech by default, English when Accept-Language prefers it,
in errors[], in payloads' errors and in HTTP refusals; request summaries in Czech words."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import httpx
import pytest

from tests.e2e.client import LOGIN, PASSWORD
from tests.e2e.simulators import own_simulators

# The termination it files for novak stays out of other modules.
simulators = own_simulators()

CZECH: dict[str, str] = {}  # no Accept-Language: the portal's language
ENGLISH = {"Accept-Language": "en-GB,en;q=0.9"}
CUSTOMER = '{ customer(number: "1000012345") { name } }'
POINTS = '{ customer(number: "1000012345") { supplyPoints { id commodity } } }'
SUBMIT = """
mutation Submit($input: SubmitRequestInput!) {
  submitRequest(input: $input) { errors { field code message } request { summary } }
}
"""


async def post(client: httpx.AsyncClient, headers: dict[str, str], query: str, **variables: Any) -> Any:
    # the conftest client asks for English: each call here says what it asks for
    response = await client.post(
        "/graphql", json={"query": query, "variables": variables}, headers={"Accept-Language": "", **headers}
    )
    return response.json()


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        (CZECH, "Musíte se přihlásit."),
        ({"Accept-Language": "cs-CZ"}, "Musíte se přihlásit."),
        (ENGLISH, "You need to log in."),
    ],
)
async def test_an_error_is_in_the_language_asked_for_czech_by_default(
    client: httpx.AsyncClient, headers: dict[str, str], message: str
) -> None:
    body = await post(client, headers, CUSTOMER)

    assert body["errors"][0]["message"] == message
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_a_payloads_user_error_is_in_czech_by_default_and_english_on_request(
    client: httpx.AsyncClient,
) -> None:
    wrong = {"login": "novak", "password": "not-the-password"}

    czech = await post(client, CZECH, LOGIN, **wrong)
    english = await post(client, ENGLISH, LOGIN, **wrong)

    assert czech["data"]["login"]["errors"] == [
        {"message": "Špatné přihlašovací jméno nebo heslo.", "code": "INVALID_CREDENTIALS"}
    ]
    assert english["data"]["login"]["errors"][0]["message"] == "Wrong login or password."


async def test_a_bad_argument_with_a_value_is_rendered_in_czech(client: httpx.AsyncClient) -> None:
    login = await post(client, CZECH, LOGIN, login="novak", password=PASSWORD)
    token = login["data"]["login"]["token"]

    body = await post(
        client,
        {"Authorization": f"Bearer {token}"},
        '{ customer(number: "1000012345") { invoices(first: 500) { totalCount } } }',
    )

    assert body["errors"][0]["message"] == "`first` musí být mezi 0 a 100."


async def test_http_refusals_are_in_czech_by_default(client: httpx.AsyncClient) -> None:
    missing = await client.get("/no-such-page", headers={"Accept-Language": ""})
    csrf = await client.post(
        "/graphql",
        content='{"query": "{ viewer { login } }"}',
        headers={"Accept-Language": "", "Content-Type": "text/plain", "Cookie": "portal_session=x"},
    )
    english = await client.get("/no-such-page", headers=ENGLISH)

    assert missing.status_code == 404
    assert missing.json()["errors"][0]["message"] == "Nenalezeno."
    assert csrf.status_code == 403
    assert (
        csrf.json()["errors"][0]["message"]
        == "Požadavek ověřený cookie musí být odeslán jako application/json."
    )
    assert english.json()["errors"][0]["message"] == "Not found."


async def test_a_request_summary_is_czech_words_and_dates(client: httpx.AsyncClient) -> None:
    # given
    login = await post(client, CZECH, LOGIN, login="novak", password=PASSWORD)
    bearer = {"Authorization": f"Bearer {login['data']['login']['token']}"}
    points = await post(client, bearer, POINTS)
    point = points["data"]["customer"]["supplyPoints"][0]["id"]
    end = dt.date.today() + dt.timedelta(days=40)

    # when
    body = await post(
        client,
        bearer,
        SUBMIT,
        input={
            "customerNumber": "1000012345",
            "idempotencyKey": "languages-termination-1",
            "request": {
                "termination": {"supplyPointId": point, "endDate": end.isoformat(), "reason": "MOVING_OUT"}
            },
        },
    )

    # then
    assert body["data"]["submitRequest"]["errors"] == []
    summary = body["data"]["submitRequest"]["request"]["summary"]
    assert summary == f"Ukončení smlouvy k {end.day}. {end.month}. {end.year}, důvod: stěhování"
    assert not re.search(r"\d{4}-\d{2}-\d{2}|[A-Z]{2,}_[A-Z]+", summary)
