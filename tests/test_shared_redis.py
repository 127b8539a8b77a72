"""``RedisHealth``: a failed call marks Redis down for a backoff, one call then retries, a
success marks it up; and (with the test Redis behind a proxy) the cache store's
invalidations made while Redis is gone are replayed once it is back."""

from __future__ import annotations

import asyncio
import secrets

import pytest
from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError

from gateway.cache.shared_redis import (
    FAILURES,
    ReadBatch,
    RedisHealth,
    RedisUnavailable,
    TurnBatch,
    client,
    redacted,
)
from gateway.cache.store import Entry, customer_key, generation_key, redis_store
from gateway.metrics import Metrics
from tests.redis_proxy import redis_proxy


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Flaky:
    """A Redis call that fails while ``down``, counting how often it was made."""

    def __init__(self) -> None:
        self.down = False
        self.calls = 0

    async def __call__(self) -> str:
        self.calls += 1
        if self.down:
            raise RedisConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
        return "redis"


async def local() -> str:
    return "local"


def sample(metrics: Metrics, name: str, **labels: str) -> float | None:
    return metrics.registry.get_sample_value(name, labels)


async def test_a_failure_falls_back_and_skips_redis_until_the_backoff_is_over() -> None:
    clock, metrics, redis = Clock(), Metrics(), Flaky()
    health = RedisHealth(retry_after=5.0, metrics=metrics, clock=clock)
    assert await health.call("budget", redis, local) == "redis"

    # when: Redis fails, then is called again within the backoff
    redis.down = True
    failed = await health.call("budget", redis, local)
    clock.now += 4.9
    skipped = await health.call("budget", redis, local)

    # then
    assert (failed, skipped) == ("local", "local")
    assert redis.calls == 2  # the skipped call never waited on Redis
    assert health.up is False
    assert sample(metrics, "gateway_redis_up") == 0
    assert sample(metrics, "gateway_redis_fallbacks_total", user="budget") == 2

    # when: the backoff is over and Redis answers
    redis.down = False
    clock.now += 0.2
    back = await health.call("budget", redis, local)

    # then
    assert back == "redis"
    assert health.up is True
    assert sample(metrics, "gateway_redis_up") == 1


async def test_once_due_a_single_call_retries_redis_the_others_fall_back() -> None:
    clock, redis = Clock(), Flaky()
    health = RedisHealth(retry_after=5.0, clock=clock)
    redis.down = True
    await health.call("cache", redis, local)
    clock.now += 5.0

    # when: concurrent calls once the retry is due, Redis still down
    answers = await asyncio.gather(*(health.call("cache", redis, local) for _ in range(10)))

    # then
    assert answers == ["local"] * 10
    assert redis.calls == 2


async def test_a_caller_without_a_fallback_learns_of_the_failure() -> None:
    clock, redis = Clock(), Flaky()
    health = RedisHealth(retry_after=5.0, clock=clock)
    redis.down = True

    with pytest.raises(RedisConnectionError):
        await health.attempt(redis)
    with pytest.raises(RedisUnavailable):  # within the backoff: not tried
        await health.attempt(redis)
    assert redis.calls == 1


async def test_a_probe_always_goes_to_redis_and_records_its_answer() -> None:
    clock, redis = Clock(), Flaky()
    health = RedisHealth(retry_after=60.0, clock=clock)
    redis.down = True
    await health.call("throttle", redis, local)
    redis.down = False

    await health.probe(redis)

    assert health.up is True


async def test_it_goes_down_once_however_many_calls_fail(caplog: pytest.LogCaptureFixture) -> None:
    redis = Flaky()
    redis.down = True
    health = RedisHealth(retry_after=0.0)

    for _ in range(5):
        await health.call("throttle", redis, local)

    assert [r.levelname for r in caplog.records if r.name == "gateway.redis"] == ["WARNING"]


def test_a_logged_url_hides_its_password() -> None:
    assert redacted("redis://:s3cret@cache.internal:6380/2") == "redis://:***@cache.internal:6380/2"
    assert redacted("redis://127.0.0.1:6379/6") == "redis://127.0.0.1:6379/6"


@pytest.mark.redis
async def test_an_invalidation_made_while_redis_is_gone_is_replayed_when_it_is_back() -> None:
    async with redis_proxy() as proxy:
        health = RedisHealth(retry_after=0.05)
        store = redis_store(proxy.url, health=health, timeout=0.5)
        customer = f"9{secrets.randbelow(10**9):09d}"
        key = customer_key("billing", "invoice_pages", customer, "k")
        try:
            await store.put_many({key: Entry(customer, 0, 0.0, None)}, ttl=60)
            assert await store.generations("billing", [customer]) == {customer: 0}

            # when: the customer changes while Redis is gone
            await proxy.close()
            with pytest.raises(FAILURES):
                await store.invalidate("billing", customer)
            during = await store.get_many([key])

            # then: a miss, not an error
            assert during == [None]

            # when: Redis is back
            await proxy.open()
            await asyncio.sleep(0.1)
            after = await store.generations("billing", [customer])

            # then: the entry stored before the change no longer matches
            assert after == {customer: 1}
        finally:
            await store.close()
            direct = Redis.from_url(proxy.target_url)
            await direct.delete(key, generation_key("billing", customer))
            await direct.aclose()


@pytest.mark.redis
async def test_reads_asked_for_at_once_are_one_round_trip_and_a_failure_reaches_each_reader() -> None:
    async with redis_proxy() as proxy:
        redis = client(proxy.url, timeout=0.5)
        reads = ReadBatch(redis)
        prefix = f"test:batch:{secrets.token_hex(4)}:"
        try:
            await redis.set(prefix + "a", b"1")
            await redis.set(prefix + "b", b"2")
            before = proxy.writes

            # when: three readers in one turn of the loop, two of them sharing a key
            answers = await asyncio.gather(
                reads.mget([prefix + "a"]),
                reads.mget([prefix + "b", prefix + "a"]),
                reads.mget([prefix + "missing"]),
            )

            # then: one MGET, each reader its own values in its own order
            assert proxy.writes - before == 1
            assert list(answers) == [[b"1"], [b"2", b"1"], [None]]

            # when: Redis is gone
            await proxy.close()
            failed = await asyncio.gather(
                reads.mget([prefix + "a"]), reads.mget([prefix + "b"]), return_exceptions=True
            )

            # then: every reader learns it
            assert [isinstance(error, FAILURES) for error in failed] == [True, True]
        finally:
            await redis.aclose()
            direct = Redis.from_url(proxy.target_url)
            await direct.delete(prefix + "a", prefix + "b")
            await direct.aclose()


async def test_a_batch_answered_wrongly_fails_each_caller_rather_than_leaving_it_waiting() -> None:
    async def short(items: list[int]) -> list[int]:
        return items[:-1]

    batch: TurnBatch[int, int] = TurnBatch(short)

    answers = await asyncio.wait_for(asyncio.gather(batch(1), batch(2), return_exceptions=True), timeout=1)

    assert [type(answer) for answer in answers] == [RuntimeError, RuntimeError]
