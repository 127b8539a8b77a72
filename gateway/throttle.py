"""Throttling failed attempts (logins, registration proofs) per login and per client address.

Each key (``login:<login>``, ``address:<ip>``) counts failures; the counter is forgotten
``window`` seconds after the last failure. From the ``lock_after``-th failure on, every
failure locks the key for an exponentially growing delay, capped at ``max_delay`` (a few
minutes), so an attacker who hammers a victim's login cannot lock the real user out for
long. A successful login from the same client address clears the login's counter.

The message never says whether the login exists: unknown logins are counted exactly
like known ones.

Two backends: ``MemoryThrottleBackend`` (one process) and ``RedisThrottleBackend``
(counters shared by every replica through ``GATEWAY_REDIS_URL``).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass
from typing import Protocol

from redis.asyncio import Redis

from gateway.errors import RateLimited
from gateway.store.models import login_key

RATE_LIMITED_MESSAGE = "Too many failed attempts; try again later."


@dataclass(frozen=True, slots=True)
class Policy:
    lock_after: int
    base_delay: float = 1.0
    max_delay: float = 300.0
    window: float = 900.0

    def delay(self, failures: int) -> float:
        """How long a key is locked after its ``failures``-th failure."""
        excess = failures - self.lock_after + 1
        if excess <= 0:
            return 0.0
        return float(min(self.max_delay, self.base_delay * 2 ** min(excess - 1, 30)))


LOGIN_POLICY = Policy(lock_after=5)
ADDRESS_POLICY = Policy(lock_after=30)  # offices share an address behind NAT


class ThrottleBackend(Protocol):
    """Counters keyed by string; ``now`` is Unix time in seconds."""

    async def locked_for(self, key: str, *, now: float) -> float:
        """Seconds until ``key`` may try again (0 when it may now)."""
        ...

    async def record_failure(self, key: str, *, policy: Policy, now: float) -> float:
        """Count a failure; returns the lock it earned (0 for none)."""
        ...

    async def clear(self, key: str) -> None: ...


@dataclass(slots=True)
class _Counter:
    failures: int
    last_failure: float
    locked_until: float


class MemoryThrottleBackend:
    """Counters in this process's memory (tests, single-process deployments)."""

    def __init__(self) -> None:
        self._counters: dict[str, _Counter] = {}

    def _live(self, key: str, now: float, window: float | None = None) -> _Counter | None:
        counter = self._counters.get(key)
        if counter is None:
            return None
        horizon = max(counter.locked_until, counter.last_failure + (window or LOGIN_POLICY.window))
        if now >= horizon:
            del self._counters[key]
            return None
        return counter

    async def locked_for(self, key: str, *, now: float) -> float:
        counter = self._live(key, now)
        return max(0.0, counter.locked_until - now) if counter is not None else 0.0

    async def record_failure(self, key: str, *, policy: Policy, now: float) -> float:
        counter = self._live(key, now, policy.window) or _Counter(0, now, 0.0)
        counter.failures += 1
        counter.last_failure = now
        delay = policy.delay(counter.failures)
        counter.locked_until = max(counter.locked_until, now + delay)
        self._counters[key] = counter
        if len(self._counters) > 100_000:  # bound memory under a spray of unique keys
            self._prune(now)
        return delay

    async def clear(self, key: str) -> None:
        self._counters.pop(key, None)

    def _prune(self, now: float) -> None:
        for key in list(self._counters):
            self._live(key, now)


class RedisThrottleBackend:
    """Counters in Redis: a hash per key (``failures``, ``locked_until``) that expires
    ``window`` seconds after the last failure (or when its lock ends, if later)."""

    def __init__(self, redis: Redis, *, prefix: str = "gateway:throttle:") -> None:
        self._redis = redis
        self._prefix = prefix

    async def locked_for(self, key: str, *, now: float) -> float:
        raw = await self._redis.hget(self._prefix + key, "locked_until")
        return max(0.0, float(raw) - now) if raw is not None else 0.0

    async def record_failure(self, key: str, *, policy: Policy, now: float) -> float:
        name = self._prefix + key
        failures = int(await self._redis.hincrby(name, "failures", 1))
        delay = policy.delay(failures)
        async with self._redis.pipeline(transaction=True) as pipe:
            if delay > 0:
                pipe.hset(name, "locked_until", str(now + delay))
            pipe.expire(name, int(max(policy.window, delay)) + 1)
            await pipe.execute()
        return delay

    async def clear(self, key: str) -> None:
        await self._redis.delete(self._prefix + key)


class LoginThrottle:
    def __init__(
        self,
        backend: ThrottleBackend,
        *,
        clock: Callable[[], float] = time.time,
        login_policy: Policy = LOGIN_POLICY,
        address_policy: Policy = ADDRESS_POLICY,
    ) -> None:
        self.backend = backend
        self.clock = clock
        self.login_policy = login_policy
        self.address_policy = address_policy

    def _keys(self, login: str | None, address: str | None) -> Iterable[tuple[str, Policy]]:
        if login is not None:
            yield f"login:{login_key(login)[:64]}", self.login_policy
        if address is not None:
            yield f"address:{address}", self.address_policy

    async def check(self, *, login: str | None, address: str | None) -> None:
        """``RateLimited`` (with when to retry) while the login or the address is locked."""
        now = self.clock()
        wait = max(
            [await self.backend.locked_for(key, now=now) for key, _ in self._keys(login, address)] + [0]
        )
        if wait > 0:
            raise RateLimited(retry_after=max(wait, 0.1), message=RATE_LIMITED_MESSAGE)

    async def failed(self, *, login: str | None, address: str | None) -> None:
        now = self.clock()
        for key, policy in self._keys(login, address):
            await self.backend.record_failure(key, policy=policy, now=now)

    async def succeeded(self, *, login: str, address: str | None) -> None:
        """A right password from this address: the login's failures are forgotten (the
        address's are not, or one own account would reset an attacker's address count)."""
        for key, _ in self._keys(login, None):
            await self.backend.clear(key)


@contextlib.asynccontextmanager
async def open_throttle(redis_url: str | None) -> AsyncIterator[LoginThrottle]:
    """Counters in Redis when ``redis_url`` is set (shared by replicas), else in-process."""
    if redis_url is None:
        yield LoginThrottle(MemoryThrottleBackend())
        return
    redis = Redis.from_url(redis_url)
    try:
        yield LoginThrottle(RedisThrottleBackend(redis))
    finally:
        await redis.aclose()
