"""The persisted documents' stores: bounded in this process, shared and bounded in Redis
(when ``GATEWAY_TEST_REDIS_URL`` is set, and then Redis must answer: never a silent skip)."""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from graphql import GraphQLError
from redis.asyncio import Redis
from strawberry.http import GraphQLRequestData
from strawberry.types import ExecutionResult

from gateway.cache.shared_redis import RedisHealth
from gateway.http.persisted_queries import (
    LocalDocuments,
    PersistedQueries,
    RedisDocuments,
    document_hash,
    load_manifest,
)
from gateway.metrics import Metrics

REDIS_URL_VARIABLE = "GATEWAY_TEST_REDIS_URL"


def documents(count: int) -> list[tuple[str, str]]:
    texts = [f"query Q{i}_{secrets.token_hex(4)} {{ viewer {{ login }} }}" for i in range(count)]
    return [(document_hash(text), text) for text in texts]


async def test_the_local_store_keeps_the_most_recently_used_documents_by_count() -> None:
    store = LocalDocuments(max_documents=2)
    (a, a_text), (b, b_text), (c, c_text) = documents(3)
    await store.put(a, a_text)
    await store.put(b, b_text)

    assert await store.get(a) == a_text  # a is now the most recently used
    await store.put(c, c_text)

    assert len(store) == 2
    assert await store.get(b) is None
    assert await store.get(a) == a_text
    assert await store.get(c) == c_text


async def test_the_local_store_is_bounded_in_bytes() -> None:
    (a, a_text), (b, b_text) = documents(2)
    store = LocalDocuments(max_documents=100, max_bytes=len(a_text) + len(b_text) - 1)

    await store.put(a, a_text)
    await store.put(b, b_text)

    assert await store.get(a) is None
    assert await store.get(b) == b_text


async def test_an_unreachable_redis_is_a_miss_and_a_registration_still_stays_local() -> None:
    redis = Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.2, socket_timeout=0.2)
    try:
        store = RedisDocuments(redis)
        [(a, a_text)] = documents(1)

        assert await store.get(a) is None
        await store.put(a, a_text)  # logged, not raised
        assert await store.get(a) == a_text
    finally:
        await redis.aclose()


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


@pytest.mark.redis
async def test_redis_keeps_at_most_max_documents_dropping_the_oldest(redis: Redis) -> None:
    prefix = f"test:{secrets.token_hex(4)}:"
    now = [1_800_000_000.0]
    store = RedisDocuments(redis, max_documents=2, clock=lambda: now[0], prefix=prefix)
    entries = documents(3)
    try:
        for digest, text in entries:
            now[0] += 1
            await store.put(digest, text)

        fresh = RedisDocuments(redis, max_documents=2, prefix=prefix)  # another replica: nothing local
        assert [await fresh.get(digest) for digest, _ in entries] == [None, entries[1][1], entries[2][1]]
        assert await redis.zcard(f"{prefix}index") == 2
    finally:
        keys = [key async for key in redis.scan_iter(f"{prefix}*")]
        if keys:
            await redis.delete(*keys)


async def test_registering_a_known_document_again_makes_it_the_most_recently_used() -> None:
    store = LocalDocuments(max_documents=2)
    (a, a_text), (b, b_text), (c, c_text) = documents(3)
    await store.put(a, a_text)
    await store.put(b, b_text)

    await store.put(a, a_text)  # again: a is now the most recently used
    await store.put(c, c_text)

    assert [await store.get(digest) for digest in (a, b, c)] == [a_text, None, c_text]


async def test_the_local_store_keeps_documents_that_fill_its_bytes_exactly_and_counts_evictions() -> None:
    (a, a_text), (b, b_text), (c, c_text) = documents(3)
    size = len(a_text)  # every document has the same length
    store = LocalDocuments(max_documents=100, max_bytes=2 * size)

    await store.put(a, a_text)
    await store.put(b, b_text)
    assert len(store) == 2  # exactly full is not over

    await store.put(c, c_text)  # evicts a: the bytes are two documents' again
    await store.put(a, a_text)  # so this evicts b

    assert [await store.get(digest) for digest in (a, b, c)] == [a_text, None, c_text]


@pytest.mark.redis
async def test_a_document_read_from_redis_is_kept_locally_under_its_hash(redis: Redis) -> None:
    prefix = f"test:{secrets.token_hex(4)}:"
    [(a, a_text)] = documents(1)
    try:
        await RedisDocuments(redis, prefix=prefix).put(a, a_text)
        assert await redis.get(f"{prefix}doc:{a}") == a_text.encode()  # under the prefix given
        replica = RedisDocuments(redis, prefix=prefix)
        assert await replica.get(a) == a_text

        await redis.delete(f"{prefix}doc:{a}")

        assert await replica.get(a) == a_text  # from its own copy now
    finally:
        keys = [key async for key in redis.scan_iter(f"{prefix}*")]
        if keys:
            await redis.delete(*keys)


@pytest.mark.redis
async def test_a_document_under_the_wrong_hash_is_refused_and_logged(
    redis: Redis, caplog: pytest.LogCaptureFixture
) -> None:
    prefix = f"test:{secrets.token_hex(4)}:"
    [(a, _)] = documents(1)
    try:
        await redis.set(f"{prefix}doc:{a}", "query Evil { viewer { login } }")

        assert await RedisDocuments(redis, prefix=prefix).get(a) is None
        assert [record.getMessage() for record in caplog.records] == [
            f"persisted query store: the document under {a} has another hash"
        ]
    finally:
        keys = [key async for key in redis.scan_iter(f"{prefix}*")]
        if keys:
            await redis.delete(*keys)


@pytest.mark.redis
async def test_a_lower_limit_drops_every_registration_over_it_at_once(redis: Redis) -> None:
    prefix = f"test:{secrets.token_hex(4)}:"
    now = [1_800_000_000.0]
    entries = documents(4)
    try:
        roomy = RedisDocuments(redis, max_documents=10, clock=lambda: now[0], prefix=prefix)
        for digest, text in entries[:3]:
            now[0] += 1
            await roomy.put(digest, text)

        now[0] += 1
        await RedisDocuments(redis, max_documents=1, clock=lambda: now[0], prefix=prefix).put(*entries[3])

        assert await redis.zcard(f"{prefix}index") == 1
        assert [await redis.exists(f"{prefix}doc:{digest}") for digest, _ in entries] == [0, 0, 0, 1]
    finally:
        keys = [key async for key in redis.scan_iter(f"{prefix}*")]
        if keys:
            await redis.delete(*keys)


@pytest.mark.parametrize(
    ("content", "reason"),
    [("{not json", "Expecting property name"), ('["a list"]', "not a JSON object of hash: document")],
)
def test_a_broken_manifest_is_refused_naming_its_path_and_what_is_wrong(
    tmp_path: Path, content: str, reason: str
) -> None:
    path = tmp_path / "manifest.json"
    path.write_text(content, encoding="utf-8")

    with pytest.raises(ValueError, match="persisted query manifest") as raised:
        load_manifest(path)

    assert str(path) in str(raised.value)
    assert reason in str(raised.value)


async def test_an_unreachable_redis_is_reported_by_name_and_counted_as_persisted_query_fallbacks(
    caplog: pytest.LogCaptureFixture,
) -> None:
    redis = Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.2, socket_timeout=0.2)
    metrics = Metrics()
    health = RedisHealth(name="the shared Redis", retry_after=0.0, metrics=metrics)
    try:
        [(a, a_text)] = documents(1)
        await RedisDocuments(redis, health=health).get(a)
        await RedisDocuments(redis, health=health).put(a, a_text)
        own = RedisDocuments(redis)  # its own health, named for the log
        await own.get(a)
    finally:
        await redis.aclose()

    fallbacks = metrics.registry.get_sample_value(
        "gateway_redis_fallbacks_total", {"user": "persisted_queries"}
    )
    assert fallbacks == 2
    assert any(
        record.getMessage().startswith("persisted query store unavailable") for record in caplog.records
    )


@pytest.mark.parametrize(
    ("result", "registered"),
    [
        (ExecutionResult(data=None, errors=[GraphQLError("backend down", path=["viewer"])]), True),
        (ExecutionResult(data=None, errors=[GraphQLError("Syntax Error")]), False),
    ],
)
async def test_a_document_that_ran_is_registered_even_when_its_fields_failed(
    result: ExecutionResult, registered: bool
) -> None:
    # a field error (with a path) nulls even the root, but the document parsed and validated
    store = LocalDocuments()
    query = "query Broken { viewer { login } }"

    async def execute(request: GraphQLRequestData) -> ExecutionResult:
        return result

    extensions = {"persistedQuery": {"version": 1, "sha256Hash": document_hash(query)}}
    request = GraphQLRequestData(query=query, variables=None, operation_name=None, extensions=extensions)
    await PersistedQueries(store).execute(request, execute)

    assert (await store.get(document_hash(query)) == query) is registered
