"""Sessions: throttled failed logins, rotation, password change ending every session."""

from __future__ import annotations

import httpx

from tests.e2e.client import LOGIN, PASSWORD, GraphQLClient, error_codes

VIEWER = "{ viewer { login } }"
CHANGE_PASSWORD = """
mutation Change($input: ChangePasswordInput!) {
  changePassword(input: $input) { token viewer { login } errors { field code message } }
}
"""
NEW_PASSWORD = "Nove-heslo-pro-2027"


async def test_failed_logins_are_rate_limited_alike_for_known_and_unknown_logins(gql: GraphQLClient) -> None:
    # given: the free attempts used up
    for _ in range(5):
        assert (await gql.login("novak", "wrong-password"))["data"]["login"]["token"] is None
        assert (await gql.login("nobody-at-all", "wrong-password"))["data"]["login"]["token"] is None

    # when
    known = await gql.login_raw("novak", "wrong-password")
    unknown = await gql.login_raw("nobody-at-all", "wrong-password")
    right_password = await gql.login_raw("novak", PASSWORD)

    # then
    assert error_codes(known) == error_codes(unknown) == error_codes(right_password) == ["RATE_LIMITED"]
    assert known["errors"][0]["message"] == unknown["errors"][0]["message"]
    assert 0 < known["errors"][0]["extensions"]["retryAfter"] <= 300
    assert known["errors"][0]["extensions"]["retryable"] is True


async def test_a_successful_login_clears_the_login_counter(gql: GraphQLClient) -> None:
    for _ in range(4):
        await gql.login("novak", "wrong-password")
    assert (await gql.login("novak"))["data"]["login"]["errors"] == []

    for _ in range(4):  # four more are free again
        result = await gql.login_raw("novak", "wrong-password")
        assert "errors" not in result


async def test_login_rotates_the_session(client: httpx.AsyncClient) -> None:
    # given
    variables = {"login": "novak", "password": PASSWORD}
    first = (await client.post("/graphql", json={"query": LOGIN, "variables": variables})).json()
    old_token = first["data"]["login"]["token"]

    # when: logging in again with the old session's cookie
    second = (await client.post("/graphql", json={"query": LOGIN, "variables": variables})).json()

    # then
    assert second["data"]["login"]["token"] != old_token
    old = await client.post(
        "/graphql", json={"query": VIEWER}, headers={"Authorization": f"Bearer {old_token}"}
    )
    assert old.json()["data"]["viewer"] is None


async def test_changing_the_password_ends_every_session_and_gives_a_new_one(
    client: httpx.AsyncClient,
) -> None:
    # given: two sessions
    phone, laptop = GraphQLClient(client), GraphQLClient(client)
    await phone.login("novak")
    await laptop.login("novak")

    # when
    wrong = await laptop.execute(
        CHANGE_PASSWORD, {"input": {"currentPassword": "nope-nope-nope", "newPassword": NEW_PASSWORD}}
    )
    changed = await laptop.execute(
        CHANGE_PASSWORD, {"input": {"currentPassword": PASSWORD, "newPassword": NEW_PASSWORD}}
    )

    # then
    assert wrong["data"]["changePassword"]["errors"][0]["code"] == "WRONG_PASSWORD"
    payload = changed["data"]["changePassword"]
    assert payload["errors"] == []
    client.cookies.clear()
    assert (await phone.execute(VIEWER))["data"]["viewer"] is None
    assert (await laptop.execute(VIEWER))["data"]["viewer"] is None  # the old token ended too
    laptop.headers["Authorization"] = f"Bearer {payload['token']}"
    assert (await laptop.execute(VIEWER))["data"]["viewer"] == {"login": "novak"}
    assert (await GraphQLClient(client).login("novak", NEW_PASSWORD))["data"]["login"]["errors"] == []


async def test_a_weak_new_password_is_refused(gql: GraphQLClient) -> None:
    await gql.login("novak")

    result = await gql.execute(
        CHANGE_PASSWORD, {"input": {"currentPassword": PASSWORD, "newPassword": "novak-novak-novak"}}
    )

    assert result["data"]["changePassword"]["errors"][0]["code"] == "WEAK_PASSWORD"
