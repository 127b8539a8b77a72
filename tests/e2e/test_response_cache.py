"""The response cache end to end (gateway.cache.responses): whole answers kept per viewer, and
never served past a revocation, an expiry, a write, a logout, to another user of the same
number, stale, or by one replica after another dropped them. Hits are told apart from misses
by ``gateway_response_cache_lookups_total``."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import update
from starlette.applications import Starlette

from gateway.app import create_app
from gateway.store import audit
from gateway.store.db import transaction
from gateway.store.models import ActorKind, ApiKey
from gateway.tokens import hash_token
from tests.e2e.client import GraphQLClient, error_codes, set_faults
from tests.e2e.conftest import REDIS_URL, SettableClock, _flushed_redis, settings_in
from tests.e2e.simulators import own_simulators
from tests.e2e.test_caching import advance

NOVAK = "1000012345"
POINTS = """
query Points($n: String!) {
  customer(number: $n) { supplyPoints { code correspondence { invoiceDelivery eInvoiceEmail } } }
}
"""
INVOICES = "query Invoices($n: String!) { customer(number: $n) { invoices(first: 2) { totalCount } } }"
NAMED = "query Named($n: String!) { customer(number: $n) { name invoices(first: 1) { totalCount } } }"
GRANT = """
mutation Grant($input: GrantAccessInput!) { grantAccess(input: $input) { errors { code } } }
"""
REVOKE = "mutation Revoke($input: RevokeAccessInput!) { revokeAccess(input: $input) { ok errors { code } } }"
LOGOUT = "mutation { logout { ok } }"
SUBMIT = """
mutation Submit($input: SubmitRequestInput!) {
  submitRequest(input: $input) { errors { field code message } }
}
"""


# Own simulators (CRM cases stay as filed): the change it submits stays out of the other modules.
simulators = own_simulators(progression=None)


async def lookups(http: httpx.AsyncClient) -> dict[str, float]:
    """``{"hit": n, "miss": n}`` of the app's response cache so far."""
    text = (await http.get("/metrics")).text
    return {
        sample.labels["result"]: sample.value
        for family in text_string_to_metric_families(text)
        if family.name == "gateway_response_cache_lookups"
        for sample in family.samples
        if sample.name.endswith("_total")
    }


async def signed_in(client: httpx.AsyncClient, login: str) -> GraphQLClient:
    """A bearer-token client: clients sharing one cookie jar would rotate each other out."""
    gql = GraphQLClient(client)
    await gql.login(login)
    client.cookies.clear()
    return gql


def grant(login: str, scopes: list[str], **more: object) -> dict[str, object]:
    return {
        "input": {"customerNumber": NOVAK, "login": login, "scopes": scopes, "consentText": "Souhlasím."}
        | more
    }


def revoke(login: str) -> dict[str, object]:
    return {"input": {"customerNumber": NOVAK, "login": login}}


async def test_a_repeated_query_is_answered_whole_from_the_cache(client: httpx.AsyncClient) -> None:
    # given
    novak = await signed_in(client, "novak")
    first = await novak.execute(POINTS, {"n": NOVAK})

    # when
    second = await novak.execute(POINTS, {"n": NOVAK})
    other_variables = await novak.execute(POINTS, {"n": "1000023456"})

    # then: the same answer, kept; other variables are another answer (not novak's: NOT_FOUND)
    assert "errors" not in first and second == first
    assert error_codes(other_variables) == ["NOT_FOUND"]
    assert await lookups(client) == {"miss": 2, "hit": 1}


async def test_a_revoked_delegate_is_not_answered_from_the_cache(client: httpx.AsyncClient) -> None:
    # given: svobodova's answer is kept
    novak, svobodova = await signed_in(client, "novak"), await signed_in(client, "svobodova")
    assert (await novak.execute(GRANT, grant("svobodova", ["VIEW_SUPPLY_POINTS"])))["data"]["grantAccess"][
        "errors"
    ] == []
    kept = await svobodova.execute(POINTS, {"n": NOVAK})
    assert "errors" not in kept and await svobodova.execute(POINTS, {"n": NOVAK}) == kept

    # when
    revoked = await novak.execute(REVOKE, revoke("svobodova"))
    after = await svobodova.execute(POINTS, {"n": NOVAK})

    # then
    assert revoked["data"]["revokeAccess"]["ok"] is True
    assert error_codes(after) == ["NOT_FOUND"] and after["data"]["customer"] is None


async def test_an_expired_grant_is_not_answered_from_the_cache(
    client: httpx.AsyncClient, clock: SettableClock
) -> None:
    # given: a grant for ten minutes, its answer kept
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    clock.set(now)
    novak, svobodova = await signed_in(client, "novak"), await signed_in(client, "svobodova")
    expires = (now + dt.timedelta(minutes=10)).isoformat()
    granted = await novak.execute(GRANT, grant("svobodova", ["VIEW_SUPPLY_POINTS"], expiresAt=expires))
    assert granted["data"]["grantAccess"]["errors"] == []
    kept = await svobodova.execute(POINTS, {"n": NOVAK})
    assert "errors" not in kept and await svobodova.execute(POINTS, {"n": NOVAK}) == kept
    hits = (await lookups(client))["hit"]

    # when: the grant expires (nothing dropped it: the access itself changed)
    clock.set(now + dt.timedelta(minutes=11))
    after = await svobodova.execute(POINTS, {"n": NOVAK})

    # then
    assert error_codes(after) == ["NOT_FOUND"]
    assert (await lookups(client))["hit"] == hits


async def test_a_write_shows_at_once_to_every_user_of_the_number(client: httpx.AsyncClient) -> None:
    # given: the owner's and a delegate's answers are kept
    novak, svobodova = await signed_in(client, "novak"), await signed_in(client, "svobodova")
    await novak.execute(GRANT, grant("svobodova", ["VIEW_SUPPLY_POINTS"]))
    for gql in (novak, svobodova):
        await gql.execute(POINTS, {"n": NOVAK})
        await gql.execute(POINTS, {"n": NOVAK})
    email = f"faktury-{uuid.uuid4().hex[:8]}@example.cz"

    # when: the owner changes the e-invoice address
    submitted = await novak.execute(
        SUBMIT,
        {
            "input": {
                "customerNumber": NOVAK,
                "idempotencyKey": uuid.uuid4().hex,
                "request": {"eInvoiceChange": {"email": email}},
            }
        },
    )

    # then: both see it in their next answer
    assert submitted["data"]["submitRequest"]["errors"] == []
    for gql in (novak, svobodova):
        points = (await gql.execute(POINTS, {"n": NOVAK}))["data"]["customer"]["supplyPoints"]
        assert {point["correspondence"]["eInvoiceEmail"] for point in points} == {email}


async def test_after_logout_the_token_gets_nothing_from_the_cache(client: httpx.AsyncClient) -> None:
    # given
    novak = await signed_in(client, "novak")
    kept = await novak.execute(POINTS, {"n": NOVAK})
    assert await novak.execute(POINTS, {"n": NOVAK}) == kept

    # when
    assert (await novak.execute(LOGOUT))["data"]["logout"]["ok"] is True
    after = await novak.execute(POINTS, {"n": NOVAK})

    # then
    assert error_codes(after) == ["UNAUTHENTICATED"] and after["data"]["customer"] is None


async def test_two_users_of_one_number_each_have_their_own_answers(client: httpx.AsyncClient) -> None:
    # given: two delegates with the same scopes on novak's number ask the same document
    novak = await signed_in(client, "novak")
    poradce, svobodova = await signed_in(client, "poradce"), await signed_in(client, "svobodova")
    await novak.execute(GRANT, grant("svobodova", ["VIEW_BILLING"]))
    answers = [await gql.execute(INVOICES, {"n": NOVAK}) for gql in (poradce, svobodova, poradce, svobodova)]
    assert "errors" not in answers[0] and all(answer == answers[0] for answer in answers)
    assert await lookups(client) == {"miss": 2, "hit": 2}  # one kept per user, not shared

    # when: one of them loses the grant
    await novak.execute(REVOKE, revoke("svobodova"))

    # then: she gets nothing; the other still gets his own answer
    assert error_codes(await svobodova.execute(INVOICES, {"n": NOVAK})) == ["NOT_FOUND"]
    assert await poradce.execute(INVOICES, {"n": NOVAK}) == answers[0]


async def test_a_delegate_never_gets_the_owners_answer(client: httpx.AsyncClient) -> None:
    # given: the owner's answer (with the customer's name) is kept
    novak, poradce = await signed_in(client, "novak"), await signed_in(client, "poradce")
    owners = await novak.execute(NAMED, {"n": NOVAK})
    assert "errors" not in owners and owners["data"]["customer"]["name"]

    # when: the billing-only delegate asks the same document, twice
    first = await poradce.execute(NAMED, {"n": NOVAK})
    second = await poradce.execute(NAMED, {"n": NOVAK})

    # then: the name is FORBIDDEN to him (an answer with an error is not kept); the billing is his
    for answer in (first, second):
        assert error_codes(answer) == ["FORBIDDEN"]
        assert answer["data"]["customer"]["name"] is None
        assert answer["data"]["customer"]["invoices"] == owners["data"]["customer"]["invoices"]
    assert await novak.execute(NAMED, {"n": NOVAK}) == owners
    assert await lookups(client) == {"miss": 3, "hit": 1}


async def test_a_stale_answer_is_not_kept(
    client: httpx.AsyncClient, app: Starlette, simulators: dict[str, str]
) -> None:
    # given: novak's invoices kept, then past their TTL, and billing down
    novak = await signed_in(client, "novak")
    fresh = await novak.execute(INVOICES, {"n": NOVAK})
    advance(app, 20)
    set_faults(simulators["billing"], mode="down")
    stale = await novak.execute(INVOICES, {"n": NOVAK})

    # when: billing is back
    set_faults(simulators["billing"], mode="ok")
    after = await novak.execute(INVOICES, {"n": NOVAK})

    # then: the stale answer was flagged and not kept; the next one is fresh
    assert stale["extensions"]["stale"][0]["backend"] == "billing"
    assert stale["data"] == fresh["data"]
    assert "extensions" not in after and after["data"] == fresh["data"]
    assert (await lookups(client)).get("hit", 0) == 0


async def test_a_staff_hit_is_audited_like_a_miss(gql: GraphQLClient, app: Starlette) -> None:
    # given
    gql.headers["X-API-Key"] = "demo-staff-key"

    # when: the same read twice, the second from the cache
    first, second = await gql.execute(NAMED, {"n": NOVAK}), await gql.execute(NAMED, {"n": NOVAK})

    # then
    assert "errors" not in first and second == first
    assert await lookups(gql.http) == {"miss": 1, "hit": 1}
    async with transaction(app.state.services.store) as db:
        entries = await audit.list_audit(db, actor_kind=ActorKind.STAFF)
    assert [(e.customer_number, e.action, (e.detail or {})["operation"]) for e in entries] == [
        (NOVAK, "staff_read", "Named"),
        (NOVAK, "staff_read", "Named"),
    ]


async def test_a_staff_keys_answers_are_not_served_once_its_roles_change(
    gql: GraphQLClient, app: Starlette
) -> None:
    # given: a support key's answer, kept
    gql.headers["X-API-Key"] = "demo-support-key"
    kept = await gql.execute(NAMED, {"n": NOVAK})
    assert "errors" not in kept

    # when: the key's roles become AUDITOR only (no customers), and it asks again
    async with transaction(app.state.services.store) as db:
        await db.execute(
            update(ApiKey).where(ApiKey.key_hash == hash_token("demo-support-key")).values(roles=["AUDITOR"])
        )
    again = await gql.execute(NAMED, {"n": NOVAK})

    # then: the roles are part of the key's fingerprint: no hit, refused
    assert error_codes(again) == ["FORBIDDEN"]
    assert await lookups(gql.http) == {"miss": 2}


async def test_viewer_and_rate_limit_fields_are_never_kept(gql: GraphQLClient) -> None:
    await gql.login("novak")
    for _ in range(2):
        await gql.execute("{ viewer { login } }")
        await gql.execute("{ rateLimitInfo { remaining } }")
        await gql.execute('query Mixed { customer(number: "1000012345") { number } viewer { login } }')

    assert await lookups(gql.http) == {"miss": 6}


@pytest.fixture
async def replicas(
    simulators: dict[str, str], seeded_database: Path, tmp_path: Path
) -> AsyncIterator[list[httpx.AsyncClient]]:
    """Two gateways on one account store and one Redis (GATEWAY_TEST_REDIS_URL)."""
    if REDIS_URL is None:
        pytest.skip("two replicas share answers only through Redis: needs GATEWAY_TEST_REDIS_URL")
    settings = settings_in(
        tmp_path, simulators=simulators, seeded_database=seeded_database, redis_url=await _flushed_redis()
    )
    apps = [create_app(settings), create_app(settings)]
    async with apps[0].router.lifespan_context(apps[0]), apps[1].router.lifespan_context(apps[1]):
        https = [
            httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://gateway.test")
            for app in apps
        ]
        yield https
        for http in https:
            await http.aclose()


@pytest.mark.redis
async def test_a_grant_change_on_one_replica_drops_the_answers_the_other_kept(
    replicas: list[httpx.AsyncClient],
) -> None:
    # given: svobodova's answer kept through replica 0, and served by replica 1 from Redis
    novak = await signed_in(replicas[1], "novak")
    svobodova_0 = await signed_in(replicas[0], "svobodova")
    svobodova_1 = GraphQLClient(replicas[1])
    svobodova_1.headers = dict(svobodova_0.headers)
    await novak.execute(GRANT, grant("svobodova", ["VIEW_BILLING"]))
    kept: dict[str, Any] = await svobodova_0.execute(INVOICES, {"n": NOVAK})
    assert "errors" not in kept and await svobodova_1.execute(INVOICES, {"n": NOVAK}) == kept
    assert (await lookups(replicas[1]))["hit"] == 1

    # when: the owner, on replica 1, narrows her grant to supply points
    await novak.execute(GRANT, grant("svobodova", ["VIEW_SUPPLY_POINTS"]))
    await novak.execute(GRANT, grant("svobodova", ["VIEW_SUPPLY_POINTS"]))

    # then: replica 0 no longer answers her invoices
    assert error_codes(await svobodova_0.execute(INVOICES, {"n": NOVAK})) == ["FORBIDDEN"]


@pytest.mark.redis
async def test_a_write_on_one_replica_shows_at_once_on_the_other(
    replicas: list[httpx.AsyncClient],
) -> None:
    # given: novak's answer kept in Redis through replica 0
    novak_0 = await signed_in(replicas[0], "novak")
    novak_1 = GraphQLClient(replicas[1])
    novak_1.headers = dict(novak_0.headers)
    await novak_0.execute(POINTS, {"n": NOVAK})
    assert (await novak_1.execute(POINTS, {"n": NOVAK}))["data"]
    assert (await lookups(replicas[1]))["hit"] == 1
    email = f"faktury-{uuid.uuid4().hex[:8]}@example.cz"

    # when: a write through replica 1
    submitted = await novak_1.execute(
        SUBMIT,
        {
            "input": {
                "customerNumber": NOVAK,
                "idempotencyKey": uuid.uuid4().hex,
                "request": {"eInvoiceChange": {"email": email}},
            }
        },
    )

    # then: replica 0 answers the new address at once
    assert submitted["data"]["submitRequest"]["errors"] == []
    points = (await novak_0.execute(POINTS, {"n": NOVAK}))["data"]["customer"]["supplyPoints"]
    assert {point["correspondence"]["eInvoiceEmail"] for point in points} == {email}
