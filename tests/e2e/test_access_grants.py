"""Third parties: the owner grants scopes with consent and revokes; effects are immediate."""

from __future__ import annotations

import datetime as dt

import httpx

from gateway.store.demo import PORADCE_CONSENT
from tests.e2e.client import GraphQLClient, error_codes
from tests.e2e.conftest import SettableClock

NOVAK = "1000012345"
GRANT = """
mutation Grant($input: GrantAccessInput!) {
  grantAccess(input: $input) { grant { login role scopes consentAt expiresAt } errors { code message } }
}
"""
REVOKE = "mutation Revoke($input: RevokeAccessInput!) { revokeAccess(input: $input) { ok errors { code } } }"
GRANTS = "query G($n: String!) { customer(number: $n) { accessGrants { login role scopes } } }"
INVOICES = "query I($n: String!) { customer(number: $n) { invoices(first: 1) { totalCount } } }"
POINTS = "query P($n: String!) { customer(number: $n) { supplyPoints { code } } }"
CONSENT = "Souhlasím, aby svobodova viděla moje odběrná místa."
CONSENTS = """
query Consents($n: String!) {
  customer(number: $n) { accessGrants { login role consentText consentAt grantedBy } }
}
"""


async def sign_in(gql: GraphQLClient, login: str) -> None:
    """Log in by bearer token only: clients sharing one cookie jar would rotate each other out."""
    await gql.login(login)
    gql.http.cookies.clear()


def grant(login: str = "svobodova", **overrides: object) -> dict[str, object]:
    return {
        "input": {
            "customerNumber": NOVAK,
            "login": login,
            "scopes": ["VIEW_SUPPLY_POINTS"],
            "consentText": CONSENT,
        }
        | overrides
    }


async def test_the_owner_grants_scopes_with_consent_and_the_delegate_gets_only_those(
    client: httpx.AsyncClient,
) -> None:
    # given
    owner, delegate = GraphQLClient(client), GraphQLClient(client)
    await sign_in(owner, "novak")
    await sign_in(delegate, "svobodova")

    # when
    granted = await owner.execute(GRANT, grant())

    # then
    payload = granted["data"]["grantAccess"]
    assert payload["errors"] == []
    assert payload["grant"]["login"] == "svobodova"
    assert payload["grant"]["scopes"] == ["VIEW_SUPPLY_POINTS"]
    assert payload["grant"]["consentAt"] is not None
    assert error_codes(await delegate.execute(POINTS, {"n": NOVAK})) == []
    assert error_codes(await delegate.execute(INVOICES, {"n": NOVAK})) == ["FORBIDDEN"]
    grants = (await owner.execute(GRANTS, {"n": NOVAK}))["data"]["customer"]["accessGrants"]
    assert {g["login"] for g in grants} == {"novak", "poradce", "svobodova"}


async def test_a_revoked_grant_gives_nothing_at_once(client: httpx.AsyncClient) -> None:
    # given: poradce reads novak's invoices
    owner, delegate = GraphQLClient(client), GraphQLClient(client)
    await sign_in(owner, "novak")
    await sign_in(delegate, "poradce")
    assert error_codes(await delegate.execute(INVOICES, {"n": NOVAK})) == []

    # when
    revoked = await owner.execute(REVOKE, {"input": {"customerNumber": NOVAK, "login": "poradce"}})

    # then
    assert revoked["data"]["revokeAccess"] == {"ok": True, "errors": []}
    assert error_codes(await delegate.execute(INVOICES, {"n": NOVAK})) == ["NOT_FOUND"]
    assert (await delegate.execute("{ viewer { customers { number } } }"))["data"]["viewer"][
        "customers"
    ] == []


async def test_an_expired_grant_gives_nothing(client: httpx.AsyncClient) -> None:
    owner, delegate = GraphQLClient(client), GraphQLClient(client)
    await sign_in(owner, "novak")
    await sign_in(delegate, "svobodova")

    past = await owner.execute(GRANT, grant(expiresAt="2020-01-01T00:00:00+00:00"))

    assert past["data"]["grantAccess"]["errors"][0]["code"] == "INVALID_GRANT"
    assert error_codes(await delegate.execute(POINTS, {"n": NOVAK})) == ["NOT_FOUND"]


async def test_only_the_owner_grants_and_a_stranger_learns_nothing(client: httpx.AsyncClient) -> None:
    delegate, stranger = GraphQLClient(client), GraphQLClient(client)
    await sign_in(delegate, "poradce")
    await sign_in(stranger, "pekarna")

    by_delegate = await delegate.execute(GRANT, grant())
    by_stranger = await stranger.execute(GRANT, grant())
    missing = await stranger.execute(GRANT, grant(customerNumber="1999999999"))

    assert by_delegate["data"]["grantAccess"]["errors"][0]["code"] == "FORBIDDEN"
    assert by_stranger["data"]["grantAccess"]["errors"] == missing["data"]["grantAccess"]["errors"]
    assert by_stranger["data"]["grantAccess"]["errors"][0]["code"] == "NOT_FOUND"
    assert error_codes(await delegate.execute(GRANTS, {"n": NOVAK})) == ["FORBIDDEN"]


async def test_the_owner_sees_the_consent_recorded_with_each_grant(
    client: httpx.AsyncClient, clock: SettableClock
) -> None:
    # given
    clock.set(dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC))
    owner = GraphQLClient(client)
    await sign_in(owner, "novak")

    # when: the consent is given with stray spaces around it
    granted = await owner.execute(GRANT, grant(consentText=f"  {CONSENT}\n"))
    grants = (await owner.execute(CONSENTS, {"n": NOVAK}))["data"]["customer"]["accessGrants"]

    # then
    assert granted["data"]["grantAccess"]["errors"] == []
    by_login = {g.pop("login"): g for g in grants}
    assert by_login["svobodova"] == {
        "role": "DELEGATE",
        "consentText": CONSENT,
        "consentAt": "2026-03-02T09:30:00+00:00",
        "grantedBy": "novak",
    }
    assert by_login["poradce"]["consentText"] == PORADCE_CONSENT  # seeded with the demo
    assert by_login["poradce"]["grantedBy"] == "novak"
    assert by_login["poradce"]["consentAt"] is not None
    assert by_login["novak"] == {"role": "OWNER", "consentText": None, "consentAt": None, "grantedBy": None}
