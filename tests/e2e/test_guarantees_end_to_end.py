"""README's numbers and settings, end to end: each test fails when the documented value changes.

Settings are tested by setting them: the ``GATEWAY_*`` variable is put in the environment
and the gateway is started on it. "Now" is moved with the app's clock (sessions, document
links) or the cache store's clock (TTLs, stale serving), never by sleeping.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from gateway.app import create_app
from gateway.cache.store import CacheStore
from gateway.config import Settings
from tests.e2e.client import GraphQLClient, error_codes, set_faults
from tests.e2e.conftest import SettableClock

NOVAK = "1000012345"
INVOICES = """
query Invoices($number: String!) {
  customer(number: $number) { invoices(first: 3) { totalCount edges { node { number } } } }
}
"""
NAME = "query Name($number: String!) { customer(number: $number) { name } }"
SUPPLY_POINTS = "query SupplyPoints($number: String!) { customer(number: $number) { supplyPoints { code } } }"
DOCUMENT_LINK = """
query Links($number: String!) {
  customer(number: $number) {
    invoices(first: 1) { edges { node { document { signedUrl signedUrlExpiresAt } } } }
  }
}
"""
VIEWER = "{ viewer { login } }"
MINUTE = dt.timedelta(minutes=1)
SECOND = dt.timedelta(seconds=1)
LOGIN_TIME = dt.datetime(2026, 11, 30, 8, 0, tzinfo=dt.UTC)


def with_environment(settings: Settings, monkeypatch: pytest.MonkeyPatch, **env: str) -> Settings:
    """``settings`` as the test built them, with every other setting read from ``GATEWAY_<NAME>``."""
    for name, value in env.items():
        monkeypatch.setenv(f"GATEWAY_{name.upper()}", value)
    return Settings(**{name: getattr(settings, name) for name in settings.model_fields_set})


@contextlib.asynccontextmanager
async def gateway(settings: Settings, clock: SettableClock | None = None) -> AsyncIterator[Starlette]:
    app = create_app(settings, clock=clock or SettableClock())
    async with app.router.lifespan_context(app):
        yield app


@contextlib.asynccontextmanager
async def client_of(app: Starlette) -> AsyncIterator[GraphQLClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://gateway.test") as http:
        yield GraphQLClient(http)


def calls_of(simulators: dict[str, str], backend: str) -> dict[str, int]:
    body: dict[str, Any] = httpx.get(f"{simulators[backend]}/__sim/stats").json()
    return dict(body["calls"])


def reset_stats(simulators: dict[str, str]) -> None:
    for base in simulators.values():
        httpx.delete(f"{base}/__sim/stats").raise_for_status()


class CacheClock:
    """The cache store's "now", frozen at the start of the test and moved by it."""

    def __init__(self, app: Starlette) -> None:
        self.start = time.time()
        self.now = self.start
        store: CacheStore = app.state.cache
        store.clock = lambda: self.now

    def move_to(self, seconds_after_start: float) -> None:
        self.now = self.start + seconds_after_start


async def breaker_state(gql: GraphQLClient, backend: str) -> float:
    text = (await gql.http.get("/metrics")).text
    found = re.search(rf'^gateway_breaker_state{{backend="{backend}"}} (\S+)$', text, re.MULTILINE)
    assert found is not None, text
    return float(found.group(1))


# --- cache settings ---------------------------------------------------------------------------


async def test_with_the_cache_enabled_by_default_a_repeated_read_calls_billing_once(
    settings: Settings, simulators: dict[str, str]
) -> None:
    async with gateway(settings) as app, client_of(app) as gql:
        await gql.login("novak")
        reset_stats(simulators)

        for _ in range(3):
            assert "errors" not in await gql.execute(INVOICES, {"number": NOVAK})

    assert calls_of(simulators, "billing") == {"GetInvoiceList": 1}


async def test_gateway_cache_enabled_false_makes_every_read_live(
    settings: Settings, simulators: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # given
    cold = with_environment(settings, monkeypatch, cache_enabled="false")

    async with gateway(cold) as app, client_of(app) as gql:
        await gql.login("novak")
        reset_stats(simulators)

        # when
        for _ in range(3):
            assert "errors" not in await gql.execute(INVOICES, {"number": NOVAK})

    # then: every read reached billing
    assert calls_of(simulators, "billing") == {"GetInvoiceList": 3}


@pytest.mark.parametrize(
    ("stale_seconds", "age", "served_stale"),
    [
        (None, 15 + 599, True),  # the default, 600 s past the invoices' 15 s TTL
        (None, 15 + 601, False),
        ("100", 15 + 99, True),
        ("100", 15 + 101, False),
    ],
)
async def test_gateway_cache_stale_seconds_bounds_how_stale_an_answer_may_be(
    *,
    settings: Settings,
    simulators: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    stale_seconds: str | None,
    age: int,
    served_stale: bool,
) -> None:
    # given: novak's invoices cached, then billing down and the cache ``age`` seconds later
    configured = (
        with_environment(settings, monkeypatch, cache_stale_seconds=stale_seconds)
        if stale_seconds is not None
        else settings
    )
    async with gateway(configured) as app, client_of(app) as gql:
        cache_clock = CacheClock(app)
        await gql.login("novak")
        fresh = await gql.execute(INVOICES, {"number": NOVAK})
        set_faults(simulators["billing"], mode="down")
        cache_clock.move_to(age)

        # when
        result = await gql.execute(INVOICES, {"number": NOVAK})

    # then
    if served_stale:
        assert result["data"] == fresh["data"]
        assert result["extensions"]["stale"] == [{"backend": "billing", "ageSeconds": age}]
    else:
        assert result["data"]["customer"]["invoices"] is None
        assert error_codes(result) == ["BACKEND_UNAVAILABLE"]


@pytest.mark.parametrize(
    ("query", "backend", "operation", "ttl"),
    [
        (INVOICES, "billing", "GetInvoiceList", 15),  # invoices: seconds
        (NAME, "crm", "GetCustomers", 5 * 60),  # master data: minutes
        (SUPPLY_POINTS, "crm", "GetCustomerSupplyPoints", 3600),  # technical data: an hour
    ],
    ids=["invoices", "master-data", "supply-points"],
)
async def test_a_cached_read_is_fresh_for_its_kinds_ttl_and_no_longer(
    *, settings: Settings, simulators: dict[str, str], query: str, backend: str, operation: str, ttl: int
) -> None:
    async with gateway(settings) as app, client_of(app) as gql:
        # given: cached now
        cache_clock = CacheClock(app)
        await gql.login("novak")
        await gql.execute(query, {"number": NOVAK})
        reset_stats(simulators)

        # when: read again just before the TTL ends, and just after
        cache_clock.move_to(ttl - 1)
        before = await gql.execute(query, {"number": NOVAK})
        calls_before = calls_of(simulators, backend).get(operation, 0)
        cache_clock.move_to(ttl + 1)
        after = await gql.execute(query, {"number": NOVAK})

    # then
    assert "errors" not in before and "errors" not in after
    assert calls_before == 0
    assert calls_of(simulators, backend).get(operation, 0) == 1


# --- resilience settings ----------------------------------------------------------------------


@pytest.mark.parametrize(("threshold", "opens_at"), [(None, 5), ("3", 3)])
async def test_the_breaker_opens_at_exactly_the_thresholds_consecutive_failure(
    settings: Settings,
    simulators: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    threshold: str | None,
    opens_at: int,
) -> None:
    # given: one attempt per read (no retries), billing down
    env = {"retry_attempts": "1"} | ({"breaker_failure_threshold": threshold} if threshold else {})
    configured = with_environment(settings, monkeypatch, **env)
    async with gateway(configured) as app, client_of(app) as gql:
        await gql.login("novak")
        reset_stats(simulators)
        set_faults(simulators["billing"], mode="down")

        # when: one failure short of the threshold
        for _ in range(opens_at - 1):
            assert error_codes(await gql.execute(INVOICES, {"number": NOVAK})) == ["BACKEND_UNAVAILABLE"]

        # then: still closed, and the next read still reaches billing
        assert await breaker_state(gql, "billing") == 0
        await gql.execute(INVOICES, {"number": NOVAK})
        assert calls_of(simulators, "billing") == {"GetInvoiceList": opens_at}

        # and: that failure opened it; billing is no longer called
        assert await breaker_state(gql, "billing") == 2
        refused = await gql.execute(INVOICES, {"number": NOVAK})
        assert error_codes(refused) == ["BACKEND_UNAVAILABLE"]
        assert calls_of(simulators, "billing") == {"GetInvoiceList": opens_at}


@pytest.mark.parametrize(("attempts", "calls"), [(None, 3), ("2", 2)])
async def test_a_read_is_attempted_gateway_retry_attempts_times_while_billing_is_down(
    settings: Settings,
    simulators: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    attempts: str | None,
    calls: int,
) -> None:
    configured = with_environment(settings, monkeypatch, **({"retry_attempts": attempts} if attempts else {}))
    async with gateway(configured) as app, client_of(app) as gql:
        await gql.login("novak")
        reset_stats(simulators)
        set_faults(simulators["billing"], mode="down")

        result = await gql.execute(INVOICES, {"number": NOVAK})

    assert error_codes(result) == ["BACKEND_UNAVAILABLE"]
    assert calls_of(simulators, "billing") == {"GetInvoiceList": calls}


# --- document links ---------------------------------------------------------------------------


@pytest.mark.parametrize(("later", "status"), [(4 * MINUTE + 59 * SECOND, 200), (5 * MINUTE + SECOND, 403)])
async def test_a_signed_document_link_lives_five_minutes(
    settings: Settings, later: dt.timedelta, status: int
) -> None:
    clock = SettableClock()
    clock.set(LOGIN_TIME)
    async with gateway(settings, clock) as app, client_of(app) as gql:
        # given: a link made now
        await gql.login("novak")
        links = await gql.execute(DOCUMENT_LINK, {"number": NOVAK})
        document = links["data"]["customer"]["invoices"]["edges"][0]["node"]["document"]
        gql.http.cookies.clear()

        # when: fetched without a session, ``later``
        clock.set(LOGIN_TIME + later)
        response = await gql.http.get(document["signedUrl"])

    # then
    assert dt.datetime.fromisoformat(document["signedUrlExpiresAt"]) == LOGIN_TIME + 5 * MINUTE
    assert response.status_code == status


# --- sessions ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("idle_minutes", "idle"),
    [(None, dt.timedelta(minutes=30)), ("5", dt.timedelta(minutes=5))],
)
async def test_a_session_ends_after_gateway_session_idle_minutes_unused(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, idle_minutes: str | None, idle: dt.timedelta
) -> None:
    configured = with_environment(
        settings, monkeypatch, **({"session_idle_minutes": idle_minutes} if idle_minutes else {})
    )
    clock = SettableClock()
    async with gateway(configured, clock) as app, client_of(app) as used, client_of(app) as unused:
        # given: two sessions opened at the same moment
        clock.set(LOGIN_TIME)
        await used.login("novak")
        await unused.login("novak")

        # when: one is used just before the idle limit, the other only just after it
        clock.set(LOGIN_TIME + idle - SECOND)
        kept = await used.execute(VIEWER)
        clock.set(LOGIN_TIME + idle + SECOND)
        ended = await unused.execute(VIEWER)
        still = await used.execute(VIEWER)  # used a second before: idle for two seconds only

    # then
    assert kept["data"]["viewer"] == {"login": "novak"}
    assert still["data"]["viewer"] == {"login": "novak"}
    assert (ended.get("data") or {}).get("viewer") is None


@pytest.mark.parametrize(
    ("absolute_hours", "absolute"),
    [(None, dt.timedelta(hours=12)), ("2", dt.timedelta(hours=2))],
)
async def test_a_session_in_constant_use_ends_gateway_session_absolute_hours_after_login(
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    absolute_hours: str | None,
    absolute: dt.timedelta,
) -> None:
    configured = with_environment(
        settings, monkeypatch, **({"session_absolute_hours": absolute_hours} if absolute_hours else {})
    )
    clock = SettableClock()
    async with gateway(configured, clock) as app, client_of(app) as gql:
        # given: a session used every 20 minutes, never idle for long
        clock.set(LOGIN_TIME)
        await gql.login("novak")
        at = LOGIN_TIME
        while at + 20 * MINUTE < LOGIN_TIME + absolute:
            at += 20 * MINUTE
            clock.set(at)
            assert (await gql.execute(VIEWER))["data"]["viewer"] == {"login": "novak"}, at

        # when
        clock.set(LOGIN_TIME + absolute - SECOND)
        last = await gql.execute(VIEWER)
        clock.set(LOGIN_TIME + absolute + SECOND)
        ended = await gql.execute(VIEWER)

    # then
    assert last["data"]["viewer"] == {"login": "novak"}
    assert (ended.get("data") or {}).get("viewer") is None
