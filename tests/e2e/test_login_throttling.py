"""Login throttling under concurrency, the bounded cost of password checks, and whose
address the per-address limit counts: over HTTP, with the real Argon2 hasher."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import ipaddress
import os
import secrets
import statistics
import threading
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from redis.asyncio import Redis
from sqlalchemy import select
from starlette.applications import Starlette

from fixtures.server import free_port
from gateway.app import create_app
from gateway.cli import server_options
from gateway.config import Settings
from gateway.store.db import create_engine, create_sessionmaker, transaction
from gateway.store.models import AuditEntry
from gateway.throttle import ADDRESS_POLICY, LOGIN_POLICY
from tests.e2e.client import LOGIN, PASSWORD, GraphQLClient, error_codes
from tests.e2e.conftest import SettableClock
from tests.e2e.test_overview import OVERVIEW

NOVAK = "1000012345"
REDIS_URL_VARIABLE = "GATEWAY_TEST_REDIS_URL"
ALIASED_LOGINS = (
    "mutation {\n"
    + "\n".join(
        f'  l{i}: login(input: {{login: "novak", password: "guess-{i}"}}) {{ token }}' for i in range(30)
    )
    + "\n}"
)
LOGINS_THROUGH_FRAGMENTS = """
fragment First on Mutation { first: login(input: {login: "novak", password: "guess-1"}) { token } }
fragment Both on Mutation { ...First second: login(input: {login: "novak", password: "guess-2"}) { token } }
mutation { ...Both }
"""
ONE_LOGIN_PER_OPERATION = """
fragment Attempt on Mutation { login(input: {login: "novak", password: "Demo-heslo-2026"}) { token } }
mutation First { ...Attempt }
mutation Second { ... on Mutation { login(input: {login: "novak", password: "guess"}) { token } } }
"""


def password_checks(metrics_text: str) -> float:
    """Argon2 verifications and hashes the gateway ran, from ``/metrics``."""
    for line in metrics_text.splitlines():
        if line.startswith('gateway_password_checks_total{outcome="run"}'):
            return float(line.split()[-1])
    return 0.0


async def checks_run(client: httpx.AsyncClient) -> float:
    return password_checks((await client.get("/metrics")).text)


async def post_login(client: httpx.AsyncClient, login: str, password: str, **headers: str) -> dict[str, Any]:
    response = await client.post(
        "/graphql",
        json={"query": LOGIN, "variables": {"login": login, "password": password}},
        headers=headers,
    )
    body: dict[str, Any] = response.json()
    return body


def token(result: dict[str, Any]) -> str | None:
    data = result.get("data") or {}
    return (data.get("login") or {}).get("token")


def client_at(app: Starlette, address: str) -> httpx.AsyncClient:
    """A client whose TCP peer address is ``address``."""
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app, client=(address, 40000)), base_url="http://gateway.test"
    )


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.redis)])
async def burst_client(
    request: pytest.FixtureRequest, settings: Settings, clock: SettableClock
) -> AsyncIterator[httpx.AsyncClient]:
    """A client of a gateway whose throttle counts in-process, or in Redis (then novak's
    counters are removed before and after: they outlive the app)."""
    redis: Redis | None = None
    if request.param == "redis":
        url = os.environ.get(REDIS_URL_VARIABLE)
        if not url:
            pytest.skip(f"{REDIS_URL_VARIABLE} is not set")
        settings = settings.model_copy(update={"redis_url": url})
        redis = Redis.from_url(url)
    names = ["gateway:throttle:{login:novak}", "gateway:throttle:{login:novak}:in-flight"]
    app = create_app(settings, clock=clock)
    try:
        if redis is not None:
            await redis.delete(*names)
        async with (
            app.router.lifespan_context(app),
            client_at(app, f"10.{secrets.randbelow(250)}.0.1") as client,
        ):
            yield client
    finally:
        if redis is not None:
            await redis.delete(*names)
            await redis.aclose()


async def test_a_burst_of_wrong_passwords_checks_only_the_limit_and_the_right_one_does_not_get_in(
    burst_client: httpx.AsyncClient, clock: SettableClock
) -> None:
    client = burst_client
    # given: time stands still, so a lock earned in a burst holds
    clock.set(dt.datetime.now(dt.UTC))
    before = await checks_run(client)

    # when: 40 wrong passwords for one login at once
    first = await asyncio.gather(*(post_login(client, "novak", f"wrong-{i}") for i in range(40)))

    # then: no more passwords were checked than the policy allows before a lock; the rest
    # were refused at once
    checked = await checks_run(client) - before
    print(f"\n40 wrong passwords at once: {checked:.0f} checked")
    assert checked == LOGIN_POLICY.lock_after
    refused = [result for result in first if error_codes(result) == ["RATE_LIMITED"]]
    assert len(refused) == 40 - LOGIN_POLICY.lock_after
    assert all(result["errors"][0]["extensions"]["retryAfter"] > 0 for result in refused)

    # when: another burst, the right password in it
    second = await asyncio.gather(
        *(post_login(client, "novak", f"again-{i}") for i in range(20)),
        post_login(client, "novak", PASSWORD),
        *(post_login(client, "novak", f"more-{i}") for i in range(20)),
    )

    # then: the login is locked: nothing is checked, the right password does not get in
    assert [error_codes(result) for result in second] == [["RATE_LIMITED"]] * 41
    assert await checks_run(client) - before == checked


async def test_a_flood_of_unknown_logins_is_bounded_and_does_not_slow_other_users(
    app: Starlette, client: httpx.AsyncClient
) -> None:
    # given: another user, logged in from elsewhere, with a warm overview
    async with client_at(app, "10.20.30.40") as other_http:
        other = GraphQLClient(other_http)
        await other.login("novak")
        assert "errors" not in await other.execute(OVERVIEW, {"number": NOVAK})
        before = await checks_run(client)
        flooding = True

        async def other_user() -> list[float]:
            latencies: list[float] = []
            while flooding or len(latencies) < 10:
                started = time.perf_counter()
                result = await other.execute(OVERVIEW, {"number": NOVAK})
                latencies.append(time.perf_counter() - started)
                assert "errors" not in result, result
                await asyncio.sleep(
                    0.05
                )  # a person's pace: a tight loop of cached answers would spend its budget
            return latencies

        # when: 200 unknown logins at once from one address, while the other user reads
        watcher = asyncio.create_task(other_user())
        started = time.perf_counter()
        results = await asyncio.gather(
            *(post_login(client, f"nobody-{i}", "wrong-password") for i in range(200))
        )
        flood_seconds = time.perf_counter() - started
        flooding = False
        latencies = await watcher

    # then: at most the address's limit were checked, every other attempt refused at
    # once, none failed; the other user's reads stayed fast
    checked = await checks_run(client) - before
    codes = [error_codes(result) for result in results]
    answered = sum(1 for result in results if "errors" not in result)
    p50 = statistics.median(latencies)
    print(
        f"\n200 unknown logins at once: {checked:.0f} checked, {codes.count(['RATE_LIMITED'])} RATE_LIMITED, "
        f"flood {flood_seconds * 1000:.0f} ms; other user's overview during it: "
        f"p50 {p50 * 1000:.1f} ms, max {max(latencies) * 1000:.1f} ms over {len(latencies)} requests"
    )
    assert checked <= ADDRESS_POLICY.lock_after
    assert answered == checked
    assert all(code == ["RATE_LIMITED"] for code in codes if code)
    assert codes.count(["RATE_LIMITED"]) >= 200 - ADDRESS_POLICY.lock_after
    assert p50 < 0.5  # generous: shared CI cores; 23.7 s before


async def test_aliased_credential_fields_are_refused_before_anything_is_checked(
    client: httpx.AsyncClient,
) -> None:
    before = await checks_run(client)

    aliased = (await client.post("/graphql", json={"query": ALIASED_LOGINS})).json()
    through_fragments = (await client.post("/graphql", json={"query": LOGINS_THROUGH_FRAGMENTS})).json()

    for result in (aliased, through_fragments):
        assert result.get("data") is None
        assert error_codes(result) == ["QUERY_TOO_COMPLEX"]
        assert "check credentials once" in result["errors"][0]["message"]
    assert await checks_run(client) == before


async def test_one_credential_field_per_operation_runs_even_through_fragments(
    client: httpx.AsyncClient,
) -> None:
    result = (
        await client.post("/graphql", json={"query": ONE_LOGIN_PER_OPERATION, "operationName": "First"})
    ).json()

    assert "errors" not in result
    assert result["data"]["login"]["token"]


async def test_register_and_login_together_are_refused(client: httpx.AsyncClient) -> None:
    document = """
    mutation {
      login(input: {login: "novak", password: "guess"}) { token }
      register(input: {login: "x", password: "Some-long-pass-1", email: "x@example.cz",
                       customerNumber: "1000012345", proof: {variableSymbol: "1"}}) { token }
    }
    """

    result = (await client.post("/graphql", json={"query": document})).json()

    assert error_codes(result) == ["QUERY_TOO_COMPLEX"]


async def test_an_overlong_password_is_refused_without_hashing(client: httpx.AsyncClient) -> None:
    before = await checks_run(client)

    result = await post_login(client, "novak", "x" * 10_000)

    assert error_codes(result) == ["BAD_USER_INPUT"]
    assert await checks_run(client) == before


async def audited_addresses(app: Starlette) -> list[str | None]:
    async with transaction(app.state.services.store) as db:
        query = select(AuditEntry.client_address).where(AuditEntry.action == "login_failed")
        return list((await db.execute(query.order_by(AuditEntry.id))).scalars())


async def test_a_forwarded_address_is_ignored_unless_a_trusted_proxy_sent_it(
    app: Starlette, client: httpx.AsyncClient
) -> None:
    # given: no trusted proxies (the default); a client on the gateway's own host
    # when: it rotates X-Forwarded-For through 31 failed logins
    for i in range(ADDRESS_POLICY.lock_after):
        result = await post_login(
            client, f"nobody-{i}", "wrong-password", **{"X-Forwarded-For": f"203.0.113.{i}"}
        )
        assert token(result) is None and "errors" not in result
    last = await post_login(client, "nobody-last", "wrong-password", **{"X-Forwarded-For": "203.0.113.250"})

    # then: every attempt counted against its real address, which is now locked
    assert error_codes(last) == ["RATE_LIMITED"]
    assert set(await audited_addresses(app)) == {"127.0.0.1"}


async def test_the_served_gateway_does_not_let_uvicorn_believe_forwarded_headers(settings: Settings) -> None:
    # given: the gateway under uvicorn with the options ``gateway serve`` and ``gateway demo`` use
    options = {**server_options(settings), "port": free_port(), "log_config": None}  # not this process's
    with serve_in_thread_with(create_app(settings), options) as base_url:
        # when: a client on the same host sends a forged X-Forwarded-For
        async with httpx.AsyncClient(base_url=base_url) as http:
            await post_login(http, "nobody", "wrong", **{"X-Forwarded-For": "203.0.113.9"})

    # then: the failure counted against the real peer address
    engine = create_engine(settings.database_url)
    try:
        async with transaction(create_sessionmaker(engine)) as db:
            query = select(AuditEntry.client_address).where(AuditEntry.action == "login_failed")
            assert list((await db.execute(query)).scalars()) == ["127.0.0.1"]
    finally:
        await engine.dispose()


@contextlib.contextmanager
def serve_in_thread_with(app: Starlette, options: dict[str, Any]) -> Iterator[str]:
    server = uvicorn.Server(uvicorn.Config(app, **options))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        while not server.started:
            assert thread.is_alive(), "the gateway did not start"
            time.sleep(0.01)
        yield f"http://{options['host']}:{options['port']}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


@pytest.fixture
async def proxied_app(settings: Settings, clock: SettableClock, tmp_path: Path) -> AsyncIterator[Starlette]:
    proxies = [ipaddress.ip_network("127.0.0.1"), ipaddress.ip_network("10.0.0.0/8")]
    trusted = settings.model_copy(update={"trusted_proxies": proxies})
    app = create_app(trusted, clock=clock)
    async with app.router.lifespan_context(app):
        yield app


async def test_behind_a_trusted_proxy_the_rightmost_untrusted_forwarded_address_is_the_client(
    proxied_app: Starlette,
) -> None:
    # given: a proxy at 127.0.0.1 and an inner hop in 10.0.0.0/8, both trusted
    async with (
        client_at(proxied_app, "127.0.0.1") as via_proxy,
        client_at(proxied_app, "192.0.2.7") as direct,
    ):
        # when: a client forges the start of the chain; the proxies append what they saw
        await post_login(
            via_proxy, "nobody", "wrong", **{"X-Forwarded-For": "1.1.1.1, 198.51.100.23, 10.1.2.3"}
        )
        # and a client that is no proxy sends the header itself
        await post_login(direct, "nobody", "wrong", **{"X-Forwarded-For": "198.51.100.99"})

    # then
    assert await audited_addresses(proxied_app) == ["198.51.100.23", "192.0.2.7"]
