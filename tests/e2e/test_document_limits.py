"""A small document that expands enormously is refused at once, and nobody else waits for it."""

from __future__ import annotations

import asyncio
import time

import httpx

from tests.e2e.client import error_codes
from tests.schema.test_limits import fragment_chain

# 653 bytes, 10^7 fields once expanded: it held the event loop for about 22 s.
EIGHT_LEVELS = fragment_chain(8)
BOUND_SECONDS = 0.05


async def timed_post(client: httpx.AsyncClient, query: str) -> tuple[httpx.Response, float]:
    started = time.perf_counter()
    response = await client.post("/graphql", json={"query": query})
    return response, time.perf_counter() - started


async def test_the_eight_level_fragment_chain_is_refused_within_50_ms(client: httpx.AsyncClient) -> None:
    # when
    response, elapsed = await timed_post(client, EIGHT_LEVELS)

    # then
    body = response.json()
    assert error_codes(body) == ["QUERY_TOO_COMPLEX"]
    assert body.get("data") is None
    assert elapsed < BOUND_SECONDS, f"{elapsed * 1000:.1f} ms"


async def test_healthz_answers_within_50_ms_while_ten_chains_arrive(client: httpx.AsyncClient) -> None:
    # given
    attacks = [asyncio.create_task(timed_post(client, EIGHT_LEVELS)) for _ in range(10)]
    await asyncio.sleep(0)  # every attack has started

    # when
    started = time.perf_counter()
    health = await client.get("/healthz")
    health_elapsed = time.perf_counter() - started
    answers = await asyncio.gather(*attacks)

    # then
    assert health.status_code == 200
    assert health_elapsed < BOUND_SECONDS, f"{health_elapsed * 1000:.1f} ms"
    for response, _ in answers:
        assert error_codes(response.json()) == ["QUERY_TOO_COMPLEX"]


async def test_a_fragment_cycle_is_refused_as_invalid(client: httpx.AsyncClient) -> None:
    cycle = "query { ...A } fragment A on Query { viewer { ...B } } fragment B on Viewer { login ...A }"

    response = await client.post("/graphql", json={"query": cycle})

    assert "GRAPHQL_VALIDATION_FAILED" in error_codes(response.json())
