"""Nothing stuck after a crash, with real process kills: ``python -m gateway serve`` runs as a
subprocess against the simulators (the CRM slowed by fault injection), is killed with SIGKILL
while ``submitRequest`` calls are in the CRM, restarted, and the client resubmits every key it
has no answer for. The CRM files the killed calls' cases all the same (nobody is left to hear
its answer). In the end every key has exactly one case and the client has learned it: the dead
runners' claims expired (their lease), the retries took them over, and the CRM's duplicate
check on the client reference answered the cases already filed.

On SQLite, and on PostgreSQL and Redis when their URLs are set (``ON_SERVERS_TOO``).
``GATEWAY_TEST_KILLS`` sets the number of kills (default 3; the closing note's figures: 22).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from fixtures.server import free_port
from gateway.config import Settings
from gateway.schema.node import to_global_id
from tests.e2e.client import GraphQLClient, set_faults
from tests.e2e.simulators import own_simulators
from tests.e2e.test_exactly_once import NOVAK, SUBMIT, crm_cases

KILLS = int(os.environ.get("GATEWAY_TEST_KILLS", "3"))
KEYS_PER_ROUND = 4
LEASE_SECONDS = 2.0
CRM_LATENCY_MS = 1500  # each CreateRequest is in the CRM this long before it files the case
ROOT = Path(__file__).resolve().parents[2]


# Own simulators (CRM cases stay as filed): the cases it files are counted in a CRM of their own.
simulators = own_simulators(progression=None)


class GatewayProcess:
    """``python -m gateway serve`` on a port of its own, started and SIGKILLed at will."""

    def __init__(self, settings: Settings, log: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("GATEWAY_")},
            "GATEWAY_DEMO": "true",
            "GATEWAY_PORT": str(self.port),
            "GATEWAY_DATABASE_URL": settings.database_url,
            "GATEWAY_BILLING_URL": settings.billing_url,
            "GATEWAY_CRM_URL": settings.crm_url,
            "GATEWAY_NOMINATION_URL": settings.nomination_url,
            "GATEWAY_OUTBOX_DIR": str(settings.outbox_dir),
            "GATEWAY_IDEMPOTENCY_LEASE_SECONDS": str(LEASE_SECONDS),
            "GATEWAY_GRAPHIQL": "false",
            "GATEWAY_WORKERS": "1",  # one process: the SIGKILL takes down what serves (no orphaned worker)
        }
        if settings.redis_url:
            self.env["GATEWAY_REDIS_URL"] = settings.redis_url
        self.process: subprocess.Popen[bytes] | None = None

    async def start(self) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(  # noqa: ASYNC220 - started, not waited for
                [sys.executable, "-m", "gateway", "serve"], cwd=ROOT, env=self.env, stdout=log, stderr=log
            )
        deadline = time.monotonic() + 180  # a start-up takes seconds, but a minute on a loaded CI box
        async with httpx.AsyncClient(base_url=self.url) as http:
            while time.monotonic() < deadline:
                assert self.process.poll() is None, self.log.read_text()[-3000:]
                with contextlib.suppress(httpx.TransportError):
                    if (await http.get("/healthz")).status_code == 200:
                        return
                await asyncio.sleep(0.1)
        raise AssertionError("the gateway did not start:\n" + self.log.read_text()[-3000:])

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
async def gateway(settings: Settings, tmp_path: Path) -> AsyncIterator[GatewayProcess]:
    process = GatewayProcess(settings, tmp_path / "gateway.log")
    try:
        yield process
    finally:
        process.stop()


def variables(key: str) -> dict[str, Any]:
    return {
        "input": {
            "customerNumber": NOVAK,
            "idempotencyKey": key,
            "request": {"freeText": {"subject": "Po pádu", "text": f"marker {key}"}},
        }
    }


def create_calls(crm: str) -> int:
    calls: dict[str, int] = httpx.get(f"{crm}/__sim/stats").json()["calls"]
    return calls.get("CreateRequest", 0)


async def in_the_crm(crm: str, before: int) -> None:
    """Until a CreateRequest beyond ``before`` has reached the CRM (and waits in its latency)."""
    deadline = time.monotonic() + 20
    while create_calls(crm) == before:
        assert time.monotonic() < deadline, "no CreateRequest reached the CRM"
        await asyncio.sleep(0.02)


async def test_killed_mid_submission_every_key_ends_with_exactly_one_case_the_client_learns(
    gateway: GatewayProcess, simulators: dict[str, str], store_backend: str
) -> None:
    crm = simulators["crm"]
    set_faults(crm, latency_ms=CRM_LATENCY_MS, operations=["CreateRequest"])
    prefix = f"crash-{secrets.token_hex(3)}"
    learned: dict[str, str] = {}  # key -> the case id the client got
    pending: list[str] = []
    codes: dict[str, int] = {}  # error codes the client saw, for the figures

    async def submit(gql: GraphQLClient, key: str) -> None:
        result = await gql.execute(SUBMIT, variables(key))
        if "errors" in result:
            for error in result["errors"]:
                code = error["extensions"]["code"]
                codes[code] = codes.get(code, 0) + 1
                assert error["extensions"]["retryable"] is True, (key, result)
                assert code != "BAD_USER_INPUT", (key, result)
            return
        answer = result["data"]["submitRequest"]
        assert answer["errors"] == [], (key, answer)
        learned[key] = answer["request"]["id"]

    # when: rounds of submissions, each ended by SIGKILL while CreateRequest calls are in the CRM
    for round_ in range(KILLS):
        await gateway.start()
        async with httpx.AsyncClient(base_url=gateway.url, timeout=30) as http:
            gql = GraphQLClient(http)
            await gql.login("novak")
            pending += [f"{prefix}-{round_}-{n}" for n in range(KEYS_PER_ROUND)]
            before = create_calls(crm)
            tasks = [asyncio.create_task(submit(gql, key)) for key in pending if key not in learned]
            await in_the_crm(crm, before)
            await asyncio.sleep(secrets.randbelow(500) / 1000)  # somewhere inside the CRM's latency
            gateway.kill()
            outcomes = await asyncio.gather(*tasks, return_exceptions=True)
            assert all(o is None or isinstance(o, httpx.TransportError) for o in outcomes), outcomes

    # then: restarted, the client resubmits what it has no answer for until every key has one
    await gateway.start()
    async with httpx.AsyncClient(base_url=gateway.url, timeout=30) as http:
        gql = GraphQLClient(http)
        await gql.login("novak")
        deadline = time.monotonic() + 60
        while missing := [key for key in pending if key not in learned]:
            assert time.monotonic() < deadline, f"stuck keys: {missing}, codes {codes}"
            await asyncio.gather(*(submit(gql, key) for key in missing))
            await asyncio.sleep(0.2)

    cases = crm_cases(crm)
    stuck = [key for key in pending if key not in learned]
    duplicates = {}
    for key in pending:
        mine = [
            to_global_id("CustomerRequest", c["POZ_ID"])
            for c in cases
            if c["POPIS"].endswith(f"marker {key}")
        ]
        duplicates[key] = len(mine) - 1
        assert mine == [learned[key]], (key, mine, learned.get(key))
    taken_over = gateway.log.read_text().count("taken over after its lease ran out")
    print(  # the figures for the closing note (pytest -s)
        f"\ncrash recovery ({store_backend}): {KILLS} kills, {len(pending)} keys, {len(stuck)} stuck, "
        f"{sum(duplicates.values())} duplicates, {taken_over} claims taken over after their lease, "
        f"client errors seen {codes}"
    )
    assert taken_over >= KILLS  # each kill left at least one claim behind, and it was taken over


async def test_a_duplicate_while_the_first_runs_is_in_progress_retryable_then_answers_its_case(
    gql: GraphQLClient, simulators: dict[str, str]
) -> None:
    # given: a submission held 1.5 s in the CRM
    crm = simulators["crm"]
    set_faults(crm, latency_ms=CRM_LATENCY_MS, operations=["CreateRequest"])
    await gql.login("novak")
    key = f"duplicate-{secrets.token_hex(3)}"
    before = create_calls(crm)
    first = asyncio.create_task(gql.execute(SUBMIT, variables(key)))
    await in_the_crm(crm, before)

    # when: the same key again while it runs
    duplicate = await gql.execute(SUBMIT, variables(key))

    # then: IN_PROGRESS, retryable, with a time to wait; not the client's error
    [error] = duplicate["errors"]
    assert error["extensions"]["code"] == "IN_PROGRESS"
    assert error["extensions"]["retryable"] is True
    assert 0 < error["extensions"]["retryAfter"] <= 2
    answered = (await first)["data"]["submitRequest"]
    again = (await gql.execute(SUBMIT, variables(key)))["data"]["submitRequest"]
    assert again["replayed"] is True
    assert again["request"]["id"] == answered["request"]["id"]
