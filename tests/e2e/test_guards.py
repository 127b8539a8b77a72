"""Guards for a browser client: CSRF, no mutation over GET, complexity bounds before any back end."""

from __future__ import annotations

import httpx
import pytest

from gateway.schema.limits import validate_document
from tests.e2e.client import LOGIN, PASSWORD, GraphQLClient, error_codes

LOGOUT = "mutation { logout { ok } }"
NOVAK = "1000012345"


async def logged_in_by_cookie(client: httpx.AsyncClient) -> str:
    """Logs novak in (the cookie stays in the client's jar); returns the session's bearer token."""
    variables = {"login": "novak", "password": PASSWORD}
    response = await client.post("/graphql", json={"query": LOGIN, "variables": variables})
    assert "portal_session" in client.cookies
    token: str = response.json()["data"]["login"]["token"]
    return token


async def test_a_cookie_authenticated_form_post_is_refused(client: httpx.AsyncClient) -> None:
    # given
    await logged_in_by_cookie(client)

    # when: what a cross-site form can send
    form = await client.post("/graphql", data={"query": LOGOUT})
    text = await client.post("/graphql", content=LOGOUT, headers={"content-type": "text/plain"})

    # then
    assert form.status_code == text.status_code == 403
    assert form.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    still = await client.post("/graphql", json={"query": "{ viewer { login } }"})
    assert still.json()["data"]["viewer"] == {"login": "novak"}  # the logout never ran


@pytest.mark.parametrize("malformed", ["theme=dark mode; ", 'x="unclosed; ', "\\; "])
async def test_a_cookie_header_a_strict_parser_rejects_still_counts_as_carrying_the_session(
    client: httpx.AsyncClient, malformed: str
) -> None:
    # given: the session cookie behind a pair http.cookies gives up on
    await logged_in_by_cookie(client)
    header = {"cookie": f"{malformed}portal_session={client.cookies['portal_session']}"}
    client.cookies.clear()
    authenticated = await client.post("/graphql", json={"query": "{ viewer { login } }"}, headers=header)
    assert authenticated.json()["data"]["viewer"] == {"login": "novak"}  # it does authenticate

    # when: what a cross-site form can send
    form = await client.post("/graphql", data={"query": LOGOUT}, headers=header)

    # then
    assert form.status_code == 403
    assert form.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    still = await client.post("/graphql", json={"query": "{ viewer { login } }"}, headers=header)
    assert still.json()["data"]["viewer"] == {"login": "novak"}  # the logout never ran


async def test_json_or_a_preflight_header_passes_and_bearer_requests_are_unaffected(
    client: httpx.AsyncClient,
) -> None:
    # given: the session cookie in the jar, and the same session's token
    token = await logged_in_by_cookie(client)

    # when
    with_header = await client.post(
        "/graphql",
        content='{"query": "{ viewer { login } }"}',
        headers={"content-type": "text/plain", "X-Requested-With": "fetch"},
    )
    bearer_form = await client.post(
        "/graphql", data={"query": LOGOUT}, headers={"Authorization": f"Bearer {token}"}
    )
    client.cookies.clear()
    anonymous_form = await client.post("/graphql", data={"query": "{ viewer { login } }"})

    # then: none of them is the CSRF refusal
    assert with_header.status_code != 403
    assert bearer_form.status_code != 403  # a bearer token is no ambient credential
    assert anonymous_form.status_code != 403  # no cookie, nothing to forge


async def test_get_never_mutates(client: httpx.AsyncClient) -> None:
    await logged_in_by_cookie(client)

    response = await client.get("/graphql", params={"query": LOGOUT})

    assert response.status_code in {400, 405}
    still = await client.post("/graphql", json={"query": "{ viewer { login } }"})
    assert still.json()["data"]["viewer"] == {"login": "novak"}


def calls(simulators: dict[str, str]) -> int:
    """Back-end calls so far, all simulators together."""
    total = 0
    for base in simulators.values():
        stats = httpx.get(f"{base}/__sim/stats").json()
        total += sum(stats["calls"].values())
    return total


async def test_complex_queries_are_refused_before_any_back_end_is_called(
    gql: GraphQLClient, simulators: dict[str, str]
) -> None:
    # given
    await gql.login("novak")
    deep = "{ viewer { customers { supplyPoints { address { street } } } } }"
    too_deep = "query { " + "viewer { customers { " * 7 + "number" + " } }" * 7 + " }"
    aliases = "{ " + " ".join(f'a{i}: customer(number: "{NOVAK}") {{ name }}' for i in range(31)) + " }"
    tokens = "{ viewer { " + "login " * 2100 + "} }"
    pages = (
        "{ viewer { customers { a: invoices(first: 100) { edges { node { id } } } "
        + " ".join(f"b{i}: invoices(first: 100) {{ totalCount }}" for i in range(20))
        + " } } }"
    )
    for base in simulators.values():
        httpx.delete(f"{base}/__sim/stats")
    before = calls(simulators)

    # when
    results = [await gql.execute(query) for query in (too_deep, aliases, tokens, pages)]

    # then
    assert "QUERY_TOO_COMPLEX" in error_codes(results[0])  # (the schema is not that deep: also invalid)
    for result in results[1:]:
        assert error_codes(result) == ["QUERY_TOO_COMPLEX"], result
        assert "data" not in result or result["data"] is None
    assert calls(simulators) == before
    assert error_codes(await gql.execute(deep)) == []


async def test_the_limit_rules_are_built_once_so_the_validation_cache_hits(gql: GraphQLClient) -> None:
    # given
    await gql.execute("{ viewer { login } }")
    hits = validate_document.cache_info().hits

    # when
    await gql.execute("{ viewer { login } }")

    # then
    assert validate_document.cache_info().hits == hits + 1
