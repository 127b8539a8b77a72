"""Introspection and "Did you mean" suggestions: a setting, off by default outside demo mode."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.applications import Starlette

from gateway.app import create_app
from gateway.config import Settings
from gateway.schema.limits import validate_document
from tests.e2e.client import error_codes

INTROSPECTION = "{ __schema { queryType { name } } }"
TYPE = '{ __type(name: "Invoice") { name } }'
MISSPELLED = "{ viewr { login } }"
MISSPELLED_VARIABLE = """
query($number: String!, $status: [InvoiceStatus!]) {
  customer(number: $number) { invoices(filter: {status: $status}) { totalCount } }
}
"""
NOVAK: dict[str, object] = {"number": "1000012345", "status": ["UNPAI"]}


@pytest.fixture
async def closed_client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    app: Starlette = create_app(settings.model_copy(update={"introspection": False}))
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://gateway.test") as client,
    ):
        yield client


async def post(
    client: httpx.AsyncClient, query: str, variables: dict[str, object] | None = None
) -> dict[str, object]:
    response = await client.post("/graphql", json={"query": query, "variables": variables or {}})
    body: dict[str, object] = response.json()
    return body


def messages(body: dict[str, object]) -> str:
    errors = body.get("errors")
    return " ".join(error["message"] for error in errors) if isinstance(errors, list) else ""


def test_introspection_defaults_to_demo_mode_and_can_be_set_either_way() -> None:
    assert Settings(demo=True).allows_introspection
    assert not Settings(demo=False, secret_key="s").allows_introspection
    assert Settings(demo=False, introspection=True).allows_introspection
    assert not Settings(demo=True, introspection=False).allows_introspection


async def test_with_introspection_off_the_schema_is_not_described_and_nothing_is_suggested(
    closed_client: httpx.AsyncClient,
) -> None:
    # when
    schema = await post(closed_client, INTROSPECTION)
    one_type = await post(closed_client, TYPE)
    misspelled = await post(closed_client, MISSPELLED)
    typename = await post(closed_client, "{ __typename }")
    bad_variable = await post(closed_client, MISSPELLED_VARIABLE, NOVAK)

    # then
    for refused in (schema, one_type):
        assert error_codes(refused), refused
        assert set(error_codes(refused)) == {"GRAPHQL_VALIDATION_FAILED"}
        assert "introspection has been disabled" in messages(refused)
    assert schema.get("data") is None
    assert error_codes(misspelled) == ["GRAPHQL_VALIDATION_FAILED"]
    assert "viewr" in messages(misspelled)
    assert "Did you mean" not in messages(misspelled)
    assert typename["data"] == {"__typename": "Query"}
    assert bad_variable.get("data") is None
    assert "UNPAI" in messages(bad_variable)
    assert "Did you mean" not in messages(bad_variable)


async def test_with_introspection_on_graphiql_can_read_the_schema_and_suggestions_help(
    client: httpx.AsyncClient,
) -> None:
    schema = await post(client, INTROSPECTION)
    misspelled = await post(client, MISSPELLED)
    bad_variable = await post(client, MISSPELLED_VARIABLE, NOVAK)

    assert schema["data"] == {"__schema": {"queryType": {"name": "Query"}}}
    assert "Did you mean 'viewer'?" in messages(misspelled)
    assert "Did you mean the enum value 'UNPAID'" in messages(bad_variable)


async def test_with_introspection_off_the_validation_cache_still_hits(
    closed_client: httpx.AsyncClient,
) -> None:
    # given
    await post(closed_client, "{ viewer { login } }")
    hits = validate_document.cache_info().hits

    # when
    await post(closed_client, "{ viewer { login } }")

    # then
    assert validate_document.cache_info().hits == hits + 1
