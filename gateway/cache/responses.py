"""Whole answers of read-only operations, kept per viewer (``GATEWAY_RESPONSE_CACHE_BYTES``).

A warm read otherwise runs the whole query again (a few ms of CPU for the overview); a hit
is the session check plus one lookup. What makes it safe where a cache keyed by the
``Authorization`` header is not:

- **The key** (``response_key``) holds the principal (the session of a user, a staff key),
  a fingerprint of everything the answer may depend on about it (login, e-mail and its
  verification, the active customer number, every grant with its role and scopes; for a
  staff key its name and roles, so a key whose roles change is never served an answer its
  old roles read), the SHA-256 of the document that ran (after persisted queries resolved
  it), the operation's name and the variables. The session and its grants (a key and its
  roles) are read from the store on every request, hit or miss, so a revoked or expired
  grant, a logout or a cancelled account changes the key (or leaves the caller anonymous,
  who is never served from here) at once.
- **What is kept**: only an operation that is a query whose root fields are all
  ``CACHEABLE_ROOTS``, that ended without an error, served nothing stale and read nothing
  past the back-end cache (nomination is always live). Its lifetime is the shortest TTL of
  the kinds of data it read (``gateway/cache/policy.py``), at most ``Reads.cap``
  (a signed document link is good for minutes).
- **Tags**: each answer is tagged with the customer numbers it touched (every access check
  records its number) and its principal. After every mutation the numbers it touched or
  changed and its viewer's tag are dropped (``drop``), across replicas with Redis; an
  answer whose execution raced a drop is not kept (an epoch read before it ran).
- **Staff** hits are audited like misses: the entry keeps the numbers and the operation's
  label (``gateway.staff``). Budget, metrics and the stale cookie work as for a miss.

In process by default, bounded by ``GATEWAY_RESPONSE_CACHE_BYTES`` (least recently used
first out); shared in Redis when ``GATEWAY_REDIS_URL`` is set (``gw:resp:*``; each entry
at most ``MAX_ENTRY_BYTES``). Redis down: a lookup is a miss, nothing is kept, and a drop
that failed is replayed before this process reads from Redis again.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import orjson

from gateway.cache.policy import TTL_SECONDS, Kind
from gateway.cache.shared_redis import FAILURES, SharedRedis

log = logging.getLogger("gateway.cache")

CACHEABLE_ROOTS = frozenset({"customer", "node", "__typename"})
"""Root fields whose answers depend only on the viewer's access and customer data (tagged by
number): not ``viewer`` (other accounts with the same e-mail, claims), ``rateLimitInfo``
(changes with every request), ``queryCost`` and the public catalogue (cheap as it is)."""

MAX_ENTRY_BYTES = 1_000_000
DEFAULT_LIFETIME = min(TTL_SECONDS.values())  # what only the store was read for: grants, claims
PREFIX = "gw:resp:"
EPOCH_KEY = PREFIX + "epoch"


def _tag_key(tag: str) -> str:
    return f"{PREFIX}t:{tag}"


def customer_tag(number: str) -> str:
    return f"c:{number}"


@dataclass
class Reads:
    """What one request's execution read: the kinds of back-end data (their TTLs bound the
    answer's lifetime), whether anything was read live (then the answer is not kept), and a
    cap on the lifetime from what the answer holds (a signed link)."""

    kinds: set[Kind] = field(default_factory=set)
    live: bool = False
    cap: float | None = None

    def limit(self, seconds: float) -> None:
        self.cap = seconds if self.cap is None else min(self.cap, seconds)

    def lifetime(self) -> float:
        ttls = [TTL_SECONDS[kind] for kind in self.kinds] or [DEFAULT_LIFETIME]
        if self.cap is not None:
            ttls.append(self.cap)
        return min(ttls)


@dataclass(frozen=True, slots=True)
class Hit:
    body: bytes
    numbers: tuple[str, ...]  # the customer numbers it touched (a staff hit audits them)
    label: str  # the operation's name for the audit, or its root fields
    name: str | None  # the operation's name, for the metrics
    cost: int  # what the request budget charges
    expires: float = 0.0  # by the cache's clock (epoch seconds), set when kept


@dataclass(frozen=True, slots=True)
class Lookup:
    hit: Hit | None
    epoch: bytes | None  # the drops' counter before the miss runs; kept only if unchanged


def response_key(
    principal: str,
    fingerprint: Iterable[object],
    document: str,
    operation_name: str | None,
    variables: Mapping[str, Any] | None,
) -> str:
    """The entry's key; every part hashed together, so no part can be made to look like another."""
    digest = hashlib.sha256()
    digest.update(
        orjson.dumps(
            [principal, list(fingerprint), hashlib.sha256(document.encode()).hexdigest(), operation_name],
            option=orjson.OPT_SORT_KEYS,
        )
    )
    digest.update(orjson.dumps(variables or {}, option=orjson.OPT_SORT_KEYS))
    return PREFIX + "e:" + digest.hexdigest()


def _pack(hit: Hit) -> bytes:
    meta = orjson.dumps({"n": hit.numbers, "l": hit.label, "o": hit.name, "c": hit.cost, "x": hit.expires})
    return meta + b"\n" + hit.body


def _unpack(raw: bytes) -> Hit | None:
    meta, sep, body = raw.partition(b"\n")
    if not sep:
        return None
    try:
        parsed = orjson.loads(meta)
        name = parsed["o"]
        return Hit(
            body,
            tuple(str(n) for n in parsed["n"]),
            str(parsed["l"]),
            str(name) if name is not None else None,
            int(parsed["c"]),
            float(parsed["x"]),
        )
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
        return None


class ResponseStore(Protocol):
    def shared_keys(self, key: str) -> list[str] | None:
        """The Redis keys a lookup of ``key`` reads, for a caller that can read them in a round
        trip it makes anyway (``lookup``'s ``read``); None when the lookup must read them itself."""
        ...

    async def lookup(self, key: str, read: Sequence[bytes | None] | None = None) -> Lookup:
        """The answer kept for ``key``; ``read``: the values of ``shared_keys(key)``, read by the caller."""
        ...

    async def keep(
        self, key: str, hit: Hit, tags: Iterable[str], *, seconds: float, epoch: bytes | None
    ) -> None: ...
    async def drop(self, tags: Iterable[str]) -> None: ...


@dataclass(slots=True)
class _Kept:
    raw: bytes
    expires: float
    tags: tuple[str, ...]


class MemoryResponses:
    """In process: least recently used out first once the entries' bytes pass ``max_bytes``."""

    def __init__(self, max_bytes: int, *, clock: Callable[[], float] = time.time) -> None:
        self.max_bytes = max_bytes
        self.clock = clock
        self.bytes = 0
        self._entries: OrderedDict[str, _Kept] = OrderedDict()
        self._tagged: dict[str, set[str]] = {}
        self._epoch = 0

    def __len__(self) -> int:
        return len(self._entries)

    def shared_keys(self, key: str) -> list[str] | None:
        return None

    async def lookup(self, key: str, read: Sequence[bytes | None] | None = None) -> Lookup:
        kept = self._entries.get(key)
        if kept is not None:
            if kept.expires > self.clock():
                self._entries.move_to_end(key)
                return Lookup(_unpack(kept.raw), None)
            self._remove(key)
        return Lookup(None, str(self._epoch).encode())

    async def keep(
        self, key: str, hit: Hit, tags: Iterable[str], *, seconds: float, epoch: bytes | None
    ) -> None:
        expires = self.clock() + seconds
        raw = _pack(dataclasses.replace(hit, expires=expires))
        if epoch != str(self._epoch).encode() or len(raw) > min(self.max_bytes, MAX_ENTRY_BYTES):
            return
        self._remove(key)
        kept = _Kept(raw, expires, tuple(tags))
        self._entries[key] = kept
        self.bytes += len(raw)
        for tag in kept.tags:
            self._tagged.setdefault(tag, set()).add(key)
        while self.bytes > self.max_bytes:
            self._remove(next(iter(self._entries)))

    async def drop(self, tags: Iterable[str]) -> None:
        self._epoch += 1
        for tag in tags:
            for key in self._tagged.pop(tag, set()):
                self._remove(key)

    def _remove(self, key: str) -> None:
        kept = self._entries.pop(key, None)
        if kept is None:
            return
        self.bytes -= len(kept.raw)
        for tag in kept.tags:
            keys = self._tagged.get(tag)
            if keys is not None:
                keys.discard(key)
                if not keys:
                    del self._tagged[tag]


# KEYS: epoch, entry, tag sets...; ARGV: expected epoch ("" for none), value, ms, tag set ms
_KEEP = """
local epoch = redis.call('GET', KEYS[1]) or ''
if epoch ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
for i = 3, #KEYS do
  redis.call('SADD', KEYS[i], KEYS[2])
  redis.call('PEXPIRE', KEYS[i], ARGV[4])
end
return 1
"""
# KEYS: epoch, tag sets...
_DROP = """
redis.call('INCR', KEYS[1])
for i = 2, #KEYS do
  local members = redis.call('SMEMBERS', KEYS[i])
  for j = 1, #members, 500 do
    redis.call('DEL', unpack(members, j, math.min(j + 499, #members)))
  end
  redis.call('DEL', KEYS[i])
end
return 1
"""
TAG_SET_MS = int(max(TTL_SECONDS.values()) * 1000) + 60_000


class RedisResponses:
    """Shared by every replica. A drop is one script (the epoch and every tagged entry at once)."""

    def __init__(self, shared: SharedRedis, *, clock: Callable[[], float] = time.time) -> None:
        client = self.client = shared.client
        self.reads = shared.reads
        self.health = shared.health
        self.clock = clock
        self._keep = client.register_script(_KEEP)
        self._drop = client.register_script(_DROP)
        self._pending: dict[str, None] = {}  # tags whose drop failed, replayed first

    def shared_keys(self, key: str) -> list[str] | None:
        return None if self._pending else [key, EPOCH_KEY]

    async def lookup(self, key: str, read: Sequence[bytes | None] | None = None) -> Lookup:
        if read is not None and not self._pending:
            return self._found(read[0], read[1])

        async def fetch() -> Lookup:
            await self._replay()
            raw, epoch = await self.reads.mget([key, EPOCH_KEY])
            return self._found(raw, epoch)

        async def miss() -> Lookup:
            return Lookup(None, None)

        try:
            return await self.health.call("response_cache", fetch, miss)
        except Exception:  # a lookup that fails is a miss, never a failed request
            log.warning("response cache unavailable (read)", exc_info=True)
            return Lookup(None, None)

    def _found(self, raw: bytes | None, epoch: bytes | None) -> Lookup:
        hit = _unpack(raw) if raw is not None else None
        if hit is not None and hit.expires > self.clock():
            return Lookup(hit, None)
        return Lookup(None, epoch or b"")

    async def keep(
        self, key: str, hit: Hit, tags: Iterable[str], *, seconds: float, epoch: bytes | None
    ) -> None:
        raw = _pack(dataclasses.replace(hit, expires=self.clock() + seconds))
        if epoch is None or len(raw) > MAX_ENTRY_BYTES:
            return
        keys = [EPOCH_KEY, key, *(_tag_key(tag) for tag in tags)]

        async def write() -> None:
            await self._replay()
            await self._keep(keys=keys, args=[epoch, raw, max(1, int(seconds * 1000)), TAG_SET_MS])

        async def skipped() -> None:
            return None

        try:
            await self.health.call("response_cache", write, skipped)
        except Exception:  # the answer is still served, just not kept
            log.warning("response cache unavailable (write)", exc_info=True)

    async def drop(self, tags: Iterable[str]) -> None:
        for tag in tags:
            self._pending[tag] = None
        try:
            await self.health.attempt(self._replay)
        except FAILURES as error:
            log.warning("response cache: drop deferred until Redis answers (%s)", error)

    async def _replay(self) -> None:
        if not self._pending:
            return
        tags = list(self._pending)
        await self._drop(keys=[EPOCH_KEY, *(_tag_key(tag) for tag in tags)], args=[])
        for tag in tags:
            self._pending.pop(tag, None)


def open_responses(
    shared: SharedRedis | None, *, max_bytes: int, clock: Callable[[], float] = time.time
) -> ResponseStore | None:
    """The app's response cache: in Redis when it is configured, else in process; None when off.
    ``clock`` (epoch seconds) is the back-end cache's, so both age together (tests move it)."""
    if max_bytes <= 0:
        return None
    if shared is not None:
        return RedisResponses(shared, clock=clock)
    return MemoryResponses(max_bytes, clock=clock)
