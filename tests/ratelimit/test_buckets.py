"""The request budget's token buckets, on the in-process store and (when
``GATEWAY_TEST_REDIS_URL`` is set) on Redis, which then must answer: never a silent skip."""

from __future__ import annotations

import asyncio
import os
import secrets
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from gateway.errors import QueryTooComplex, RateLimited
from gateway.ratelimit.buckets import (
    ADDRESS_SHARE,
    Bucket,
    BucketStore,
    BudgetPolicy,
    MemoryBuckets,
    RedisBuckets,
    RequestBudget,
)
from tests.redis_proxy import redis_proxy

REDIS_URL_VARIABLE = "GATEWAY_TEST_REDIS_URL"
NOW = 1_700_000_000.0
USER = Bucket("user:1", capacity=100, refill=10)
ADDRESS = Bucket("address:10.0.0.1", capacity=30, refill=1)


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.redis)])
async def store(request: pytest.FixtureRequest) -> AsyncIterator[BucketStore]:
    if request.param == "memory":
        yield MemoryBuckets()
        return
    url = os.environ.get(REDIS_URL_VARIABLE)
    if not url:
        pytest.skip(f"{REDIS_URL_VARIABLE} is not set")
    redis = Redis.from_url(url)
    try:
        assert await redis.ping()  # set but not answering: the test fails
        yield RedisBuckets(redis, prefix=f"test:{secrets.token_hex(4)}:")
    finally:
        await redis.aclose()


async def test_a_request_within_the_budget_takes_its_cost(store: BucketStore) -> None:
    first = await store.take([USER], cost=30, now=NOW)
    second = await store.take([USER], cost=30, now=NOW)

    assert first.allowed and second.allowed
    assert (second.limit, second.remaining) == (100, 40)
    assert second.reset_in == pytest.approx(6.0)  # 60 points at 10 a second


async def test_a_request_over_the_budget_is_refused_takes_nothing_and_learns_when_to_retry(
    store: BucketStore,
) -> None:
    # given
    await store.take([USER], cost=95, now=NOW)

    # when
    refused = await store.take([USER], cost=25, now=NOW)
    still = await store.take([USER], cost=5, now=NOW)

    # then
    assert not refused.allowed
    assert refused.retry_after == pytest.approx(2.0)  # 20 points missing, 10 a second
    assert still.allowed and still.remaining == 0  # the refusal took nothing


async def test_the_budget_refills_with_time_up_to_its_capacity(store: BucketStore) -> None:
    await store.take([USER], cost=100, now=NOW)

    later = await store.take([USER], cost=20, now=NOW + 2.5)  # 25 points back
    much_later = await store.take([USER], cost=1, now=NOW + 3600)

    assert later.allowed and later.remaining == 5
    assert much_later.remaining == 99  # full, not 36,000


async def test_one_bucket_short_refuses_the_request_and_the_others_keep_their_points(
    store: BucketStore,
) -> None:
    # given: the address has 30 points, the user 100
    await store.take([USER, ADDRESS], cost=20, now=NOW)

    # when
    refused = await store.take([USER, ADDRESS], cost=20, now=NOW)
    user_alone = await store.take([USER], cost=80, now=NOW)

    # then
    assert not refused.allowed
    assert refused.retry_after == pytest.approx(10.0)  # the address lacks 10 points at 1 a second
    assert user_alone.allowed and user_alone.remaining == 0


async def test_concurrent_requests_never_spend_more_than_the_buckets_hold(store: BucketStore) -> None:
    # when: 50 requests of 7 points at once against 100
    decisions = await asyncio.gather(*(store.take([USER], cost=7, now=NOW) for _ in range(50)))

    # then
    assert sum(decision.allowed for decision in decisions) == 100 // 7
    assert min(decision.remaining for decision in decisions) == 100 - 7 * (100 // 7)


async def test_a_user_is_charged_on_its_own_and_its_address_budget(store: BucketStore) -> None:
    budget = RequestBudget(store, BudgetPolicy(capacity=10, refill=1))

    first = await budget.charge(principal="user:7", address="10.0.0.9", cost=10, now=NOW)
    with pytest.raises(RateLimited) as raised:
        await budget.charge(principal="user:7", address="10.0.0.9", cost=1, now=NOW)
    neighbour = await budget.charge(principal="user:8", address="10.0.0.9", cost=10, now=NOW)

    assert first is not None and first.remaining == 0
    assert raised.value.retry_after == pytest.approx(1.0)
    assert neighbour is not None  # the address holds 5x: an office behind one NAT
    assert ADDRESS_SHARE == 5


async def test_a_document_costing_more_than_a_full_budget_is_too_complex(store: BucketStore) -> None:
    budget = RequestBudget(store, BudgetPolicy(capacity=10, refill=1))

    with pytest.raises(QueryTooComplex):
        await budget.charge(principal=None, address="10.0.0.9", cost=51, now=NOW)


async def test_a_zero_capacity_means_no_budget(store: BucketStore) -> None:
    budget = RequestBudget(store, BudgetPolicy(capacity=0, refill=1))

    assert await budget.charge(principal="user:1", address="10.0.0.1", cost=10**6, now=NOW) is None


async def test_in_process_buckets_full_again_are_forgotten_once_there_are_too_many(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given: a table of at most 3 buckets, two of them full again by now
    monkeypatch.setattr("gateway.ratelimit.buckets.MAX_KEYS", 3)
    store = MemoryBuckets()
    for address in ("10.0.0.1", "10.0.0.2"):
        await store.take([Bucket(f"address:{address}", capacity=10, refill=1)], cost=5, now=NOW)
    await store.take([Bucket("address:10.0.0.3", capacity=10, refill=1)], cost=5, now=NOW + 9)

    # when: a fourth bucket, 10 s later
    await store.take([Bucket("address:10.0.0.4", capacity=10, refill=1)], cost=5, now=NOW + 10)

    # then: the two full ones are gone, the others kept their points
    assert len(store) == 2
    again = await store.take([Bucket("address:10.0.0.3", capacity=10, refill=1)], cost=0, now=NOW + 10)
    assert again.remaining == 6


@pytest.mark.redis
async def test_charges_made_at_once_are_one_script_each_decided_in_turn_as_if_alone() -> None:
    async with redis_proxy() as proxy:
        redis = Redis.from_url(proxy.url)
        store = RedisBuckets(redis, prefix=f"test:{secrets.token_hex(4)}:")
        try:
            await store.take([Bucket("warm-up", 1, 1)], cost=0, now=NOW)  # connected, script loaded
            before = proxy.writes

            # when: four charges in one turn of the loop, two of them on a second bucket too
            other = Bucket("address:10.0.0.2", capacity=1000, refill=1)
            decisions = await asyncio.gather(
                store.take([USER], cost=60, now=NOW),
                store.take([USER, other], cost=30, now=NOW),
                store.take([USER], cost=20, now=NOW),
                store.take([USER, other], cost=10, now=NOW),
            )

            # then: one round trip; the third finds 10 points left and takes nothing, the fourth
            # finds them, and the second bucket paid for the two charged to it
            assert proxy.writes - before == 1
            assert [d.allowed for d in decisions] == [True, True, False, True]
            assert [d.remaining for d in decisions] == [40, 10, 10, 0]
            assert (await store.take([other], cost=0, now=NOW)).remaining == 960
        finally:
            await redis.aclose()
