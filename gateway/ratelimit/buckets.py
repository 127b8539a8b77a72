"""Token buckets: each request costs points, taken at once from every bucket it is charged to.

A bucket holds at most ``capacity`` points and regains ``refill`` points a second. A request
is charged to its user's (or staff key's) bucket and to its client address's (whose
capacity and refill are ``ADDRESS_SHARE`` times larger: offices share an address behind
NAT). It runs only if every bucket holds its cost; then the cost is taken from all of them,
atomically: concurrent requests can never spend more than the buckets hold. A refused
request takes nothing and learns when its cost will be there (``retry_after``).

Two stores: ``MemoryBuckets`` (one process: no ``await`` between the check and the take)
and ``RedisBuckets`` (shared by every replica: one Lua script checks and takes, so the
decision is made inside Redis, never read-then-written by the gateway; the charges made at
once go in one script, each decided in turn as if alone). With Redis configured the
gateway uses ``FallbackBuckets``: Redis's buckets while Redis answers, this
process's while it does not (``gateway.cache.shared_redis``), so an outage neither fails
requests nor lifts the budget: each replica enforces it on its own (the effective budget
is the policy times the number of replicas for the outage).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from redis.asyncio import Redis

from gateway.cache.shared_redis import SharedRedis, TurnBatch
from gateway.errors import QueryTooComplex, RateLimited

ADDRESS_SHARE = 5
RATE_LIMITED_MESSAGE = "Too many requests; try again later."
MAX_KEYS = 100_000  # in-process buckets past which full ones are forgotten


@dataclass(frozen=True, slots=True)
class Bucket:
    key: str
    capacity: float
    refill: float  # points a second


@dataclass(frozen=True, slots=True)
class Decision:
    allowed: bool
    limit: int  # the tightest bucket's capacity
    remaining: int  # points left in the tightest bucket (after the charge, when allowed)
    retry_after: float  # seconds until the cost is there (0 when allowed)
    reset_in: float  # seconds until the tightest bucket is full again


def _decide(buckets: Sequence[Bucket], levels: Sequence[float], cost: int) -> tuple[bool, float]:
    """Whether every bucket holds ``cost``; if not, how long until they all do."""
    waits = [(cost - level) / bucket.refill for bucket, level in zip(buckets, levels, strict=True)]
    return all(wait <= 0 for wait in waits), max([0.0, *waits])


def _decision(buckets: Sequence[Bucket], levels: Sequence[float], *, allowed: bool, wait: float) -> Decision:
    """What the client is told: its tightest bucket (the one with the fewest points left)."""
    tightest = min(range(len(buckets)), key=lambda i: levels[i])
    bucket, level = buckets[tightest], levels[tightest]
    return Decision(
        allowed=allowed,
        limit=int(bucket.capacity),
        remaining=max(0, math.floor(level)),
        retry_after=wait,
        reset_in=max(0.0, (bucket.capacity - level) / bucket.refill),
    )


class BucketStore(Protocol):
    async def take(self, buckets: Sequence[Bucket], *, cost: int, now: float) -> Decision:
        """Take ``cost`` from every bucket if each holds it, else nothing. ``now``: Unix seconds."""
        ...


class MemoryBuckets:
    """Buckets in this process's memory: check and take without an ``await`` in between.
    A bucket full again is forgotten (it is what a new one would be) when the table grows
    past ``MAX_KEYS``, and then only after it has doubled: amortised, never a scan a request."""

    def __init__(self) -> None:
        self._levels: dict[str, tuple[float, float, float]] = {}  # key: (points, as of, full again at)
        self._prune_above = MAX_KEYS

    def __len__(self) -> int:
        """Buckets kept."""
        return len(self._levels)

    def _level(self, bucket: Bucket, now: float) -> float:
        points, at, _ = self._levels.get(bucket.key, (bucket.capacity, now, now))
        return min(bucket.capacity, points + max(0.0, now - at) * bucket.refill)

    async def take(self, buckets: Sequence[Bucket], *, cost: int, now: float) -> Decision:
        levels = [self._level(bucket, now) for bucket in buckets]
        allowed, wait = _decide(buckets, levels, cost)
        if allowed:
            levels = [level - cost for level in levels]
        for bucket, level in zip(buckets, levels, strict=True):
            self._levels[bucket.key] = (level, now, now + (bucket.capacity - level) / bucket.refill)
        if len(self._levels) > self._prune_above:
            self._forget_full(now)
        return _decision(buckets, levels, allowed=allowed, wait=wait)

    def _forget_full(self, now: float) -> None:
        for key, (_, _, full_at) in list(self._levels.items()):
            if full_at <= now:
                del self._levels[key]
        self._prune_above = max(MAX_KEYS, 2 * len(self._levels))


# Charges in order, each as if alone (the batch of a turn of the loop: ``RedisBuckets``).
# KEYS: the buckets of every charge, one charge's after another's. ARGV: the number of charges,
# then for each: its number of buckets, now, cost, and capacity and refill of each bucket.
# Returns for each charge {allowed, level of each bucket...} (levels as strings: Lua numbers
# would be truncated).
TAKE_SCRIPT = """
local replies = {}
local k = 0  -- the keys before this charge's
local a = 1  -- the arguments before this charge's
for c = 1, tonumber(ARGV[1]) do
  local count = tonumber(ARGV[a + 1])
  local now = tonumber(ARGV[a + 2])
  local cost = tonumber(ARGV[a + 3])
  local levels = {}
  local ats = {}
  local allowed = 1
  for i = 1, count do
    local capacity = tonumber(ARGV[a + 2 + 2 * i])
    local refill = tonumber(ARGV[a + 3 + 2 * i])
    local state = redis.call('HMGET', KEYS[k + i], 'points', 'at')
    local points = tonumber(state[1]) or capacity
    local at = tonumber(state[2]) or now
    if now > at then points = math.min(capacity, points + (now - at) * refill) end
    levels[i] = points
    ats[i] = math.max(now, at)  -- a replica whose clock is behind neither refills nor rewinds
    if points < cost then allowed = 0 end
  end
  local reply = {allowed}
  for i = 1, count do
    local capacity = tonumber(ARGV[a + 2 + 2 * i])
    local refill = tonumber(ARGV[a + 3 + 2 * i])
    if allowed == 1 then levels[i] = levels[i] - cost end
    redis.call('HSET', KEYS[k + i], 'points', tostring(levels[i]), 'at', tostring(ats[i]))
    redis.call('PEXPIRE', KEYS[k + i], math.ceil((capacity - levels[i]) / refill * 1000) + 1000)
    reply[i + 1] = tostring(levels[i])
  end
  replies[c] = reply
  k = k + count
  a = a + 3 + 2 * count
end
return replies
"""

Charge = tuple[Sequence[Bucket], int, float]  # buckets, cost, now


class RedisBuckets:
    """Buckets in Redis (``gw:rate:<key>``: points and as of when), shared by every replica.
    The charges of one turn of the event loop go as one script, taken in the order they came
    (``TurnBatch``): under load, one round trip for the requests a process serves at once.
    A Redis that fails raises (``FallbackBuckets`` then takes from the in-process buckets)."""

    def __init__(self, redis: Redis, *, prefix: str = "gw:rate:") -> None:
        self._redis = redis
        self._prefix = prefix
        self._script = redis.register_script(TAKE_SCRIPT)
        self._charges: TurnBatch[Charge, list[float | int]] = TurnBatch(self._take_all)

    async def take(self, buckets: Sequence[Bucket], *, cost: int, now: float) -> Decision:
        reply = await self._charges((buckets, cost, now))
        allowed = int(reply[0]) == 1
        levels = [float(level) for level in reply[1:]]
        wait = 0.0 if allowed else _decide(buckets, levels, cost)[1]
        return _decision(buckets, levels, allowed=allowed, wait=wait)

    async def _take_all(self, charges: list[Charge]) -> list[list[float | int]]:
        keys: list[str] = []
        arguments: list[str | int | float] = [len(charges)]
        for buckets, cost, now in charges:
            keys += [self._prefix + bucket.key for bucket in buckets]
            arguments += [len(buckets), repr(now), cost]
            for bucket in buckets:
                arguments += [repr(bucket.capacity), repr(bucket.refill)]
        replies: list[list[float | int]] = await self._script(keys=keys, args=arguments)
        return replies


class FallbackBuckets:
    """Redis's buckets while Redis answers, this process's while it does not."""

    def __init__(self, shared: SharedRedis, redis: RedisBuckets, local: MemoryBuckets) -> None:
        self.shared = shared
        self.redis = redis
        self.local = local

    async def take(self, buckets: Sequence[Bucket], *, cost: int, now: float) -> Decision:
        return await self.shared.health.call(
            "budget",
            lambda: self.redis.take(buckets, cost=cost, now=now),
            lambda: self.local.take(buckets, cost=cost, now=now),
        )


@dataclass(frozen=True, slots=True)
class BudgetPolicy:
    capacity: int  # 0: no budget
    refill: float

    def buckets(self, *, principal: str | None, address: str | None) -> list[Bucket]:
        """``principal``: ``user:<id>`` or ``staff:<key id>``; ``address``: the client's."""
        if self.capacity <= 0:
            return []
        buckets = [Bucket(principal, self.capacity, self.refill)] if principal else []
        if address is not None:
            share = ADDRESS_SHARE
            buckets.append(Bucket(f"address:{address}", self.capacity * share, self.refill * share))
        return buckets


# A listing of all 600 invoices of a large customer, 100 a page, costs about 13,000 points;
# the overview 45. Sustained, 500 a second is some 2 % of a core's field resolving.
DEFAULT_POLICY = BudgetPolicy(capacity=50_000, refill=500.0)


class RequestBudget:
    def __init__(self, store: BucketStore, policy: BudgetPolicy = DEFAULT_POLICY) -> None:
        self.store = store
        self.policy = policy

    async def charge(
        self, *, principal: str | None, address: str | None, cost: int, now: float
    ) -> Decision | None:
        """The decision for a request of ``cost`` points (None without a budget). Raises
        ``RateLimited`` (with when to retry) when a bucket lacks the points, and
        ``QueryTooComplex`` when the cost is more than a full bucket holds."""
        buckets = self.policy.buckets(principal=principal, address=address)
        if not buckets:
            return None
        smallest = min(bucket.capacity for bucket in buckets)
        if cost > smallest:
            raise QueryTooComplex(f"The operation costs {cost} points; a full budget holds {int(smallest)}.")
        decision = await self.store.take(buckets, cost=cost, now=now)
        if not decision.allowed:
            raise RateLimited(
                retry_after=max(decision.retry_after, 0.1), message=RATE_LIMITED_MESSAGE, limiter="budget"
            )
        return decision


def open_budget(shared: SharedRedis | None, policy: BudgetPolicy) -> RequestBudget:
    """Buckets in Redis when it is configured (shared by replicas, in-process while it is
    down), else in-process."""
    if shared is None:
        return RequestBudget(MemoryBuckets(), policy)
    return RequestBudget(FallbackBuckets(shared, RedisBuckets(shared.client), MemoryBuckets()), policy)
