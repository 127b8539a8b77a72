"""``SessionCache``: a kept viewer holds until its deadline or any bump; an answer read across
a bump is not kept; with Redis, one replica's bump ends another's kept viewers, and while
Redis does not answer nothing is reused and the bump is shared once it answers again."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from gateway.cache.shared_redis import RedisHealth, SharedRedis, client
from gateway.context import Viewer
from gateway.session_cache import SessionCache
from tests.redis_proxy import redis_proxy

NOW = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)
LATER = NOW + dt.timedelta(seconds=30)


def viewer() -> Viewer:
    return Viewer(user_id=1, login="novak", email=None, session_id=7, active_customer=None, access={})


async def test_a_kept_viewer_holds_until_its_deadline_or_a_bump() -> None:
    cache = SessionCache()
    _, epoch = await cache.lookup("token", NOW)
    assert epoch is not None
    kept = viewer()
    cache.keep("token", kept, LATER, epoch)

    assert (await cache.lookup("token", NOW))[0] is kept
    assert (await cache.lookup("token", LATER))[0] is None  # its deadline
    cache.keep("token", kept, LATER, (await cache.lookup("token", NOW))[1] or epoch)
    cache.bump()
    assert (await cache.lookup("token", NOW))[0] is None


async def test_an_answer_read_across_a_bump_is_not_kept() -> None:
    cache = SessionCache()
    _, epoch = await cache.lookup("token", NOW)  # read before the statement
    assert epoch is not None
    cache.bump()  # a write while the statement ran
    cache.keep("token", viewer(), LATER, epoch)
    assert (await cache.lookup("token", NOW))[0] is None


async def test_it_is_bounded() -> None:
    cache = SessionCache(max_entries=2)
    _, epoch = await cache.lookup("a", NOW)
    assert epoch is not None
    for token in ("a", "b", "c"):
        cache.keep(token, viewer(), LATER, epoch)
    assert len(cache) == 2 and (await cache.lookup("a", NOW))[0] is None


@pytest.mark.redis
async def test_a_bump_on_one_replica_ends_the_viewers_another_kept_even_across_an_outage() -> None:
    async with redis_proxy() as proxy:
        shared = [
            SharedRedis(client(proxy.url, timeout=0.5), RedisHealth(retry_after=0.05), proxy.url, 0.5)
            for _ in range(2)
        ]
        replicas = [SessionCache(redis) for redis in shared]
        try:
            # given: replica 0 keeps a viewer
            _, epoch = await replicas[0].lookup("token", NOW)
            assert epoch is not None
            replicas[0].keep("token", viewer(), LATER, epoch)
            assert (await replicas[0].lookup("token", NOW))[0] is not None

            # when: replica 1 writes and shares it
            replicas[1].bump()
            await replicas[1].publish()

            # then
            assert (await replicas[0].lookup("token", NOW))[0] is None

            # given: kept again; when: Redis goes, replica 1 writes, nothing is reused meanwhile
            _, epoch = await replicas[0].lookup("token", NOW)
            assert epoch is not None
            replicas[0].keep("token", viewer(), LATER, epoch)
            await proxy.close()
            replicas[1].bump()
            await replicas[1].publish()
            assert replicas[1].pending
            assert await replicas[0].lookup("token", NOW) == (None, None)

            # when: Redis is back, replica 1's bump is shared before it reuses anything
            await proxy.open()
            await asyncio.sleep(0.1)
            assert (await replicas[1].lookup("other", NOW))[1] is not None
            assert not replicas[1].pending

            # then: replica 0's viewer, kept before the write, is not reused
            assert (await replicas[0].lookup("token", NOW))[0] is None
        finally:
            for redis in shared:
                await redis.client.aclose()
