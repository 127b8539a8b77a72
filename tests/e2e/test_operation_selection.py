"""Review of issue 9: which code a refused request gets, and that a document of several
operations runs none of them unless the request names one."""

from __future__ import annotations

import json

import httpx

from gateway.http.persisted_queries import document_hash
from tests.e2e.client import GraphQLClient, error_codes

NOVAK = "1000012345"
TWO_OPERATIONS = "query A { viewer { login } } query B { contactInfo { phone } }"
REFUSED = {"BAD_USER_INPUT"}
INVOICES = """
query Invoices($n: String!, $status: [InvoiceStatus!]) {
  customer(number: $n) { invoices(filter: {status: $status}) { edges { node { number } } } }
}
"""


async def test_an_unused_variable_is_a_validation_failure_not_bad_input(gql: GraphQLClient) -> None:
    await gql.login("novak")

    result = await gql.execute("query Q($a: Int) { viewer { login } }", {})

    assert error_codes(result) == ["GRAPHQL_VALIDATION_FAILED"]


async def test_a_variable_value_that_does_not_coerce_is_bad_user_input(gql: GraphQLClient) -> None:
    await gql.login("novak")

    misspelt = await gql.execute(INVOICES, {"n": NOVAK, "status": ["PAIDD"]})
    missing = await gql.execute(INVOICES, {"status": ["PAID"]})
    wrong_type = await gql.execute(INVOICES, {"n": {"x": 1}})

    assert error_codes(misspelt) == ["BAD_USER_INPUT"]
    assert error_codes(missing) == ["BAD_USER_INPUT"]
    assert error_codes(wrong_type) == ["BAD_USER_INPUT"]
    assert misspelt["data"] is None


async def test_two_operations_without_a_name_run_neither_by_post(gql: GraphQLClient) -> None:
    await gql.login("novak")

    result = await gql.execute(TWO_OPERATIONS)
    named = await gql.http.post(
        "/graphql", json={"query": TWO_OPERATIONS, "operationName": "A"}, headers=gql.headers
    )

    assert result.get("data") is None
    assert set(error_codes(result)) == REFUSED
    assert "operation name" in result["errors"][0]["message"]
    assert named.json() == {"data": {"viewer": {"login": "novak"}}}


async def test_two_operations_without_a_name_run_neither_by_get(client: httpx.AsyncClient) -> None:
    by_get = await client.get("/graphql", params={"query": TWO_OPERATIONS})
    named = await client.get("/graphql", params={"query": TWO_OPERATIONS, "operationName": "A"})

    assert by_get.json().get("data") is None
    assert set(error_codes(by_get.json())) == REFUSED
    assert named.json() == {"data": {"viewer": None}}


async def test_two_operations_without_a_name_run_neither_as_a_persisted_query(
    client: httpx.AsyncClient,
) -> None:
    digest = document_hash(TWO_OPERATIONS)
    extensions = {"persistedQuery": {"version": 1, "sha256Hash": digest}}
    registering = await client.post("/graphql", json={"query": TWO_OPERATIONS, "extensions": extensions})
    by_hash = await client.post("/graphql", json={"extensions": extensions})
    by_get = await client.get("/graphql", params={"extensions": json.dumps(extensions)})
    named = await client.post("/graphql", json={"extensions": extensions, "operationName": "A"})

    for response in (registering, by_hash, by_get):
        body = response.json()
        assert body.get("data") is None, body
        assert set(error_codes(body)) <= REFUSED | {"PERSISTED_QUERY_NOT_FOUND"}, body
    assert named.json() in ({"data": {"viewer": None}}, by_hash.json())


async def test_query_cost_of_two_operations_needs_a_name(gql: GraphQLClient) -> None:
    query = "query C($q: String!, $o: String) { queryCost(query: $q, operationName: $o) }"

    unnamed = await gql.execute(query, {"q": TWO_OPERATIONS})
    named = await gql.execute(query, {"q": TWO_OPERATIONS, "o": "B"})

    assert error_codes(unnamed) == ["BAD_USER_INPUT"]
    assert named["data"] == {"queryCost": 3}
