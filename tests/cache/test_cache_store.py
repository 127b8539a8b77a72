"""The cache store, in process and in Redis: entries, generations, and a store that is down."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from gateway.cache.store import CacheStore, Entry, customer_key, decode_entry, id_key, redis_store
from tests.cache import samples
from tests.cache.stores import STORE_KINDS, open_test_store


@pytest.fixture(params=STORE_KINDS)
async def store(request: pytest.FixtureRequest) -> AsyncIterator[CacheStore]:
    async with open_test_store(request.param) as store:
        yield store


async def test_an_entry_comes_back_with_its_customer_and_generation(store: CacheStore) -> None:
    # given
    key = customer_key("billing", "payments", "1000012345", "all")
    entry = Entry("1000012345", 0, 1000.0, [samples.invoice("1000012345", "F1")])

    # when
    await store.put_many({key: entry}, ttl=15)
    (raw,) = await store.get_many([key])

    # then
    assert raw is not None
    assert decode_entry(raw) == entry


async def test_invalidating_a_customer_moves_only_its_generation(store: CacheStore) -> None:
    await store.invalidate("billing", "1000012345")
    await store.invalidate("billing", "1000012345")

    generations = await store.generations("billing", ["1000012345", "1000099999"])
    crm = await store.generations("crm", ["1000012345"])

    assert generations == {"1000012345": 2, "1000099999": 0}
    assert crm == {"1000012345": 0}


def test_keys_cannot_be_made_to_look_like_another_customers() -> None:
    crafted = customer_key("billing", "invoice_pages", "1000012345:x", "k")
    honest = customer_key("billing", "invoice_pages", "1000012345", "x:k")

    assert crafted != honest
    assert id_key("billing", "invoices_by_id", "a:b") == "gw:billing:invoices_by_id:id:a%3Ab"


async def test_a_redis_that_does_not_answer_is_a_miss_not_an_error() -> None:
    # given: nothing listens on port 1
    store = redis_store("redis://127.0.0.1:1/0")
    key = id_key("billing", "invoices_by_id", "F1")
    try:
        # when
        await store.put_many({key: Entry("1000012345", 0, 0.0, None)}, ttl=15)
        values = await store.get_many([key])

        # then
        assert values == [None]
        with pytest.raises(Exception, match=r"(?i)connect"):
            await store.invalidate("billing", "1000012345")  # a write side must learn of it
    finally:
        await store.close()
