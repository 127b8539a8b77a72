"""The cache store: aiocache in process by default, Redis when ``GATEWAY_REDIS_URL`` is set.

Keys (every free part percent-encoded, so no key can be made to look like another)::

    gw:<backend>:<operation>:c:<customer number>:<key>   data that belongs to a customer
    gw:<backend>:<operation>:id:<id>                      data looked up by its own id
    gw:<backend>:gen:<customer number>                    the customer's generation

Every entry records the customer it belongs to, the time it was stored and that
customer's generation when its load began. ``invalidate_customer`` increments the
generation, so every entry of the customer (also those found by id) stops matching at
once, without scanning keys, and an answer that raced the invalidation is never kept.
Entries live ``ttl + stale_for`` in the store: fresh for ``ttl``, then only for serving
stale while the back end is unavailable.

A failing store (Redis down) is a miss, never a failed request: the back end answers
instead. With the gateway's Redis health (``gateway.cache.shared_redis``) a failure marks Redis
down for every Redis user, and while it is down the store is not even tried (no wait on a
timeout per read). An invalidation that fails is remembered and replayed before this
process reads from or writes to Redis again, so a change made during the outage never
hides behind an entry cached before it (a process that dies meanwhile forgets its
replays: those entries then live out their TTL).
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import time
from collections.abc import AsyncIterator, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

from aiocache import RedisCache, SimpleMemoryCache
from aiocache.serializers import StringSerializer

from gateway.cache import codec
from gateway.cache.policy import STALE_FOR_SECONDS
from gateway.cache.shared_redis import RedisHealth, SharedRedis

log = logging.getLogger("gateway.cache")

STORE_TIMEOUT_SECONDS = 1.0
# A generation outlives every entry stored before it was last incremented.
GENERATION_TTL_SECONDS = 7 * 24 * 3600


@dataclass(frozen=True, slots=True)
class Entry:
    customer: str
    generation: int
    stored_at: float
    value: Any

    def age(self, now: float) -> float:
        return max(0.0, now - self.stored_at)


def _part(text: str) -> str:
    return quote(text, safe="")


def customer_key(backend: str, operation: str, customer: str, key: str) -> str:
    return f"gw:{backend}:{operation}:c:{_part(customer)}:{_part(key)}"


def id_key(backend: str, operation: str, id: str) -> str:
    return f"gw:{backend}:{operation}:id:{_part(id)}"


def generation_key(backend: str, customer: str) -> str:
    return f"gw:{backend}:gen:{_part(customer)}"


class CacheStore:
    """Entries and generations over an aiocache backend. ``clock`` gives epoch seconds."""

    def __init__(
        self,
        backend: Any,
        *,
        stale_for: float = STALE_FOR_SECONDS,
        clock: Callable[[], float] = time.time,
        shared: bool = False,
        health: RedisHealth | None = None,
    ) -> None:
        self._backend = backend
        self.stale_for = stale_for
        self.clock = clock
        self.shared = shared
        self.health = health
        self._pending: dict[str, None] = {}  # generation keys whose increment failed, in order

    @property
    def kind(self) -> str:
        return "redis" if self.shared else "memory"

    async def get_many(self, keys: Sequence[str]) -> list[str | None]:
        """Raw values (entries or generations); ``None`` for absent ones or when the store fails."""
        if not keys:
            return []

        async def read() -> list[Any]:
            await self._replay()
            values: list[Any] = await self._backend.multi_get(list(keys))
            return values

        async def misses() -> list[Any]:
            return [None] * len(keys)

        try:
            values = await read() if self.health is None else await self.health.call("cache", read, misses)
        except Exception:  # any store failure is a miss, never a failed request
            log.warning("cache store unavailable (read)", exc_info=True)
            return [None] * len(keys)
        return [None if v is None else v.decode() if isinstance(v, bytes) else str(v) for v in values]

    async def generations(self, backend: str, customers: Iterable[str]) -> dict[str, int]:
        unique = list(dict.fromkeys(customers))
        raw = await self.get_many([generation_key(backend, c) for c in unique])
        return {c: _int(v) for c, v in zip(unique, raw, strict=True)}

    async def put_many(self, entries: Mapping[str, Entry], ttl: float) -> None:
        if not entries:
            return
        lifetime = int(ttl + self.stale_for) + 1
        try:
            pairs = [(key, encode_entry(entry)) for key, entry in entries.items()]
        except TypeError:
            log.exception("cache: a value the codec cannot encode; not cached")
            return

        async def write() -> None:
            await self._replay()
            await self._backend.multi_set(pairs, ttl=lifetime)

        async def dropped() -> None:
            return None

        try:
            await write() if self.health is None else await self.health.call("cache", write, dropped)
        except Exception:  # any store failure: the answer is still served, just not kept
            log.warning("cache store unavailable (write)", exc_info=True)

    async def invalidate(self, backend: str, customer: str) -> None:
        """Every entry of ``customer`` at ``backend`` stops being served (fresh or stale).

        Unlike reads, a failure here raises: the write side must know its change is not
        yet visible to other replicas. It is remembered and replayed before this store
        next reads or writes (this process never serves what it invalidated).
        """
        key = generation_key(backend, customer)
        self._pending[key] = None
        if self.health is None:
            await self._replay()
        else:
            await self.health.attempt(self._replay)

    async def _replay(self) -> None:
        """Increment each generation whose increment is pending, oldest first."""
        if not self._pending:
            return
        for key in list(self._pending):
            await self._backend.increment(key, 1)
            await self._backend.expire(key, GENERATION_TTL_SECONDS)
            del self._pending[key]

    async def clear(self) -> None:
        await self._backend.clear()

    async def close(self) -> None:
        client = getattr(self._backend, "client", None)
        if client is not None:  # redis-py 5+: ``aclose``; aiocache's close calls the deprecated ``close``
            await client.aclose()
        else:
            await self._backend.close()


DECODED_ENTRIES = 256  # decoded entries kept in this process, most recently used


def encode_entry(entry: Entry) -> str:
    return json.dumps(
        {"c": entry.customer, "g": entry.generation, "t": entry.stored_at, "v": codec.dumps(entry.value)},
        separators=(",", ":"),
    )


@functools.lru_cache(maxsize=DECODED_ENTRIES)
def decode_entry(text: str) -> Entry:
    """``codec.CodecError`` unless ``text`` is an entry ``encode_entry`` wrote.

    Decoding is the cost of a hit (a business customer's supply points take milliseconds),
    so the entries decoded last are kept, keyed by their text: an entry that changed has
    other text. The values are shared between requests, like every domain object: frozen
    dataclasses, and lists nobody mutates.
    """
    try:
        raw = json.loads(text)
        return Entry(
            customer=str(raw["c"]),
            generation=int(raw["g"]),
            stored_at=float(raw["t"]),
            value=codec.loads(str(raw["v"])),
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise codec.CodecError(str(exc)) from exc


def _int(value: str | None) -> int:
    try:
        return int(value) if value is not None else 0
    except ValueError:
        return 0


def memory_store(*, stale_for: float = STALE_FOR_SECONDS) -> CacheStore:
    # No timeout: an in-process dict cannot hang, and aiocache runs every call under
    # ``asyncio.wait_for`` (a task and a timer each) when one is set, which was most of the
    # cost of a warm lookup (two per batch, about 20 us).
    return CacheStore(SimpleMemoryCache(serializer=StringSerializer(), timeout=None), stale_for=stale_for)


def redis_store(
    url: str,
    *,
    stale_for: float = STALE_FOR_SECONDS,
    health: RedisHealth | None = None,
    timeout: float = STORE_TIMEOUT_SECONDS,
) -> CacheStore:
    """A store in the Redis at ``url`` (``redis://[:password@]host[:port][/db]``)."""
    parts = urlsplit(url)
    if parts.scheme not in ("redis", "rediss"):
        raise ValueError("GATEWAY_REDIS_URL must be a redis:// or rediss:// URL")
    db = parts.path.strip("/") or "0"
    backend = RedisCache(
        serializer=StringSerializer(),
        endpoint=parts.hostname or "127.0.0.1",
        port=parts.port or 6379,
        db=int(db),
        password=parts.password,
        ssl=parts.scheme == "rediss",
        timeout=timeout,
        create_connection_timeout=timeout,
    )
    return CacheStore(backend, stale_for=stale_for, shared=True, health=health)


@contextlib.asynccontextmanager
async def open_cache(
    shared: SharedRedis | None, *, stale_for: float = STALE_FOR_SECONDS
) -> AsyncIterator[CacheStore]:
    """The app's cache for its lifetime: Redis when configured (its own pool, the shared
    health), else in process."""
    store = (
        redis_store(shared.url, stale_for=stale_for, health=shared.health, timeout=shared.timeout)
        if shared is not None
        else memory_store(stale_for=stale_for)
    )
    try:
        yield store
    finally:
        await store.close()
