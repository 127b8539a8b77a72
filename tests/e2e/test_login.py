"""Logging in and out, over HTTP."""

from __future__ import annotations

import httpx
from argon2 import PasswordHasher, Type, extract_parameters
from sqlalchemy import select, update
from starlette.applications import Starlette

from gateway import passwords
from gateway.store.db import transaction
from gateway.store.models import User
from tests.e2e.client import LOGIN, PASSWORD, GraphQLClient

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
    assert viewer["email"] == "jan.novak@example.cz"
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


async def stored_hash(app: Starlette, login: str) -> str:
    async with transaction(app.state.services.store) as db:
        return (await db.execute(select(User.password_hash).where(User.login == login))).scalar_one()


async def test_a_login_upgrades_a_hash_made_with_weaker_argon2_parameters(
    gql: GraphQLClient, app: Starlette
) -> None:
    # given: novak's password was hashed years ago with weaker parameters
    weak = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1, type=Type.ID).hash(PASSWORD)
    async with transaction(app.state.services.store) as db:
        await db.execute(update(User).where(User.login == "novak").values(password_hash=weak))

    # when
    wrong = await gql.login_raw("novak", "not-the-password")
    after_wrong = await stored_hash(app, "novak")
    right = await gql.login("novak")

    # then: only a successful login rehashes, with today's parameters, and the password still works
    assert wrong["data"]["login"]["token"] is None
    assert after_wrong == weak
    assert right["data"]["login"]["token"]
    upgraded = await stored_hash(app, "novak")
    assert extract_parameters(upgraded) == extract_parameters(passwords.hash_password(PASSWORD))
    assert extract_parameters(upgraded) != extract_parameters(weak)
    gql.headers.clear()
    gql.http.cookies.clear()
    assert (await gql.login("novak"))["data"]["login"]["token"]


async def test_logout_clears_the_cookie_for_the_whole_site(client: httpx.AsyncClient) -> None:
    # given: logged in by cookie
    await client.post(
        "/graphql", json={"query": LOGIN, "variables": {"login": "novak", "password": "Demo-heslo-2026"}}
    )

    # when
    response = await client.post("/graphql", json={"query": LOGOUT})

    # then: the cookie is expired on the path it was set on
    assert response.json()["data"]["logout"]["ok"] is True
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("portal_session=")
    assert "max-age=0" in cookie.lower()
    assert "Path=/;" in cookie or cookie.endswith("Path=/")


async def test_a_logout_without_a_session_answers_not_ok(gql: GraphQLClient) -> None:
    logout = await gql.execute(LOGOUT)

    assert logout["data"]["logout"]["ok"] is False
