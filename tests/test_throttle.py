"""Failed-attempt throttling, on the in-process backend and (when
``GATEWAY_TEST_REDIS_URL`` is set) on Redis, which then must answer: never a silent skip."""

from __future__ import annotations

import asyncio
import os
import secrets
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from gateway.errors import RateLimited
from gateway.throttle import (
    LEASE,
    LoginThrottle,
    MemoryThrottleBackend,
    Policy,
    RedisThrottleBackend,
    Reservation,
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


async def fail(throttle: LoginThrottle, *, login: str | None, address: str | None) -> None:
    async with throttle.attempt(login=login, address=address) as attempt:
        attempt.failed()


async def try_once(throttle: LoginThrottle, *, login: str | None, address: str | None) -> None:
    """An attempt that is reserved and released without a verdict (RateLimited if refused)."""
    async with throttle.attempt(login=login, address=address):
        pass


class Burst:
    """Concurrent attempts that stay in flight until ``settle`` lets them fail (or succeed)."""

    def __init__(self, throttle: LoginThrottle) -> None:
        self.throttle = throttle
        self.release = asyncio.Event()
        self.in_flight: list[int] = []
        self.refused: list[int] = []
        self.succeed: set[int] = set()

    async def _one(self, index: int, login: str | None, address: str | None) -> None:
        try:
            async with self.throttle.attempt(login=login, address=address) as attempt:
                self.in_flight.append(index)
                await self.release.wait()
                if index in self.succeed:
                    attempt.succeeded()
                else:
                    attempt.failed()
        except RateLimited:
            self.refused.append(index)

    async def start(
        self, logins_and_addresses: list[tuple[str | None, str | None]]
    ) -> list[asyncio.Task[None]]:
        tasks = [asyncio.create_task(self._one(i, *pair)) for i, pair in enumerate(logins_and_addresses)]
        while len(self.in_flight) + len(self.refused) < len(tasks):  # noqa: ASYNC110 -- until each is reserved or refused
            await asyncio.sleep(0.001)
        return tasks

    async def settle(self, tasks: list[asyncio.Task[None]]) -> None:
        self.release.set()
        await asyncio.gather(*tasks)


async def test_failures_below_the_limit_are_not_throttled(throttle: LoginThrottle) -> None:
    # given: one failure short of the limit
    for _ in range(2):
        await fail(throttle, login="novak", address="10.0.0.1")

    # when / then: no lock yet, though both failures were counted: one more locks
    await try_once(throttle, login="novak", address="10.0.0.1")
    await fail(throttle, login="novak", address="10.0.0.1")
    with pytest.raises(RateLimited):
        await try_once(throttle, login="novak", address="10.0.0.1")


async def test_one_failure_too_many_locks_the_login_from_any_address(
    throttle: LoginThrottle, clock: Clock
) -> None:
    # given
    for i in range(3):
        await fail(throttle, login="novak", address=f"10.0.0.{i}")

    # when
    with pytest.raises(RateLimited) as raised:
        await try_once(throttle, login="NOVAK ", address="192.168.1.1")

    # then
    assert raised.value.retry_after == pytest.approx(2.0)
    clock.now += 2.5
    await try_once(throttle, login="novak", address="192.168.1.1")


async def test_the_lock_is_capped_at_a_few_minutes(throttle: LoginThrottle, clock: Clock) -> None:
    for i in range(30):
        clock.now += POLICY.delay(i)  # each failure waits out the lock the previous one earned
        await fail(throttle, login="novak", address=f"10.0.{i}.1")

    with pytest.raises(RateLimited) as raised:
        await try_once(throttle, login="novak", address=None)

    assert raised.value.retry_after <= 60.0
    clock.now += 61
    await try_once(throttle, login="novak", address=None)


async def test_an_address_trying_many_logins_is_locked(throttle: LoginThrottle) -> None:
    for i in range(3):
        await fail(throttle, login=f"user{i}", address="10.9.9.9")

    with pytest.raises(RateLimited):
        await try_once(throttle, login="someone-else", address="10.9.9.9")
    await try_once(throttle, login="someone-else", address="10.9.9.8")


async def test_a_success_clears_the_login_counter_but_not_the_address_one(throttle: LoginThrottle) -> None:
    # given
    for _ in range(2):
        await fail(throttle, login="novak", address="10.0.0.1")

    # when
    async with throttle.attempt(login="novak", address="10.0.0.1") as attempt:
        attempt.succeeded()
    await fail(throttle, login="novak", address="10.0.0.1")

    # then: the login starts counting afresh, the address keeps counting
    await try_once(throttle, login="novak", address=None)
    with pytest.raises(RateLimited):
        await try_once(throttle, login=None, address="10.0.0.1")


async def test_an_unknown_login_is_counted_like_a_known_one(throttle: LoginThrottle) -> None:
    for _ in range(3):
        await fail(throttle, login="nobody-at-all", address=None)

    with pytest.raises(RateLimited) as raised:
        await try_once(throttle, login="nobody-at-all", address=None)
    assert "nobody" not in raised.value.message


async def test_counters_are_forgotten_a_window_after_the_last_failure(
    throttle: LoginThrottle, clock: Clock
) -> None:
    for _ in range(2):
        await fail(throttle, login="novak", address=None)

    clock.now += POLICY.window + 1
    for _ in range(2):  # two more below the limit again: the old two are gone
        await fail(throttle, login="novak", address=None)

    await try_once(throttle, login="novak", address=None)


async def test_concurrent_attempts_on_one_login_never_exceed_the_limit(throttle: LoginThrottle) -> None:
    # given: 40 attempts at once, all in flight together (the right password sent last)
    burst = Burst(throttle)
    tasks = await burst.start([("novak", f"10.0.0.{i}") for i in range(40)])

    # then: only as many as could fail before the lock are checked; the rest are refused at once
    assert len(burst.in_flight) == POLICY.lock_after
    assert len(burst.refused) == 40 - POLICY.lock_after

    # when: they all fail
    await burst.settle(tasks)

    # then: the login is locked, even for the right password
    with pytest.raises(RateLimited) as raised:
        await try_once(throttle, login="novak", address="10.1.1.1")
    assert raised.value.retry_after == pytest.approx(POLICY.delay(POLICY.lock_after))


async def test_concurrent_attempts_from_one_address_never_exceed_its_limit(throttle: LoginThrottle) -> None:
    burst = Burst(throttle)
    tasks = await burst.start([(f"user{i}", "10.9.9.9") for i in range(50)])

    assert len(burst.in_flight) == POLICY.lock_after
    await burst.settle(tasks)
    with pytest.raises(RateLimited):
        await try_once(throttle, login="someone-else", address="10.9.9.9")


async def test_past_the_limit_attempts_run_one_at_a_time(throttle: LoginThrottle, clock: Clock) -> None:
    # given: the login locked, and its lock waited out
    for _ in range(POLICY.lock_after):
        await fail(throttle, login="novak", address=None)
    clock.now += POLICY.delay(POLICY.lock_after)

    # when
    burst = Burst(throttle)
    tasks = await burst.start([("novak", None)] * 10)

    # then: one attempt, whose failure doubles the lock
    assert len(burst.in_flight) == 1
    await burst.settle(tasks)
    with pytest.raises(RateLimited) as raised:
        await try_once(throttle, login="novak", address=None)
    assert raised.value.retry_after == pytest.approx(POLICY.delay(POLICY.lock_after + 1))


async def test_attempts_released_without_a_verdict_count_nothing(throttle: LoginThrottle) -> None:
    # given: attempts that end without checking anything, one of them by raising
    for _ in range(10):
        await try_once(throttle, login="novak", address="10.0.0.1")
    with pytest.raises(RuntimeError):
        async with throttle.attempt(login="novak", address="10.0.0.1"):
            raise RuntimeError("the hashing pool was full")

    # when / then: all the failures of the policy are still free
    for _ in range(POLICY.lock_after - 1):
        await fail(throttle, login="novak", address="10.0.0.1")
    await try_once(throttle, login="novak", address="10.0.0.1")


async def test_a_success_in_flight_releases_its_place_and_counts_no_failure(throttle: LoginThrottle) -> None:
    # given: the limit's worth in flight, the first of them the right password
    burst = Burst(throttle)
    burst.succeed.add(0)
    tasks = await burst.start([("novak", None)] * POLICY.lock_after)
    assert len(burst.in_flight) == POLICY.lock_after

    # when
    await burst.settle(tasks)

    # then: the failures settled after the success count afresh, below the limit: not locked
    await try_once(throttle, login="novak", address=None)


async def test_a_reservation_never_settled_lapses(
    backend: ThrottleBackend, throttle: LoginThrottle, clock: Clock
) -> None:
    # given: a replica died with the limit's worth of attempts in flight
    keys = [Reservation("login:novak", POLICY)]
    for i in range(POLICY.lock_after):
        assert await backend.reserve(keys, attempt=f"dead{i}", now=clock.now, lease=LEASE) == 0
    with pytest.raises(RateLimited):
        await try_once(throttle, login="novak", address=None)

    # when
    clock.now += LEASE + 1

    # then
    await try_once(throttle, login="novak", address=None)


@pytest.mark.redis
async def test_replicas_sharing_redis_admit_no_more_than_one_process_would(clock: Clock) -> None:
    # given: two replicas, each with its own connection, the same counters
    url = os.environ.get(REDIS_URL_VARIABLE)
    if not url:
        pytest.skip(f"{REDIS_URL_VARIABLE} is not set")
    prefix = f"test:{secrets.token_hex(4)}:"
    connections = [Redis.from_url(url), Redis.from_url(url)]
    replicas = [
        LoginThrottle(RedisThrottleBackend(redis, prefix=prefix), clock=clock, login_policy=POLICY)
        for redis in connections
    ]
    try:
        bursts = [Burst(replica) for replica in replicas]

        # when: 20 attempts on each replica at once
        started = await asyncio.gather(*(burst.start([("novak", None)] * 20) for burst in bursts))

        # then
        assert sum(len(burst.in_flight) for burst in bursts) == POLICY.lock_after
        for burst, tasks in zip(bursts, started, strict=True):
            await burst.settle(tasks)
        with pytest.raises(RateLimited):
            await try_once(replicas[0], login="novak", address=None)
    finally:
        for redis in connections:
            await redis.aclose()
