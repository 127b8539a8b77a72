"""The CSRF guard's documented exemptions (README, Accounts and access: CSRF).

A non-GET request carrying the session cookie must be ``application/json`` or send
``X-Requested-With`` / ``Apollo-Require-Preflight``; bearer and API-key requests are exempt.
Each exemption is checked against the refusal the same request earns without it, so a
dropped exemption turns these red.
"""

from __future__ import annotations

import httpx
import pytest

from tests.e2e.client import LOGIN, PASSWORD

VIEWER_BODY = '{"query": "{ viewer { login } }"}'
LOGOUT_BODY = '{"query": "mutation { logout { ok } }"}'
STAFF_KEY = "demo-staff-key"


async def cookie_and_token(client: httpx.AsyncClient) -> str:
    """Logs novak in: the session cookie stays in the client's jar; returns the bearer token."""
    response = await client.post(
        "/graphql", json={"query": LOGIN, "variables": {"login": "novak", "password": PASSWORD}}
    )
    assert "portal_session" in client.cookies
    token: str = response.json()["data"]["login"]["token"]
    return token


def is_csrf_refusal(response: httpx.Response) -> bool:
    return response.status_code == 403 and response.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_a_cookie_carrying_text_post_without_an_exemption_is_refused(client: httpx.AsyncClient) -> None:
    # given
    await cookie_and_token(client)

    # when
    response = await client.post("/graphql", content=VIEWER_BODY, headers={"content-type": "text/plain"})

    # then: the baseline every exemption below is measured against, a JSON answer a client can read
    assert is_csrf_refusal(response)
    assert response.headers["content-type"] == "application/json"
    assert response.json()["errors"][0]["extensions"] == {"code": "FORBIDDEN", "retryable": False}


@pytest.mark.parametrize("header", ["X-Requested-With", "Apollo-Require-Preflight"])
async def test_a_preflight_header_lets_a_cookie_request_through(
    client: httpx.AsyncClient, header: str
) -> None:
    # given
    await cookie_and_token(client)

    # when: a body a form could send, but with a header only a preflighted request carries
    response = await client.post(
        "/graphql", content=LOGOUT_BODY, headers={"content-type": "text/plain", header: "1"}
    )

    # then: the guard let it through (whatever the GraphQL layer then makes of text/plain)
    assert not is_csrf_refusal(response)
    assert response.status_code != 403


async def test_a_bearer_request_carrying_the_cookie_too_is_exempt(client: httpx.AsyncClient) -> None:
    # given: the browser's cookie is in the jar, and the client also sends its bearer token
    token = await cookie_and_token(client)

    # when
    response = await client.post(
        "/graphql",
        content=VIEWER_BODY,
        headers={"content-type": "text/plain", "Authorization": f"Bearer {token}"},
    )

    # then
    assert response.status_code != 403
    assert not is_csrf_refusal(response)


async def test_an_api_key_request_carrying_the_cookie_too_is_exempt(client: httpx.AsyncClient) -> None:
    # given
    await cookie_and_token(client)

    # when
    response = await client.post(
        "/graphql", content=VIEWER_BODY, headers={"content-type": "text/plain", "X-API-Key": STAFF_KEY}
    )

    # then
    assert response.status_code != 403
    assert not is_csrf_refusal(response)


async def test_a_bearer_request_is_answered_with_the_tokens_viewer(client: httpx.AsyncClient) -> None:
    # given: a token, and no cookie at all
    token = await cookie_and_token(client)
    client.cookies.clear()

    # when
    response = await client.post(
        "/graphql",
        json={"query": "{ viewer { login } }"},
        headers={"Authorization": f"Bearer {token}"},
    )

    # then
    assert response.json()["data"]["viewer"] == {"login": "novak"}


async def test_get_is_never_guarded(client: httpx.AsyncClient) -> None:
    # given
    await cookie_and_token(client)

    # when: a query over GET, with the cookie and no JSON or preflight header
    response = await client.get("/graphql", params={"query": "{ viewer { login } }"})

    # then
    assert response.status_code == 200
    assert response.json()["data"]["viewer"] == {"login": "novak"}


async def test_json_with_a_charset_parameter_is_json(client: httpx.AsyncClient) -> None:
    await cookie_and_token(client)

    response = await client.post(
        "/graphql",
        content='{"query": "{ viewer { login } }"}',
        headers={"content-type": "application/json; charset=utf-8"},
    )

    assert response.status_code == 200
    assert response.json()["data"]["viewer"] == {"login": "novak"}


async def test_a_cookie_request_without_a_content_type_is_refused(client: httpx.AsyncClient) -> None:
    await cookie_and_token(client)
    request = client.build_request("POST", "/graphql", content=VIEWER_BODY)
    assert "content-type" not in request.headers

    response = await client.send(request)

    assert is_csrf_refusal(response)
