"""Failed-attempt throttling, on the in-process backend and (when
``GATEWAY_TEST_REDIS_URL`` is set) on Redis, which then must answer: never a silent skip."""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from gateway.errors import RateLimited
from gateway.throttle import (
    LoginThrottle,
    MemoryThrottleBackend,
    Policy,
    RedisThrottleBackend,
    ThrottleBackend,
)

REDIS_URL_VARIABLE = "GATEWAY_TEST_REDIS_URL"
POLICY = Policy(lock_after=3, base_delay=2.0, max_delay=60.0, window=600.0)


class Clock:
    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.redis)])
async def backend(request: pytest.FixtureRequest) -> AsyncIterator[ThrottleBackend]:
    if request.param == "memory":
        yield MemoryThrottleBackend()
        return
    url = os.environ.get(REDIS_URL_VARIABLE)
    if not url:
        pytest.skip(f"{REDIS_URL_VARIABLE} is not set")
    redis = Redis.from_url(url)
    try:
        assert await redis.ping()  # set but not answering: the test fails
        yield RedisThrottleBackend(redis, prefix=f"test:{secrets.token_hex(4)}:")
    finally:
        await redis.aclose()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def throttle(backend: ThrottleBackend, clock: Clock) -> LoginThrottle:
    return LoginThrottle(backend, clock=clock, login_policy=POLICY, address_policy=POLICY)


def test_the_delay_doubles_from_the_locking_failure_on_and_stops_at_the_cap() -> None:
    assert [POLICY.delay(n) for n in range(1, 10)] == [0, 0, 2, 4, 8, 16, 32, 60, 60]


async def test_failures_below_the_limit_are_not_throttled(throttle: LoginThrottle) -> None:
    # given: one failure short of the limit
    for _ in range(2):
        await throttle.failed(login="novak", address="10.0.0.1")

    # when / then: no lock yet (``check`` raises RateLimited when locked), though both failures
    # were counted: one more locks
    await throttle.check(login="novak", address="10.0.0.1")
    await throttle.failed(login="novak", address="10.0.0.1")
    with pytest.raises(RateLimited):
        await throttle.check(login="novak", address="10.0.0.1")


async def test_one_failure_too_many_locks_the_login_from_any_address(
    throttle: LoginThrottle, clock: Clock
) -> None:
    # given
    for i in range(3):
        await throttle.failed(login="novak", address=f"10.0.0.{i}")

    # when
    with pytest.raises(RateLimited) as raised:
        await throttle.check(login="NOVAK ", address="192.168.1.1")

    # then
    assert raised.value.retry_after == pytest.approx(2.0)
    clock.now += 2.5
    await throttle.check(login="novak", address="192.168.1.1")


async def test_the_lock_is_capped_at_a_few_minutes(throttle: LoginThrottle, clock: Clock) -> None:
    for i in range(30):
        await throttle.failed(login="novak", address=f"10.0.{i}.1")

    with pytest.raises(RateLimited) as raised:
        await throttle.check(login="novak", address=None)

    assert raised.value.retry_after <= 60.0
    clock.now += 61
    await throttle.check(login="novak", address=None)


async def test_an_address_trying_many_logins_is_locked(throttle: LoginThrottle) -> None:
    for i in range(3):
        await throttle.failed(login=f"user{i}", address="10.9.9.9")

    with pytest.raises(RateLimited):
        await throttle.check(login="someone-else", address="10.9.9.9")
    await throttle.check(login="someone-else", address="10.9.9.8")


async def test_a_success_clears_the_login_counter_but_not_the_address_one(throttle: LoginThrottle) -> None:
    # given
    for _ in range(2):
        await throttle.failed(login="novak", address="10.0.0.1")

    # when
    await throttle.succeeded(login="novak", address="10.0.0.1")
    await throttle.failed(login="novak", address="10.0.0.1")

    # then: the login starts counting afresh, the address keeps counting
    await throttle.check(login="novak", address=None)
    with pytest.raises(RateLimited):
        await throttle.check(login=None, address="10.0.0.1")


async def test_an_unknown_login_is_counted_like_a_known_one(throttle: LoginThrottle) -> None:
    for _ in range(3):
        await throttle.failed(login="nobody-at-all", address=None)

    with pytest.raises(RateLimited) as raised:
        await throttle.check(login="nobody-at-all", address=None)
    assert "nobody" not in raised.value.message
