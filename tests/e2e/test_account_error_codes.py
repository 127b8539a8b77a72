"""``logout`` and ``verifyEmail`` say why they did nothing, with a typed code of the account family."""

from __future__ import annotations

import datetime as dt

from gateway.config import Settings
from tests.e2e.client import GraphQLClient
from tests.e2e.conftest import SettableClock
from tests.e2e.test_registration import REGISTER, UNREGISTERED, outbox_tokens, proofs_of, registration

LOGOUT = "mutation { logout { ok errors { field message code } } }"
VERIFY = (
    "mutation Verify($token: String!) { verifyEmail(token: $token) { ok errors { field message code } } }"
)
T0 = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
TYPE = "type { kind name ofType { kind name } }"


async def _registered_token(gql: GraphQLClient, settings: Settings) -> str:
    variable_symbol, _ = await proofs_of(gql, UNREGISTERED)
    gql.headers.clear()
    registered = await gql.execute(REGISTER, registration(proof={"variableSymbol": variable_symbol}))
    assert registered["data"]["register"]["errors"] == [], registered
    [token] = outbox_tokens(settings.outbox_dir)
    return token


async def test_a_logout_ends_the_session_once_then_says_it_had_ended(gql: GraphQLClient) -> None:
    # given
    await gql.login("novak")

    # when
    first = (await gql.execute(LOGOUT))["data"]["logout"]
    again = (await gql.execute(LOGOUT))["data"]["logout"]

    # then
    assert first == {"ok": True, "errors": []}
    assert again["ok"] is False
    assert [(e["code"], e["field"]) for e in again["errors"]] == [("SESSION_ENDED", None)]
    assert again["errors"][0]["message"] == "This session had already ended."


async def test_a_logout_without_a_session_says_there_was_none(gql: GraphQLClient) -> None:
    result = (await gql.execute(LOGOUT))["data"]["logout"]

    assert result["ok"] is False
    assert [e["code"] for e in result["errors"]] == ["NOT_LOGGED_IN"]


async def test_a_reused_email_token_says_it_was_used(
    gql: GraphQLClient, settings: Settings, clock: SettableClock
) -> None:
    # given
    clock.set(T0)
    token = await _registered_token(gql, settings)

    # when
    first = (await gql.execute(VERIFY, {"token": token}))["data"]["verifyEmail"]
    reused = (await gql.execute(VERIFY, {"token": token}))["data"]["verifyEmail"]

    # then
    assert first == {"ok": True, "errors": []}
    assert reused["ok"] is False
    assert [(e["code"], e["field"]) for e in reused["errors"]] == [("TOKEN_USED", ["token"])]
    assert "already been confirmed" in reused["errors"][0]["message"]


async def test_an_expired_email_token_and_a_mistyped_one_say_which(
    gql: GraphQLClient, settings: Settings, clock: SettableClock
) -> None:
    # given
    clock.set(T0)
    token = await _registered_token(gql, settings)
    clock.set(T0 + dt.timedelta(hours=49))

    # when
    expired = (await gql.execute(VERIFY, {"token": token}))["data"]["verifyEmail"]
    mistyped = (await gql.execute(VERIFY, {"token": token[:-2]}))["data"]["verifyEmail"]

    # then
    assert (expired["ok"], [e["code"] for e in expired["errors"]]) == (False, ["TOKEN_EXPIRED"])
    assert (mistyped["ok"], [e["code"] for e in mistyped["errors"]]) == (False, ["TOKEN_UNKNOWN"])


async def test_every_payload_family_has_its_own_enum_of_codes(gql: GraphQLClient) -> None:
    # given: the error types' `code` fields, by introspection (on in demo settings)
    query = (
        "{ "
        + " ".join(
            f'{name}: __type(name: "{name}") {{ fields {{ name {TYPE} }} }}'
            for name in ("AccountError", "AccessError", "RequestError", "NominationError")
        )
        + " }"
    )

    # when
    result = await gql.execute(query)

    # then
    assert "errors" not in result, result
    for name, described in result["data"].items():
        code = next(field for field in described["fields"] if field["name"] == "code")
        assert code["type"] == {
            "kind": "NON_NULL",
            "name": None,
            "ofType": {"kind": "ENUM", "name": f"{name}Code"},
        }
