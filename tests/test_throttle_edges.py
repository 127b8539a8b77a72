"""Throttle edges the mutation run (``make mutate``) found unpinned: the window's exact end, a
policy's own window, clearing a login that never failed, a spray of unique keys, long logins
and the refusal's wording."""

from __future__ import annotations

import secrets

import pytest

from gateway.cache.shared_redis import RedisHealth, SharedRedis, client
from gateway.errors import RateLimited
from gateway.metrics import Metrics
from gateway.throttle import RATE_LIMITED_MESSAGE, LoginThrottle, MemoryThrottleBackend, Policy, open_throttle
from tests.redis_proxy import redis_proxy
from tests.throttle_attempts import Clock, check, failed, succeeded


async def locked(throttle: LoginThrottle, login: str) -> bool:
    try:
        await check(throttle, login=login, address=None)
    except RateLimited:
        return True
    return False


async def test_failures_are_forgotten_at_exactly_fifteen_minutes() -> None:
    clock = Clock()
    throttle = LoginThrottle(MemoryThrottleBackend(), clock=clock)
    for _ in range(4):
        await failed(throttle, login="novak", address=None)

    clock.now += 15 * 60
    await failed(throttle, login="novak", address=None)

    assert not await locked(throttle, "novak")  # a first failure again, not the fifth


async def test_a_policy_with_a_shorter_window_forgets_sooner() -> None:
    clock = Clock()
    short = Policy(lock_after=2, window=60.0)
    throttle = LoginThrottle(MemoryThrottleBackend(), clock=clock, login_policy=short)
    await failed(throttle, login="novak", address=None)

    clock.now += 61
    await failed(throttle, login="novak", address=None)

    assert not await locked(throttle, "novak")


async def test_a_success_without_earlier_failures_clears_nothing_and_does_not_fail() -> None:
    throttle = LoginThrottle(MemoryThrottleBackend(), clock=Clock())

    await succeeded(throttle, login="novak", address="10.0.0.1")

    assert not await locked(throttle, "novak")


async def test_a_spray_of_unique_logins_is_counted_and_pruned_without_failing() -> None:
    # given: more than 100,000 counters (where the in-memory backend starts pruning)
    clock = Clock()
    throttle = LoginThrottle(MemoryThrottleBackend(), clock=clock)
    for n in range(100_001):
        await failed(throttle, login=f"spray-{n}", address=None)

    # when: one more failure, long after the others expired
    clock.now += 16 * 60
    await failed(throttle, login="after-the-spray", address=None)

    # then
    assert not await locked(throttle, "after-the-spray")


async def test_logins_are_told_apart_by_their_first_64_characters_only() -> None:
    # the key is bounded: a login padded past 64 characters is the same counter
    throttle = LoginThrottle(MemoryThrottleBackend(), clock=Clock())
    base = "x" * 64
    for n in range(5):
        await failed(throttle, login=f"{base}{n}", address=None)

    assert await locked(throttle, f"{base}other")


async def test_the_refusal_says_only_to_try_again_later() -> None:
    throttle = LoginThrottle(MemoryThrottleBackend(), clock=Clock())
    for _ in range(5):
        await failed(throttle, login="novak", address=None)

    with pytest.raises(RateLimited) as raised:
        await check(throttle, login="novak", address=None)

    assert raised.value.message == RATE_LIMITED_MESSAGE == "Too many failed attempts; try again later."


async def test_pruning_under_a_spray_keeps_counts_within_their_window_and_attempts_in_flight() -> None:
    # given: one attempt at a time (lock_after=1); "counted" failed once (its 1 s lock is
    # over, its failure still in the window) and "busy" has an attempt in flight
    clock = Clock()
    throttle = LoginThrottle(MemoryThrottleBackend(), clock=clock, login_policy=Policy(lock_after=1))
    await failed(throttle, login="counted", address=None)
    clock.now += 2
    async with throttle.attempt(login="busy", address=None):
        # when: a spray of unique logins makes the backend prune its counters
        for n in range(100_001):
            await failed(throttle, login=f"spray-{n}", address=None)

        # then: "busy" still has its attempt in flight, so a second one waits
        with pytest.raises(RateLimited):
            await check(throttle, login="busy", address=None)

    # and "counted"'s earlier failure still counts: its second failure locks it for 2 s, not 1
    await failed(throttle, login="counted", address=None)
    clock.now += 1.5
    assert await locked(throttle, "counted")


@pytest.mark.redis
async def test_a_failure_reserved_on_redis_that_vanished_meanwhile_is_counted_locally() -> None:
    async with redis_proxy() as proxy:
        metrics = Metrics()
        shared = SharedRedis(
            client(proxy.url, timeout=0.5), RedisHealth(retry_after=60.0, metrics=metrics), proxy.url, 0.5
        )
        throttle = open_throttle(shared, clock=Clock())
        login = f"vanishing-{secrets.token_hex(4)}"
        try:
            for n in range(5):
                async with throttle.attempt(login=login, address=None) as attempt:
                    if n == 0:
                        await proxy.close()  # reserved on Redis, settled without it
                    attempt.failed()

            assert await locked(throttle, login)  # all five counted, here
            fallbacks = metrics.registry.get_sample_value(
                "gateway_redis_fallbacks_total", {"user": "throttle"}
            )
            assert fallbacks == 2 * 5 - 1 + 1  # the first settle, four local attempts, the refusal
        finally:
            await shared.client.aclose()
