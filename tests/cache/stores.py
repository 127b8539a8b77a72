"""Cache stores for tests: in process always, Redis when ``GATEWAY_TEST_REDIS_URL`` is set.

When the variable is set and Redis does not answer, the Redis variants fail (they never skip).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator

import pytest
import redis.asyncio

from gateway.cache.store import CacheStore, memory_store, redis_store

REDIS_URL = os.environ.get("GATEWAY_TEST_REDIS_URL")

STORE_KINDS = [
    "memory",
    pytest.param(
        "redis",
        marks=[
            pytest.mark.redis,
            pytest.mark.skipif(REDIS_URL is None, reason="needs GATEWAY_TEST_REDIS_URL"),
        ],
    ),
]


async def assert_redis_answers(url: str) -> None:
    client = redis.asyncio.Redis.from_url(url, socket_connect_timeout=2)
    try:
        assert await client.ping(), f"Redis at {url} does not answer"
    finally:
        await client.aclose()


@contextlib.asynccontextmanager
async def open_test_store(kind: str, *, stale_for: float = 600.0) -> AsyncIterator[CacheStore]:
    if kind == "memory":
        store = memory_store(stale_for=stale_for)
    else:
        assert REDIS_URL is not None
        await assert_redis_answers(REDIS_URL)  # raises (fails the test) when Redis is down
        store = redis_store(REDIS_URL, stale_for=stale_for)
        await store.clear()
    try:
        yield store
    finally:
        if kind == "redis":
            await store.clear()
        await store.close()


class FakeClock:
    """Epoch seconds that stand still until a test moves them."""

    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds
