"""One customer's bad input is that customer's ``BAD_USER_INPUT``: it is refused before any
back-end call when the gateway can tell, and when only the back end can, its refusal is
neither retried nor counted against the back end's circuit breaker, so nobody else notices."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from fixtures import personas
from gateway.schema.node import to_global_id
from tests.e2e.client import GraphQLClient, error_codes

INVOICES = """
query Invoices($number: String!, $filter: InvoiceFilter) {
  customer(number: $number) { invoices(first: 3, filter: $filter) { totalCount } }
}
"""
INVOICES_AFTER = """
query Invoices($number: String!, $after: String) {
  customer(number: $number) { invoices(first: 3, after: $after) { totalCount } }
}
"""
INLINE_NAN = """
{ customer(number: "1000012345") { invoices(filter: {amountFrom: "NaN"}) { totalCount } } }
"""
NOT_A_SUPPLY_POINT = to_global_id("SupplyPoint", "0000")  # a well-formed ID billing refuses


def billing_calls(simulators: dict[str, str]) -> dict[str, int]:
    calls: dict[str, int] = httpx.get(f"{simulators['billing']}/__sim/stats").json()["calls"]
    return calls


@pytest.fixture
async def novak(gql: GraphQLClient, simulators: dict[str, str]) -> GraphQLClient:
    await gql.login("novak")
    httpx.delete(f"{simulators['billing']}/__sim/stats")
    return gql


@pytest.fixture
async def svobodova(app: Starlette) -> AsyncIterator[GraphQLClient]:
    """Another customer, in a client of her own."""
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://gateway.test") as http:
        other = GraphQLClient(http)
        await other.login("svobodova")
        yield other


@pytest.mark.parametrize(
    "filter",
    ids=lambda filter: ",".join(f"{name}={value}" for name, value in filter.items()),
    argvalues=[
        *({"amountFrom": amount} for amount in ("NaN", "sNaN", "Infinity", "-Infinity", "1E+999999")),
        {"amountTo": "-1e400"},
        {"amountTo": 1e308},
        {"amountFrom": "12.3456789"},
        {"dueFrom": "0001-01-01"},
        {"dueTo": "9999-12-31"},
        {"dueFrom": "2026-03-02", "dueTo": "2026-03-01"},
        {"supplyPointId": "not an ID"},
    ],
)
async def test_a_malformed_filter_is_bad_user_input_and_billing_is_not_called(
    novak: GraphQLClient, simulators: dict[str, str], filter: dict[str, Any]
) -> None:
    # when
    result = await novak.execute(INVOICES, {"number": personas.NOVAK, "filter": filter})

    # then
    assert error_codes(result) == ["BAD_USER_INPUT"]
    assert billing_calls(simulators) == {}


@pytest.mark.parametrize("offset", ["99999999999999999999", "2147483647", "-1"])
async def test_a_cursor_past_any_page_is_bad_user_input_and_billing_is_not_called(
    novak: GraphQLClient, simulators: dict[str, str], offset: str
) -> None:
    cursor = base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode()

    result = await novak.execute(INVOICES_AFTER, {"number": personas.NOVAK, "after": cursor})

    assert error_codes(result) == ["BAD_USER_INPUT"]
    assert billing_calls(simulators) == {}


async def test_the_reported_nan_document_is_bad_user_input_and_billing_is_not_called(
    novak: GraphQLClient, simulators: dict[str, str]
) -> None:
    result = await novak.execute(INLINE_NAN)

    assert error_codes(result) == ["BAD_USER_INPUT"]
    assert result["errors"][0]["extensions"]["retryable"] is False
    assert billing_calls(simulators) == {}


async def test_input_only_billing_can_refuse_is_bad_user_input_asked_once_without_its_message(
    novak: GraphQLClient, simulators: dict[str, str]
) -> None:
    # when: a filter the gateway cannot tell is wrong, and billing refuses (a client fault)
    result = await novak.execute(
        INVOICES, {"number": personas.NOVAK, "filter": {"supplyPointId": NOT_A_SUPPLY_POINT}}
    )

    # then: the client's error, not billing's outage; not retried; billing's words stay inside
    (error,) = result["errors"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "retryable": False}
    assert error["message"] == "The billing system did not accept these values."
    assert billing_calls(simulators) == {"GetInvoiceList": 1}


async def test_one_customers_bad_input_leaves_billing_open_to_everyone_else(
    novak: GraphQLClient, svobodova: GraphQLClient, client: httpx.AsyncClient, simulators: dict[str, str]
) -> None:
    # given: one customer sends ten NaN filters and ten that billing itself refuses
    for _ in range(10):
        nan = await novak.execute(INVOICES, {"number": personas.NOVAK, "filter": {"amountFrom": "NaN"}})
        refused = await novak.execute(
            INVOICES, {"number": personas.NOVAK, "filter": {"supplyPointId": NOT_A_SUPPLY_POINT}}
        )
        assert error_codes(nan) == error_codes(refused) == ["BAD_USER_INPUT"]

    # when: another customer reads invoices nobody has read yet
    result = await svobodova.execute(INVOICES, {"number": personas.SVOBODOVA})

    # then: billing answers her; its breaker never opened
    assert "errors" not in result, result["errors"]
    assert result["data"]["customer"]["invoices"]["totalCount"] > 0
    assert billing_calls(simulators) == {"GetInvoiceList": 11}
    metrics = (await client.get("/metrics")).text
    assert 'gateway_breaker_state{backend="billing"} 0.0' in metrics


NOMINATION_MONTH = """
query Month($number: String!, $month: String!) {
  customer(number: $number) { nomination { month(month: $month) { contractedMwh } } }
}
"""


@pytest.mark.parametrize("month", ["9999-12", "0001-01", "0999-01"])
async def test_a_month_outside_the_dates_the_api_names_is_bad_user_input_and_not_asked_for(
    gql: GraphQLClient, simulators: dict[str, str], month: str
) -> None:
    await gql.login("teplarna")
    httpx.delete(f"{simulators['nomination']}/__sim/stats")

    result = await gql.execute(NOMINATION_MONTH, {"number": personas.TEPLARNA, "month": month})

    assert error_codes(result) == ["BAD_USER_INPUT"]
    calls = httpx.get(f"{simulators['nomination']}/__sim/stats").json()["calls"]
    assert "GetMonth" not in calls  # only the contract, which `nomination` itself needs
    assert calls == {"GetContract": 1}


@pytest.mark.parametrize("raw_id", ["\x01", "D\x1b1"])
async def test_a_document_id_billing_cannot_take_is_not_found_and_billing_is_not_called(
    novak: GraphQLClient, simulators: dict[str, str], raw_id: str
) -> None:
    response = await novak.http.get(f"/documents/{to_global_id('Document', raw_id)}", headers=novak.headers)

    assert response.status_code == 404  # like any missing document, not a billing outage
    assert billing_calls(simulators) == {}
