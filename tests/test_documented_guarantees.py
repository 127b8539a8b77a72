"""README's numbers, pinned through the modules' public classes with their *default* values.

The other unit suites choose small policies of their own to test the mechanics; these use
what the gateway ships, so raising a documented limit (30 failures per address to 3,000,
a 15-minute window to forever, a breaker of 5 to 50...) turns them red. "Now" is a clock
the test moves; Redis variants run when ``GATEWAY_TEST_REDIS_URL`` is set.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import os
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from redis.asyncio import Redis

from gateway.adapters.connect import policy
from gateway.config import Settings
from gateway.document_links import signature_allows, signed_document_url
from gateway.errors import BackendUnavailable, RateLimited
from gateway.http.persisted_queries import LocalDocuments, RedisDocuments
from gateway.resilience import CircuitOpen, Policy
from gateway.throttle import LoginThrottle, MemoryThrottleBackend, RedisThrottleBackend, ThrottleBackend
from tests.throttle_attempts import Clock, check, failed

REDIS_URL_VARIABLE = "GATEWAY_TEST_REDIS_URL"
MINUTE = 60.0
KEY = b"a-secret-of-at-least-some-length"


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def redis() -> AsyncIterator[Redis]:
    url = os.environ.get(REDIS_URL_VARIABLE)
    if not url:
        pytest.skip(f"{REDIS_URL_VARIABLE} is not set")
    client = Redis.from_url(url, socket_connect_timeout=2)
    try:
        assert await client.ping()  # set but not answering: the test fails
        yield client
    finally:
        await client.aclose()


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.redis)])
async def backend(request: pytest.FixtureRequest) -> AsyncIterator[ThrottleBackend]:
    if request.param == "memory":
        yield MemoryThrottleBackend()
        return
    url = os.environ.get(REDIS_URL_VARIABLE)
    if not url:
        pytest.skip(f"{REDIS_URL_VARIABLE} is not set")
    client = Redis.from_url(url, socket_connect_timeout=2)
    prefix = f"test:{secrets.token_hex(4)}:"
    try:
        assert await client.ping()
        yield RedisThrottleBackend(client, prefix=prefix)
    finally:
        keys = [key async for key in client.scan_iter(f"{prefix}*")]
        if keys:
            await client.delete(*keys)
        await client.aclose()


@pytest.fixture
def throttle(backend: ThrottleBackend, clock: Clock) -> LoginThrottle:
    """The shipped policies: nothing but the backend and the clock is chosen here."""
    return LoginThrottle(backend, clock=clock)


async def is_locked(throttle: LoginThrottle, *, login: str | None, address: str | None) -> bool:
    try:
        await check(throttle, login=login, address=address)
    except RateLimited:
        return True
    return False


async def fail(throttle: LoginThrottle, times: int, *, login: str | None, address: str | None) -> None:
    for _ in range(times):
        await failed(throttle, login=login, address=address)


# --- throttling: 5 per login, 30 per address, 1 s doubling to 5 min, forgotten after 15 min ---


async def test_a_login_is_locked_from_its_fifth_failure_and_not_before(throttle: LoginThrottle) -> None:
    await fail(throttle, 4, login="novak", address=None)
    assert not await is_locked(throttle, login="novak", address=None)

    await fail(throttle, 1, login="novak", address=None)
    assert await is_locked(throttle, login="novak", address=None)


async def test_an_address_is_locked_from_its_thirtieth_failure_and_not_before(
    throttle: LoginThrottle,
) -> None:
    # given: 29 failures from one address, each on another login (no login reaches its own limit)
    for n in range(29):
        await failed(throttle, login=f"user-{n}", address="10.0.0.1")
    assert not await is_locked(throttle, login="someone-else", address="10.0.0.1")

    # when
    await failed(throttle, login="user-29", address="10.0.0.1")

    # then
    assert await is_locked(throttle, login="someone-else", address="10.0.0.1")
    assert not await is_locked(throttle, login="someone-else", address="10.0.0.2")


async def test_each_locking_failure_doubles_the_lock_from_one_second_up_to_five_minutes(
    throttle: LoginThrottle, clock: Clock
) -> None:
    # given: the four free failures
    await fail(throttle, 4, login="novak", address=None)
    locks = []

    # when: a failure, then waiting out its lock exactly, twelve times
    for _ in range(12):
        await fail(throttle, 1, login="novak", address=None)
        with pytest.raises(RateLimited) as raised:
            await check(throttle, login="novak", address=None)
        locks.append(raised.value.retry_after)
        clock.now += raised.value.retry_after

    # then
    assert locks == [1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300]


@pytest.mark.parametrize(("quiet", "forgotten"), [(15 * MINUTE - 1, False), (15 * MINUTE + 1, True)])
async def test_failures_are_forgotten_fifteen_minutes_after_the_last(
    clock: Clock, quiet: float, forgotten: bool
) -> None:
    # given: four failures, the last one ``quiet`` seconds ago
    throttle = LoginThrottle(MemoryThrottleBackend(), clock=clock)
    await fail(throttle, 3, login="novak", address=None)
    clock.now += 10 * MINUTE  # the window runs from the last failure, not the first
    await fail(throttle, 1, login="novak", address=None)
    clock.now += quiet

    # when: one more failure
    await fail(throttle, 1, login="novak", address=None)

    # then: it is the fifth (locks) only if the earlier four were still remembered
    assert await is_locked(throttle, login="novak", address=None) is not forgotten


@pytest.mark.redis
async def test_in_redis_the_counters_expire_fifteen_minutes_after_the_last_failure(
    redis: Redis, clock: Clock
) -> None:
    # given
    prefix = f"test:{secrets.token_hex(4)}:"
    throttle = LoginThrottle(RedisThrottleBackend(redis, prefix=prefix), clock=clock)
    try:
        # when
        await fail(throttle, 2, login="novak", address="10.0.0.1")

        # then: every counter (login and address) expires with the window (plus one second)
        keys = [key async for key in redis.scan_iter(f"{prefix}*")]
        assert len(keys) == 2
        for key in keys:
            assert 15 * MINUTE <= await redis.ttl(key) <= 15 * MINUTE + 1
    finally:
        keys = [key async for key in redis.scan_iter(f"{prefix}*")]
        if keys:
            await redis.delete(*keys)


# --- resilience: 3 attempts for reads, breaker of 5, 10 s open, caps in flight ---------------


async def no_sleep(_seconds: float) -> None:
    """Retries back off without waiting in tests."""


def failing(calls: list[int]) -> Callable[[], Awaitable[None]]:
    async def call() -> None:
        calls.append(1)
        raise BackendUnavailable("billing")

    return call


def shipped_policy(clock: Clock) -> Policy:
    """The billing policy as ``GATEWAY_*`` defaults make it, with a test clock."""
    settings = Settings()
    made = policy(settings, "billing")
    return Policy("billing", made.settings, clock=clock, sleep=no_sleep)


async def test_a_read_is_tried_three_times_and_a_write_once(clock: Clock) -> None:
    reads: list[int] = []
    writes: list[int] = []
    billing = shipped_policy(clock)

    with pytest.raises(BackendUnavailable):
        await billing.call("invoice_pages", failing(reads), idempotent=True)
    with pytest.raises(BackendUnavailable):
        await billing.call("pay", failing(writes), idempotent=False)

    assert (len(reads), len(writes)) == (3, 1)


async def test_the_breaker_opens_at_the_fifth_consecutive_failure_and_probes_after_ten_seconds(
    clock: Clock,
) -> None:
    # given: writes, so that each call is one attempt
    calls: list[int] = []
    billing = shipped_policy(clock)
    for _ in range(4):
        with pytest.raises(BackendUnavailable):
            await billing.call("pay", failing(calls), idempotent=False)
    assert len(calls) == 4  # four failures: still closed

    # when: the fifth failure
    with pytest.raises(BackendUnavailable):
        await billing.call("pay", failing(calls), idempotent=False)

    # then: open; refused without calling until 10 s have passed, then one probe goes out
    clock.now += 10.0 - 0.01
    with pytest.raises(CircuitOpen):
        await billing.call("pay", failing(calls), idempotent=False)
    assert len(calls) == 5
    clock.now += 0.01
    with pytest.raises(BackendUnavailable):
        await billing.call("pay", failing(calls), idempotent=False)
    assert len(calls) == 6


@pytest.mark.parametrize(("backend", "cap"), [("billing", 20), ("crm", 20), ("nomination", 10)])
async def test_at_most_the_documented_number_of_calls_is_in_flight_to_a_back_end(
    backend: str, cap: int
) -> None:
    # given: the back end answers only when released
    made = policy(Settings(), backend)
    released = asyncio.Event()
    in_flight = 0
    most = 0

    async def slow() -> None:
        nonlocal in_flight, most
        in_flight += 1
        most = max(most, in_flight)
        await released.wait()
        in_flight -= 1

    # when: twice the cap of calls at once
    calls = [asyncio.create_task(made.call("op", slow, idempotent=True)) for _ in range(2 * cap)]
    for _ in range(10):  # let every task run as far as it can
        await asyncio.sleep(0)
    at_most = most
    released.set()
    await asyncio.gather(*calls)

    # then: the cap held, and every call ran in the end
    assert at_most == cap
    assert in_flight == 0


# --- document links live five minutes --------------------------------------------------------


@pytest.mark.parametrize(
    ("later", "valid"),
    [(dt.timedelta(minutes=4, seconds=59), True), (dt.timedelta(minutes=5, seconds=1), False)],
)
def test_a_signed_document_link_works_for_five_minutes(later: dt.timedelta, valid: bool) -> None:
    made_at = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)
    url, expires_at = signed_document_url("RG9jdW1lbnQ6MQ==", "DF1", key=KEY, now=made_at)
    signature = url.partition("?sig=")[2].replace("%3D", "=")

    assert expires_at == made_at + dt.timedelta(minutes=5)
    assert signature_allows(signature, "DF1", key=KEY, now=made_at + later) is valid


# --- persisted queries: 2,000 documents / 20 MB per process; 30 days in Redis -----------------


def hashed(text: str) -> tuple[str, str]:
    return hashlib.sha256(text.encode()).hexdigest(), text


async def test_each_process_keeps_the_two_thousand_most_recently_used_documents() -> None:
    store = LocalDocuments()
    entries = [hashed(f"query Q{n} {{ viewer {{ login }} }}") for n in range(2_001)]

    for digest, text in entries:
        await store.put(digest, text)

    assert len(store) == 2_000
    assert await store.get(entries[0][0]) is None
    assert await store.get(entries[1][0]) == entries[1][1]


async def test_each_process_keeps_at_most_twenty_megabytes_of_documents() -> None:
    store = LocalDocuments()
    padding = "#" * 999_900
    entries = [hashed(f"query Q{n} {{ viewer {{ login }} }}\n{padding}") for n in range(21)]

    for digest, text in entries[:20]:
        await store.put(digest, text)
    kept_all_twenty = len(store) == 20
    await store.put(*entries[20])

    assert kept_all_twenty  # 20 x 1 MB fit
    assert await store.get(entries[0][0]) is None  # the 21st megabyte pushed out the oldest
    assert await store.get(entries[20][0]) == entries[20][1]


@pytest.mark.redis
async def test_in_redis_a_document_is_dropped_thirty_days_after_its_last_registration(redis: Redis) -> None:
    prefix = f"test:{secrets.token_hex(4)}:"
    store = RedisDocuments(redis, prefix=prefix)
    digest, text = hashed("query Thirty { viewer { login } }")
    try:
        await store.put(digest, text)

        ttl = await redis.ttl(store.key(digest))

        assert 30 * 24 * 3600 - 5 <= ttl <= 30 * 24 * 3600
    finally:
        keys = [key async for key in redis.scan_iter(f"{prefix}*")]
        if keys:
            await redis.delete(*keys)
