"""Redis vanishing and coming back, for real (a TCP proxy in front of the test Redis that the
test closes and reopens): logins, throttling, the request budget, the cache and persisted
queries keep answering on local fallbacks, ``/readyz`` reports Redis without going unready,
and once Redis answers again the shared state is used again."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import secrets
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from redis.asyncio import Redis
from starlette.applications import Starlette

from gateway.app import create_app
from gateway.config import Settings
from gateway.http.persisted_queries import document_hash
from gateway.store.models import login_key
from gateway.throttle import LOGIN_POLICY
from tests.e2e.client import PASSWORD, GraphQLClient, error_codes
from tests.e2e.conftest import SettableClock
from tests.e2e.test_overview import OVERVIEW
from tests.redis_proxy import RedisProxy, redis_proxy

pytestmark = pytest.mark.redis

NOVAK = "1000012345"
RETRY_SECONDS = 0.2
VIEWER = "{ viewer { login } }"
NOW = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
async def proxy() -> AsyncIterator[RedisProxy]:
    async with redis_proxy() as proxy:
        yield proxy


@contextlib.asynccontextmanager
async def gateway(
    settings: Settings, proxy: RedisProxy, clock: SettableClock, **more: Any
) -> AsyncIterator[tuple[Starlette, GraphQLClient]]:
    """The gateway on Redis through ``proxy``, and a client at an address of its own."""
    update = {"redis_url": proxy.url, "redis_timeout": 0.5, "redis_retry_seconds": RETRY_SECONDS, **more}
    app = create_app(settings.model_copy(update=update), clock=clock)
    address = f"10.{secrets.randbelow(250)}.{secrets.randbelow(250)}.{secrets.randbelow(250) + 1}"
    transport = httpx.ASGITransport(app, client=(address, 40000))
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://gateway.test") as client,
    ):
        yield app, GraphQLClient(client)


def metric(text: str, prefix: str) -> float:
    """The sum of the samples whose line starts with ``prefix``."""
    return sum(float(line.split()[-1]) for line in text.splitlines() if line.startswith(prefix))


async def metrics(gql: GraphQLClient) -> str:
    return (await gql.http.get("/metrics")).text


async def back(proxy: RedisProxy) -> None:
    """Redis comes back, and the gateway's retry is due."""
    await proxy.open()
    await asyncio.sleep(RETRY_SECONDS * 1.5)


def login_code(result: dict[str, Any]) -> str:
    """What a login answered: a token, its payload's error code, or the request's error codes."""
    if error_codes(result):
        return ",".join(error_codes(result))
    payload = result["data"]["login"]
    return "token" if payload["token"] else payload["errors"][0]["code"]


async def test_logins_answer_while_redis_is_gone_throttled_locally_then_shared_again(
    settings: Settings, proxy: RedisProxy, clock: SettableClock
) -> None:
    shared = Redis.from_url(proxy.target_url)
    ghost, later = f"ghost-{secrets.token_hex(4)}", f"ghost-{secrets.token_hex(4)}"
    try:
        async with gateway(settings, proxy, clock) as (_, gql):
            assert login_code(await gql.login_raw("novak")) == "token"  # on Redis

            # when: Redis vanishes at run time
            await proxy.close()
            wrong = [login_code(await gql.login_raw(ghost, "guess")) for _ in range(LOGIN_POLICY.lock_after)]
            locked = login_code(await gql.login_raw(ghost, "guess"))
            right = login_code(await gql.login_raw("novak", PASSWORD))
            down = await metrics(gql)

            # then: answered as usual, and the limit still applies (in this process)
            assert wrong == ["INVALID_CREDENTIALS"] * LOGIN_POLICY.lock_after
            assert locked == "RATE_LIMITED"
            assert right == "token"
            assert metric(down, "gateway_redis_up ") == 0
            calls = 2 * LOGIN_POLICY.lock_after + 1 + 2  # reserved and settled; refused; reserved and settled
            assert metric(down, 'gateway_redis_fallbacks_total{user="throttle"}') == calls

            # when: Redis is back
            await back(proxy)
            again = login_code(await gql.login_raw(later, "guess"))
            up = await metrics(gql)

            # then: the failure is counted in Redis, shared by every replica
            assert again == "INVALID_CREDENTIALS"
            state = f"gateway:throttle:{{login:{login_key(later)[:64]}}}"
            assert await shared.hget(state, "failures") == b"1"
            assert metric(up, "gateway_redis_up ") == 1
    finally:
        for name in (ghost, later):
            key = f"gateway:throttle:{{login:{login_key(name)[:64]}}}"
            await shared.delete(key, f"{key}:in-flight")
        await shared.aclose()


async def test_a_gateway_starts_without_redis_answers_every_login_and_reports_redis_in_readyz(
    settings: Settings, proxy: RedisProxy, clock: SettableClock, caplog: pytest.LogCaptureFixture
) -> None:
    # given: Redis unreachable at start-up
    await proxy.close()
    caplog.set_level(logging.INFO, logger="gateway.redis")
    async with gateway(settings, proxy, clock) as (_, gql):
        warnings = [r for r in caplog.records if r.name == "gateway.redis" and r.levelno >= logging.WARNING]

        # when: logins, right and wrong passwords
        attempts = [
            ("novak", PASSWORD) if i % 2 else (f"ghost-{secrets.token_hex(4)}", "guess") for i in range(40)
        ]
        codes = [login_code(await gql.login_raw(login, password)) for login, password in attempts]
        ready = await gql.http.get("/readyz")

        # then
        answered = sum(code in ("token", "INVALID_CREDENTIALS") for code in codes)
        print(f"\nlogins answered with Redis down: {answered} of {len(codes)}")
        assert codes == ["INVALID_CREDENTIALS", "token"] * 20
        assert len(warnings) == 1
        assert "unavailable" in warnings[0].getMessage()
        assert ready.status_code == 200
        body = ready.json()
        assert body["status"] == "ready"
        assert body["checks"]["redis"]["status"] == "down"
        assert body["degraded"] == ["redis"]

        # when: Redis comes back, the readiness probe sees it at once
        await proxy.open()
        recovered = (await gql.http.get("/readyz")).json()

        # then
        assert recovered["checks"]["redis"]["status"] == "up"
        assert recovered["degraded"] == []


async def test_the_request_budget_applies_locally_while_redis_is_gone_then_redis_s_again(
    settings: Settings, proxy: RedisProxy, clock: SettableClock
) -> None:
    # given: a budget of 20 points (3 a viewer query), time stands still; Redis gone
    clock.set(NOW)
    await proxy.close()
    async with gateway(settings, proxy, clock, rate_limit_points=20, rate_limit_refill=1.0) as (_, gql):
        await gql.login("novak")

        # when
        spent = [error_codes(await gql.execute(VIEWER)) for _ in range(6)]
        refused = error_codes(await gql.execute(VIEWER))

        # then: never let through, never an error but the budget's
        assert spent == [[]] * 6
        assert refused == ["RATE_LIMITED"]
        assert metric(await metrics(gql), 'gateway_redis_fallbacks_total{user="budget"}') >= 8

        # when: Redis is back: its buckets (not this process's spent ones) decide again
        await back(proxy)
        shared = await gql.execute(VIEWER)

        # then
        assert shared["data"] == {"viewer": {"login": "novak"}}


async def test_reads_go_to_the_back_ends_and_persisted_queries_ask_for_the_query_while_redis_is_gone(
    settings: Settings, proxy: RedisProxy, clock: SettableClock
) -> None:
    async with gateway(settings, proxy, clock) as (_, gql):
        await gql.login("novak")
        await proxy.close()

        # when: the same overview twice, without Redis
        before = metric(await metrics(gql), 'gateway_backend_calls_total{backend="billing"')
        first = await gql.execute(OVERVIEW, {"number": NOVAK})
        between = metric(await metrics(gql), 'gateway_backend_calls_total{backend="billing"')
        second = await gql.execute(OVERVIEW, {"number": NOVAK})
        after = await metrics(gql)

        # then: both answered, each by the back ends (a miss, not an error)
        assert "errors" not in first, first
        assert second == first
        assert between > before
        assert metric(after, 'gateway_backend_calls_total{backend="billing"') > between
        assert metric(after, 'gateway_redis_fallbacks_total{user="cache"}') > 0

        # when: a persisted query by hash alone, unknown here; then with its text
        query = f"query Probe{secrets.token_hex(4)} {{ viewer {{ login }} }}"
        extensions = {"persistedQuery": {"version": 1, "sha256Hash": document_hash(query)}}
        unknown = (
            await gql.http.post("/graphql", json={"extensions": extensions}, headers=gql.headers)
        ).json()
        sent = (
            await gql.http.post(
                "/graphql", json={"query": query, "extensions": extensions}, headers=gql.headers
            )
        ).json()

        # then: the client is asked to resend, and the resent query runs
        assert error_codes(unknown) == ["PERSISTED_QUERY_NOT_FOUND"]
        assert unknown["errors"][0]["extensions"]["retryable"] is True
        assert sent["data"] == {"viewer": {"login": "novak"}}

        # when: Redis is back, the overview is cached there again
        await back(proxy)
        await gql.execute(OVERVIEW, {"number": NOVAK})
        cached_from = metric(await metrics(gql), 'gateway_backend_calls_total{backend="billing"')
        await gql.execute(OVERVIEW, {"number": NOVAK})

        # then
        assert metric(await metrics(gql), 'gateway_backend_calls_total{backend="billing"') == cached_from


async def test_a_login_over_a_redis_that_stops_answering_mid_call_is_answered(
    settings: Settings, proxy: RedisProxy, clock: SettableClock
) -> None:
    """Redis drops the connections the gateway holds (not only refuses new ones)."""
    async with gateway(settings, proxy, clock) as (_, gql):
        assert login_code(await gql.login_raw("novak")) == "token"
        results = []
        for i in range(6):
            if i == 3:
                await proxy.close()
            results.append(login_code(await gql.login_raw("novak")))
            if i == 4:
                await back(proxy)

        assert results == ["token"] * 6


async def test_a_redis_that_hangs_costs_one_timeout_not_one_per_request(
    settings: Settings, proxy: RedisProxy, clock: SettableClock
) -> None:
    async with gateway(settings, proxy, clock, redis_timeout=2.0, redis_retry_seconds=30.0) as (_, gql):
        assert login_code(await gql.login_raw("novak")) == "token"

        # when: Redis accepts and reads, but never answers
        proxy.stalled = True
        timings, codes = [], []
        for _ in range(4):
            started = time.perf_counter()
            codes.append(login_code(await gql.login_raw("novak")))
            timings.append(time.perf_counter() - started)
        proxy.stalled = False

        # then: the first waited out the timeout (2 s) once, the rest did not wait on Redis
        assert codes == ["token"] * 4
        assert 2.0 <= timings[0] < 4.0
        assert max(timings[1:]) < 1.5  # an Argon2 check, no Redis timeout
