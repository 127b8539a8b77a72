"""The gateway's own database lost, for real.

At run time (PostgreSQL behind a TCP proxy the test closes and reopens): a request that needs
the store answers JSON ``SERVICE_UNAVAILABLE`` (retryable, 503 with ``Retry-After`` when it
failed before any field ran), never a bare text/plain 500; ``/readyz`` is not ready; once the
database answers again, so does the gateway, by itself. At start-up: a database that is not
there yet is waited for, with back-off and a log line per try; one that never answers ends
``gateway serve`` with one line naming it, exit status 1, no traceback.
"""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from fixtures.server import free_port
from gateway.app import create_app
from gateway.config import Settings
from gateway.store.db import StoreUnreachable, create_engine, wait_for_store
from tests.e2e.client import GraphQLClient, error_codes
from tests.e2e.conftest import POSTGRES_URL, _create_database, _drop_database
from tests.redis_proxy import RedisProxy as TcpProxy  # forwards any TCP server, PostgreSQL here

ROOT = Path(__file__).resolve().parents[2]
VIEWER = "{ viewer { login } }"


def _needs_postgres() -> str:
    if not POSTGRES_URL:
        pytest.skip("GATEWAY_TEST_POSTGRES_URL is not set")
    return POSTGRES_URL


@pytest.fixture
async def proxied_database(request: pytest.FixtureRequest) -> AsyncIterator[TcpProxy]:
    """A seeded PostgreSQL database of this test's, reached through an open proxy (``proxy.url``)."""
    _needs_postgres()
    template: str = request.getfixturevalue("seeded_postgres_template")
    name = f"gw_outage_{os.getpid()}_{request.node.name[-20:].lower()}"
    url = await _create_database(name, template=template)
    proxy = TcpProxy(url)
    await proxy.open()
    try:
        yield proxy
    finally:
        await proxy.close()
        await _drop_database(name)


@pytest.mark.postgres
async def test_a_lost_database_answers_service_unavailable_then_recovers_by_itself(
    settings: Settings, proxied_database: TcpProxy
) -> None:
    app = create_app(settings.model_copy(update={"database_url": proxied_database.url}))
    transport = httpx.ASGITransport(app, raise_app_exceptions=False)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://gateway.test") as http,
    ):
        gql = GraphQLClient(http)
        await gql.login("novak")  # a session not looked up since (gateway.session_cache)
        http.cookies.clear()  # two bearer sessions: a shared cookie would rotate the first out
        kept = GraphQLClient(http)
        await kept.login("novak")
        http.cookies.clear()
        assert (await kept.execute(VIEWER))["data"] == {"viewer": {"login": "novak"}}

        # when: the database goes away
        await proxied_database.close()
        refused = await http.post("/graphql", json={"query": VIEWER}, headers=gql.headers)
        from_memory = await kept.execute(VIEWER)
        login = await GraphQLClient(http).login_raw("novak")
        ready = await http.get("/readyz")

        # then: JSON, a code, retryable; readiness says so
        assert refused.status_code == 503
        assert refused.headers["content-type"].startswith("application/json")
        assert refused.headers["retry-after"] == "1"
        [error] = refused.json()["errors"]
        assert error["extensions"] == {"code": "SERVICE_UNAVAILABLE", "retryable": True}
        assert error_codes(login) == ["SERVICE_UNAVAILABLE"]
        assert login["errors"][0]["extensions"]["retryable"] is True
        assert ready.status_code == 503
        assert ready.json()["checks"]["store"]["status"] == "down"
        # a viewer kept since its last request needs no statement (nothing can be revoked while
        # the store is away: a revocation is a write to it)
        assert from_memory["data"] == {"viewer": {"login": "novak"}}

        # when: it is back (the same port)
        await proxied_database.open()
        again = await gql.execute(VIEWER)

        # then: answered again, without a restart
        assert again["data"] == {"viewer": {"login": "novak"}}
        assert (await http.get("/readyz")).status_code == 200


@pytest.mark.postgres
async def test_at_start_up_a_database_not_there_yet_is_waited_for(
    proxied_database: TcpProxy, caplog: pytest.LogCaptureFixture
) -> None:
    # given: the database's port closed, opened 1.5 s later
    caplog.set_level(logging.INFO, logger="gateway.store")
    await proxied_database.close()
    engine = create_engine(proxied_database.url)

    async def reopen() -> None:
        await asyncio.sleep(1.5)
        await proxied_database.open()

    # when
    try:
        await asyncio.gather(wait_for_store(engine, for_seconds=20), reopen())
    finally:
        await engine.dispose()

    # then: a line per failed try, then one that it answers
    lines = [r.getMessage() for r in caplog.records if r.name == "gateway.store"]
    assert len(lines) >= 2
    assert all("does not answer (ConnectionRefusedError" in line for line in lines[:-1])
    assert "answers after" in lines[-1]


async def test_at_start_up_a_database_that_never_answers_ends_with_one_line(tmp_path: Path) -> None:
    port = free_port()  # nothing listens there
    url = f"postgresql+asyncpg://portal:s3cret@127.0.0.1:{port}/gateway"
    engine = create_engine(url)
    try:
        with pytest.raises(StoreUnreachable, match=f"127.0.0.1:{port}/gateway does not answer"):
            await wait_for_store(engine, for_seconds=1.0)
    finally:
        await engine.dispose()

    env = {k: v for k, v in os.environ.items() if not k.startswith("GATEWAY_")}
    env |= {
        "GATEWAY_DATABASE_URL": url,
        "GATEWAY_DATABASE_STARTUP_SECONDS": "1.5",
        "GATEWAY_SECRET_KEY": "test-secret-key-of-this-test",
        "GATEWAY_PORT": str(free_port()),
    }
    done = subprocess.run(  # noqa: ASYNC221 - the gateway's whole run, seconds
        [sys.executable, "-m", "gateway", "serve"],
        cwd=tmp_path,
        env=env | {"PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert done.returncode == 1
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith(
        f"gateway: cannot start: the database at postgresql+asyncpg://portal:***@127.0.0.1:{port}"
    )
    assert "ConnectionRefusedError" in last and "GATEWAY_DATABASE_STARTUP_SECONDS" in last
    assert last.endswith("check GATEWAY_DATABASE_URL")
    assert "Traceback" not in done.stderr
    assert "s3cret" not in done.stderr
    assert "next in" in done.stderr  # the tries were logged
