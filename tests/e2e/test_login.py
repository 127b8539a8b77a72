"""Logging in and out, over HTTP."""

from __future__ import annotations

import httpx

from tests.e2e.client import LOGIN, GraphQLClient

VIEWER = "{ viewer { login email customers { number } activeCustomer { number } } }"
LOGOUT = "mutation { logout { ok } }"


async def test_login_sets_an_httponly_samesite_cookie_and_returns_a_bearer_token(
    client: httpx.AsyncClient,
) -> None:
    # when
    response = await client.post(
        "/graphql", json={"query": LOGIN, "variables": {"login": "novak", "password": "Demo-heslo-2026"}}
    )

    # then
    payload = response.json()["data"]["login"]
    assert payload["errors"] == []
    assert payload["viewer"] == {"login": "novak"}
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("portal_session=")
    assert "HttpOnly" in cookie
    assert "samesite=lax" in cookie.lower()
    assert payload["token"] in cookie


async def test_the_cookie_alone_authenticates_the_next_request(client: httpx.AsyncClient) -> None:
    # given
    await client.post(
        "/graphql", json={"query": LOGIN, "variables": {"login": "novak", "password": "Demo-heslo-2026"}}
    )

    # when
    response = await client.post("/graphql", json={"query": VIEWER})

    # then
    viewer = response.json()["data"]["viewer"]
    assert viewer["login"] == "novak"
    assert viewer["customers"] == [{"number": "1000012345"}]
    assert viewer["activeCustomer"] == {"number": "1000012345"}


async def test_a_wrong_password_and_an_unknown_login_answer_alike(gql: GraphQLClient) -> None:
    # when
    wrong_password = await gql.login("novak", "not-the-password")
    unknown_login = await gql.login("nobody-at-all", "not-the-password")

    # then
    assert wrong_password["data"]["login"]["token"] is None
    assert wrong_password["data"]["login"]["errors"] == unknown_login["data"]["login"]["errors"]
    assert wrong_password["data"]["login"]["errors"][0]["code"] == "INVALID_CREDENTIALS"


async def test_anonymous_viewer_is_null(gql: GraphQLClient) -> None:
    result = await gql.execute(VIEWER)

    assert result == {"data": {"viewer": None}}


async def test_logout_revokes_the_token(gql: GraphQLClient) -> None:
    # given
    await gql.login("novak")
    assert (await gql.execute(VIEWER))["data"]["viewer"]["login"] == "novak"

    # when
    logout = await gql.execute(LOGOUT)

    # then
    assert logout["data"]["logout"]["ok"] is True
    assert (await gql.execute(VIEWER))["data"]["viewer"] is None


async def test_a_delegate_sees_the_customer_number_it_was_granted(gql: GraphQLClient) -> None:
    await gql.login("poradce")

    result = await gql.execute(VIEWER)

    assert result["data"]["viewer"]["customers"] == [{"number": "1000012345"}]
