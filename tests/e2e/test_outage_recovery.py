"""Back ends lost and back, end to end against the simulators: teplarna's nomination does not
depend on the CRM, nomination reads are cached and served stale (flagged) while nomination is
down, and once a back end answers again its stale answers stop within about a second, not when
its breaker's ``reset_after`` runs out."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from fixtures import personas
from gateway.app import create_app
from gateway.config import Settings
from tests.e2e.client import GraphQLClient, error_codes, set_faults
from tests.e2e.test_caching import OVERVIEW, advance

NOMINATION = """
query Nomination($number: String!, $week: Date!) {
  customer(number: $number) {
    nomination { contractNumber week(start: $week) { weekStart contractedMwh } }
  }
}
"""
WEEK = "2026-03-02"  # a Monday inside teplarna's contract


def stale_backends(result: dict[str, Any]) -> list[str]:
    return [s["backend"] for s in result.get("extensions", {}).get("stale", [])]


async def test_teplarnas_nomination_is_answered_while_the_crm_is_down(
    gql: GraphQLClient, simulators: dict[str, str]
) -> None:
    # given: the CRM down before anything about teplarna was cached
    await gql.login("teplarna")
    set_faults(simulators["crm"], mode="down")

    # when
    result = await gql.execute(NOMINATION, {"number": personas.TEPLARNA, "week": WEEK})

    # then
    assert "errors" not in result, result
    nomination = result["data"]["customer"]["nomination"]
    assert nomination["contractNumber"]
    assert nomination["week"]["weekStart"] == WEEK


async def test_nomination_reads_are_cached_and_served_stale_while_nomination_is_down(
    app: Starlette, gql: GraphQLClient, simulators: dict[str, str]
) -> None:
    # given: teplarna's nomination read once
    await gql.login("teplarna")
    fresh = await gql.execute(NOMINATION, {"number": personas.TEPLARNA, "week": WEEK})
    assert "errors" not in fresh, fresh
    httpx.delete(f"{simulators['nomination']}/__sim/stats").raise_for_status()

    # when: read again at once: from the cache
    cached = await gql.execute(NOMINATION, {"number": personas.TEPLARNA, "week": WEEK})

    # then
    assert cached == fresh
    assert httpx.get(f"{simulators['nomination']}/__sim/stats").json()["total"] == 0

    # when: past the periods' TTL, nomination down
    advance(app, 120)
    set_faults(simulators["nomination"], mode="down")
    stale = await gql.execute(NOMINATION, {"number": personas.TEPLARNA, "week": WEEK})

    # then: the same data, flagged stale
    assert "errors" not in stale, stale
    assert stale["data"] == fresh["data"]
    assert stale_backends(stale) == ["nomination"]


@pytest.fixture
async def quick_breaker(settings: Settings) -> AsyncIterator[tuple[Starlette, GraphQLClient]]:
    """A gateway whose breakers open after 2 failures and stay open 30 s unless watched."""
    update = {"retry_attempts": 1, "breaker_failure_threshold": 2, "breaker_reset_seconds": 30.0}
    app = create_app(settings.model_copy(update=update))
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://gateway.test") as http,
    ):
        yield app, GraphQLClient(http)


async def test_after_a_back_end_recovers_stale_answers_stop_within_seconds(
    quick_breaker: tuple[Starlette, GraphQLClient], simulators: dict[str, str]
) -> None:
    app, gql = quick_breaker
    await gql.login("novak")
    fresh = await gql.execute(OVERVIEW, {"number": personas.NOVAK})
    assert "errors" not in fresh

    # given: past the invoices' TTL, billing down until its breaker opens; answers are stale
    advance(app, 60)
    set_faults(simulators["billing"], mode="down")
    for _ in range(3):
        down = await gql.execute(OVERVIEW, {"number": personas.NOVAK})
        assert stale_backends(down) == ["billing"], down
    assert (await gql.http.get("/readyz")).json()["backends"]["billing"]["breaker"] == "open"

    # when: billing recovers (the breaker would wait 30 s on its own)
    set_faults(simulators["billing"], mode="ok")
    recovered_at = time.monotonic()
    while True:
        result = await gql.execute(OVERVIEW, {"number": personas.NOVAK})
        if not stale_backends(result):
            break
        assert time.monotonic() - recovered_at < 5, "still stale 5 s after billing recovered"
        await asyncio.sleep(0.1)

    # then: fresh data again within seconds, the breaker closed by a real call
    assert error_codes(result) == []
    assert result["data"] == fresh["data"]
    assert (await gql.http.get("/readyz")).json()["backends"]["billing"]["breaker"] == "closed"
    print(f"\nstale answers ended {time.monotonic() - recovered_at:.1f} s after billing recovered")
