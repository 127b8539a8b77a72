"""README numbers no other test pins at their boundary: depth 12, an e-mail token's 48 hours and
``Secure`` cookies outside demo mode. Each test fails when its number changes."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest
from pydantic import SecretStr

from gateway.app import create_app
from gateway.config import Settings
from tests.e2e.client import LOGIN, PASSWORD, GraphQLClient, error_codes
from tests.e2e.conftest import SettableClock
from tests.e2e.test_registration import (
    REGISTER,
    UNREGISTERED,
    VERIFY,
    outbox_tokens,
    proofs_of,
    registration,
)

T0 = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)


def nested(depth: int) -> str:
    """``depth`` nested selections; ``viewer`` has no field ``viewer``, so any depth is invalid,
    but the limits are checked before validation: past the limit it is too complex instead."""
    return "{ " + "viewer { " * depth + "login" + " }" * depth + " }"


@pytest.mark.parametrize(("depth", "code"), [(12, "GRAPHQL_VALIDATION_FAILED"), (13, "QUERY_TOO_COMPLEX")])
async def test_a_document_may_nest_twelve_levels_and_not_thirteen(
    gql: GraphQLClient, depth: int, code: str
) -> None:
    assert error_codes(await gql.execute(nested(depth))) == [code]


@pytest.mark.parametrize(
    ("after", "ok"), [(dt.timedelta(hours=47, minutes=59), True), (dt.timedelta(hours=48, minutes=1), False)]
)
async def test_an_email_token_is_good_for_48_hours_and_no_longer(
    gql: GraphQLClient, settings: Settings, clock: SettableClock, after: dt.timedelta, ok: bool
) -> None:
    # given: registered at T0, the token mailed
    clock.set(T0)
    variable_symbol, _ = await proofs_of(gql, UNREGISTERED)
    registered = await gql.execute(REGISTER, registration(proof={"variableSymbol": variable_symbol}))
    assert registered["data"]["register"]["errors"] == []
    [token] = outbox_tokens(settings.outbox_dir)

    # when
    clock.set(T0 + after)
    verified = await gql.execute(VERIFY, {"token": token})

    # then
    assert verified["data"]["verifyEmail"]["ok"] is ok


@pytest.mark.parametrize(("demo", "secure"), [(False, True), (True, False)])
async def test_session_cookies_are_secure_unless_in_demo_mode(
    settings: Settings, demo: bool, secure: bool
) -> None:
    app = create_app(
        settings.model_copy(update={"demo": demo, "secret_key": SecretStr("a-secret-of-our-own")})
    )
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://gateway.test") as http,
    ):
        response = await http.post(
            "/graphql", json={"query": LOGIN, "variables": {"login": "novak", "password": PASSWORD}}
        )

    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{settings.cookie_name}=")
    assert ("secure" in cookie.lower().split("; ")) is secure
    assert "httponly" in cookie.lower()
