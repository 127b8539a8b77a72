"""Viewers kept between requests (gateway.session_cache): the session statement runs once while
nothing changes, and a revocation, a logout, a password change, an idle timeout or a write
straight to the store holds from the next request on, on this replica and on another one
(Redis)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import event, update
from starlette.applications import Starlette

from gateway.app import create_app
from gateway.store.db import transaction
from gateway.store.models import CustomerAccess, User
from tests.e2e.client import PASSWORD, GraphQLClient, error_codes
from tests.e2e.conftest import REDIS_URL, SettableClock, _flushed_redis, settings_in
from tests.e2e.test_response_cache import GRANT, NOVAK, POINTS, grant, lookups, replicas, signed_in
from tests.redis_proxy import RedisProxy

__all__ = ["replicas"]  # the fixture, shared with the response cache's tests

VIEWER = "{ viewer { login } }"
LOGOUT = "mutation { logout { ok } }"
CHANGE_PASSWORD = """
mutation Change($input: ChangePasswordInput!) { changePassword(input: $input) { token errors { code } } }
"""


@pytest.fixture
def session_reads(app: Starlette) -> Iterator[list[str]]:
    """Every statement the app's store runs that reads the sessions table."""
    engine = app.state.services.store.kw["bind"].sync_engine
    seen: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "FROM sessions" in statement:
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    yield seen
    event.remove(engine, "before_cursor_execute", record)


async def test_the_session_is_read_once_while_nothing_changes(
    client: httpx.AsyncClient, session_reads: list[str], clock: SettableClock
) -> None:
    # given
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    clock.set(now)
    novak = await signed_in(client, "novak")
    session_reads.clear()

    # when: three requests, then another after the idle clock's write is due (every 30 s)
    for _ in range(3):
        assert (await novak.execute(VIEWER))["data"]["viewer"]["login"] == "novak"
    clock.set(now + dt.timedelta(seconds=31))
    for _ in range(3):
        assert (await novak.execute(VIEWER))["data"]["viewer"]["login"] == "novak"

    # then: one statement, and one more to write last_seen_at (which changes no viewer)
    assert len(session_reads) == 2


async def test_another_users_login_keeps_the_viewers_kept(
    client: httpx.AsyncClient, session_reads: list[str], clock: SettableClock
) -> None:
    # given: novak's viewer kept
    clock.set(dt.datetime.now(dt.UTC).replace(microsecond=0))
    novak = await signed_in(client, "novak")
    assert (await novak.execute(VIEWER))["data"]["viewer"]["login"] == "novak"
    session_reads.clear()

    # when: two other users log in (each a new session row), then novak reads again
    others = [await signed_in(client, "svobodova"), await signed_in(client, "pekarna")]
    assert (await novak.execute(VIEWER))["data"]["viewer"]["login"] == "novak"

    # then: novak's session was not read again (a login changes no viewer kept), and the new
    # sessions are read once each on their first request
    assert session_reads == []
    for other in others:
        assert "errors" not in await other.execute(VIEWER)
    assert len(session_reads) == 2


async def test_a_grant_revoked_straight_in_the_store_holds_from_the_next_request(
    client: httpx.AsyncClient, app: Starlette
) -> None:
    # given: svobodova's viewer and answer kept
    novak, svobodova = await signed_in(client, "novak"), await signed_in(client, "svobodova")
    assert (await novak.execute(GRANT, grant("svobodova", ["VIEW_SUPPLY_POINTS"])))["data"]["grantAccess"][
        "errors"
    ] == []
    kept = await svobodova.execute(POINTS, {"n": NOVAK})
    assert "errors" not in kept and await svobodova.execute(POINTS, {"n": NOVAK}) == kept

    # when: the grant ends by a write that is no mutation (nothing drops the response cache)
    async with transaction(app.state.services.store) as db:
        user_id = (await db.execute(User.__table__.select().where(User.login == "svobodova"))).one().id
        await db.execute(
            update(CustomerAccess)
            .where(CustomerAccess.user_id == user_id, CustomerAccess.customer_number == NOVAK)
            .values(revoked_at=dt.datetime.now(dt.UTC))
        )
    after = await svobodova.execute(POINTS, {"n": NOVAK})

    # then
    assert error_codes(after) == ["NOT_FOUND"]


async def test_a_password_change_ends_the_other_kept_sessions_at_once(client: httpx.AsyncClient) -> None:
    # given: two sessions of novak, the first one's viewer kept
    first, second = await signed_in(client, "novak"), await signed_in(client, "novak")
    assert (await first.execute(VIEWER))["data"]["viewer"]["login"] == "novak"
    assert (await first.execute(VIEWER))["data"]["viewer"]["login"] == "novak"

    # when
    changed = await second.execute(
        CHANGE_PASSWORD, {"input": {"currentPassword": PASSWORD, "newPassword": "Jine-heslo-2026-x"}}
    )

    # then
    assert changed["data"]["changePassword"]["errors"] == []
    assert error_codes(await first.execute(VIEWER)) == ["UNAUTHENTICATED"]


async def test_a_kept_session_still_ends_when_idle(client: httpx.AsyncClient, clock: SettableClock) -> None:
    # given
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    clock.set(now)
    novak = await signed_in(client, "novak")
    assert (await novak.execute(VIEWER))["data"]["viewer"]["login"] == "novak"

    # when: idle past the timeout (30 minutes)
    clock.set(now + dt.timedelta(minutes=31))

    # then
    assert error_codes(await novak.execute(VIEWER)) == ["UNAUTHENTICATED"]


@pytest.mark.redis
async def test_a_logout_on_one_replica_holds_at_once_on_the_other(replicas: list[httpx.AsyncClient]) -> None:
    # given: one token, its viewer kept by both replicas
    novak_0 = await signed_in(replicas[0], "novak")
    novak_1 = GraphQLClient(replicas[1])
    novak_1.headers = dict(novak_0.headers)
    for gql in (novak_0, novak_1, novak_0, novak_1):
        assert (await gql.execute(VIEWER))["data"]["viewer"]["login"] == "novak"

    # when
    assert (await novak_1.execute(LOGOUT))["data"]["logout"]["ok"] is True

    # then
    assert error_codes(await novak_0.execute(VIEWER)) == ["UNAUTHENTICATED"]


@pytest.mark.redis
async def test_a_revocation_on_one_replica_holds_at_once_on_the_other(
    replicas: list[httpx.AsyncClient],
) -> None:
    # given: svobodova's viewer kept by replica 0
    novak = await signed_in(replicas[1], "novak")
    svobodova = await signed_in(replicas[0], "svobodova")
    await novak.execute(GRANT, grant("svobodova", ["VIEW_SUPPLY_POINTS"]))
    assert "errors" not in await svobodova.execute(POINTS, {"n": NOVAK})
    assert "errors" not in await svobodova.execute(VIEWER)

    # when: the owner revokes on replica 1
    revoked = await novak.execute(
        "mutation R($input: RevokeAccessInput!) { revokeAccess(input: $input) { ok } }",
        {"input": {"customerNumber": NOVAK, "login": "svobodova"}},
    )

    # then
    assert revoked["data"]["revokeAccess"]["ok"] is True
    assert error_codes(await svobodova.execute(POINTS, {"n": NOVAK})) == ["NOT_FOUND"]


@pytest.mark.parametrize("accept", ["application/json", "application/graphql-response+json"])
async def test_a_hit_is_answered_as_the_miss_was(client: httpx.AsyncClient, accept: str) -> None:
    """The hit's own path (GatewayGraphQL._answer_from_cache): the same status, headers and body."""
    # given
    novak = await signed_in(client, "novak")
    headers = {**novak.headers, "Accept": accept}
    payload = {"query": POINTS, "variables": {"n": NOVAK}}

    # when
    miss = await client.post("/graphql", json=payload, headers=headers)
    hit = await client.post("/graphql", json=payload, headers=headers)

    # then
    assert (await lookups(client)) == {"miss": 1, "hit": 1}
    assert hit.status_code == miss.status_code == 200
    assert hit.content == miss.content
    varying = {"x-request-id", "date", "content-length"}
    assert {k: v for k, v in hit.headers.items() if k not in varying} == {
        k: v for k, v in miss.headers.items() if k not in varying
    }
    assert hit.headers["x-request-id"] != miss.headers["x-request-id"]


@pytest.mark.redis
async def test_a_hit_is_one_redis_round_trip_that_still_sees_another_replicas_change(
    simulators: dict[str, str], seeded_database: Path, tmp_path: Path
) -> None:
    """A response-cache hit reads the viewers' epoch and the answer in one round trip
    (``SessionCache.lookup_reading``; a request budget in Redis is one more, off here): an
    answer kept is served only while the viewer it was kept for holds, here after a grant ends
    straight in the store on another replica, which no mutation announces, so no answer drops."""
    # given: two replicas; replica 0 talks to Redis through a proxy that counts what it sends
    if REDIS_URL is None:
        pytest.skip("replicas share their viewers' epoch only through Redis: needs GATEWAY_TEST_REDIS_URL")
    settings = settings_in(
        tmp_path, simulators=simulators, seeded_database=seeded_database, redis_url=await _flushed_redis()
    ).model_copy(update={"rate_limit_points": 0})
    proxy = RedisProxy(settings.redis_url or "")
    await proxy.open()
    apps = [create_app(settings.model_copy(update={"redis_url": proxy.url})), create_app(settings)]
    async with apps[0].router.lifespan_context(apps[0]), apps[1].router.lifespan_context(apps[1]):
        transports = [httpx.ASGITransport(app) for app in apps]
        replicas = [httpx.AsyncClient(transport=transport, base_url="http://gw") for transport in transports]
        novak = await signed_in(replicas[1], "novak")
        await novak.execute(GRANT, grant("svobodova", ["VIEW_SUPPLY_POINTS"]))
        svobodova = await signed_in(replicas[0], "svobodova")
        kept = await svobodova.execute(POINTS, {"n": NOVAK})
        assert "errors" not in kept

        # when: the answer again (a hit), then the grant ends straight in the store through
        # replica 1, which shares the change with its next request
        before = proxy.writes
        assert await svobodova.execute(POINTS, {"n": NOVAK}) == kept
        round_trips = proxy.writes - before
        async with transaction(apps[1].state.services.store) as db:
            user_id = (await db.execute(User.__table__.select().where(User.login == "svobodova"))).one().id
            await db.execute(
                update(CustomerAccess)
                .where(CustomerAccess.user_id == user_id, CustomerAccess.customer_number == NOVAK)
                .values(revoked_at=dt.datetime.now(dt.UTC))
            )
        assert (await novak.execute(VIEWER))["data"]["viewer"]["login"] == "novak"
        after = await svobodova.execute(POINTS, {"n": NOVAK})
        hits = (await lookups(replicas[0]))["hit"]
        for replica in replicas:
            await replica.aclose()
    await proxy.close()

    # then: the hit was one round trip, and replica 0 no longer serves the kept answer
    assert (round_trips, hits) == (1, 1)
    assert error_codes(after) == ["NOT_FOUND"]
