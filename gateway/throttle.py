"""Throttling failed attempts (logins, registration proofs) per login and per client address.

Each key (``login:<login>``, ``address:<ip>``) counts failures; the counter is forgotten
``window`` seconds after the last failure. From the ``lock_after``-th failure on, every
failure locks the key for an exponentially growing delay, capped at ``max_delay`` (a few
minutes), so an attacker who hammers a victim's login cannot lock the real user out for
long. A successful login clears the login's counter (not the address's).

Attempts are reserved before they run, atomically (increment, then decide): a key admits
an attempt only while it is not locked and the attempts in flight cannot, if all of them
fail, go past the policy: up to ``lock_after`` at once while below the limit, then one at
a time, each after the lock its predecessor earned. So a burst of concurrent attempts
checks no more passwords than the same attempts one after another would have. The
attempt then settles as a failure (counted), a success (the login's failures forgotten)
or neither (released: nothing was checked). A reservation lapses after ``LEASE`` seconds,
so a process that dies mid-attempt blocks nobody for long.

The message never says whether the login exists: unknown logins are counted exactly
like known ones.

Two backends: ``MemoryThrottleBackend`` (one process) and ``RedisThrottleBackend``
(counters shared by every replica through ``GATEWAY_REDIS_URL``, each decision one Lua
script, so replicas cannot interleave a read and a write). With Redis configured the
gateway uses ``FallbackThrottleBackend``: Redis while it answers, the in-process counters
while it does not (``gateway.cache.shared_redis``): each replica then enforces the policy on its
own, so the effective limit is the policy times the number of replicas for the outage;
never unlimited, never an error. Back on Redis, the shared counters count again (what
was counted locally during the outage is not carried over).
"""

from __future__ import annotations

import contextlib
import enum
import secrets
import time
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from redis.asyncio import Redis

from gateway.cache.shared_redis import SharedRedis
from gateway.errors import RateLimited
from gateway.store.models import login_key

RATE_LIMITED_MESSAGE = "Too many failed attempts; try again later."
LEASE = 60.0  # seconds an attempt may stay in flight before its reservation lapses


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

    def admits(self, *, failures: int, in_flight: int) -> bool:
        """Whether one more attempt may start (the key not being locked): below the limit
        as many as could still fail without a lock, beyond it one at a time."""
        return in_flight == 0 or failures + in_flight < self.lock_after


LOGIN_POLICY = Policy(lock_after=5)
ADDRESS_POLICY = Policy(lock_after=30)  # offices share an address behind NAT


class Outcome(enum.Enum):
    FAILED = "failed"  # counted; may lock the key
    SUCCEEDED = "succeeded"  # the key's failures are forgotten
    RELEASED = "released"  # nothing was checked (or the key is not the one that succeeded)


@dataclass(frozen=True, slots=True)
class Reservation:
    key: str
    policy: Policy


class ThrottleBackend(Protocol):
    """Counters keyed by string; ``now`` is Unix time in seconds."""

    async def reserve(self, keys: Sequence[Reservation], *, attempt: str, now: float, lease: float) -> float:
        """Reserve ``attempt`` on every key, or on none: 0 when reserved, else the seconds
        to wait before trying again."""
        ...

    async def settle(self, keys: Sequence[tuple[Reservation, Outcome]], *, attempt: str, now: float) -> None:
        """End ``attempt`` on each key with its outcome."""
        ...


@dataclass(slots=True)
class _Counter:
    failures: int = 0
    last_failure: float = 0.0
    locked_until: float = 0.0
    in_flight: dict[str, float] = field(default_factory=dict)  # attempt -> when its lease lapses


class MemoryThrottleBackend:
    """Counters in this process's memory (tests, single-process deployments). Each method
    runs without awaiting anything, so on one event loop it is atomic."""

    def __init__(self) -> None:
        self._counters: dict[str, _Counter] = {}

    def _live(self, reservation: Reservation, now: float) -> _Counter:
        counter = self._counters.get(reservation.key)
        if counter is None:
            counter = self._counters[reservation.key] = _Counter()
        counter.in_flight = {attempt: lapses for attempt, lapses in counter.in_flight.items() if lapses > now}
        forgotten_at = max(counter.locked_until, counter.last_failure + reservation.policy.window)
        if counter.failures and now >= forgotten_at:
            counter.failures, counter.locked_until = 0, 0.0
        return counter

    async def reserve(self, keys: Sequence[Reservation], *, attempt: str, now: float, lease: float) -> float:
        counters = [(self._live(reservation, now), reservation.policy) for reservation in keys]
        wait = max([_wait(counter, policy, now) for counter, policy in counters] + [0.0])
        if wait == 0:
            for counter, _ in counters:
                counter.in_flight[attempt] = now + lease
        if len(self._counters) > 100_000:  # bound memory under a spray of unique keys
            self._prune(now)
        return wait

    async def settle(self, keys: Sequence[tuple[Reservation, Outcome]], *, attempt: str, now: float) -> None:
        for reservation, outcome in keys:
            counter = self._live(reservation, now)
            counter.in_flight.pop(attempt, None)
            if outcome is Outcome.FAILED:
                counter.failures += 1
                counter.last_failure = now
                delay = reservation.policy.delay(counter.failures)
                counter.locked_until = max(counter.locked_until, now + delay)
            elif outcome is Outcome.SUCCEEDED:
                counter.failures, counter.locked_until = 0, 0.0
            if not counter.failures and not counter.in_flight:
                del self._counters[reservation.key]

    def _prune(self, now: float) -> None:
        for key, counter in list(self._counters.items()):
            live = {attempt: lapses for attempt, lapses in counter.in_flight.items() if lapses > now}
            if not live and now >= max(counter.locked_until, counter.last_failure + LOGIN_POLICY.window):
                del self._counters[key]


def _wait(counter: _Counter, policy: Policy, now: float) -> float:
    if counter.locked_until > now:
        return counter.locked_until - now
    if not policy.admits(failures=counter.failures, in_flight=len(counter.in_flight)):
        return policy.base_delay  # the attempts in flight decide whether a lock follows
    return 0.0


# KEYS: per key its hash (failures, last_failure, locked_until) and its sorted set of
# attempts in flight (scored by when each lease lapses). ARGV: now, attempt, lease, then
# lock_after, base_delay and window per key. Returns the wait as a string (Lua numbers
# would be truncated). The hash's TTL only collects garbage: the window is judged by
# ``now``, the caller's clock, as in the memory backend.
_RESERVE = """
local now, attempt, lease = tonumber(ARGV[1]), ARGV[2], tonumber(ARGV[3])
local wait = 0
for i = 1, #KEYS / 2 do
  local state, flight = KEYS[2 * i - 1], KEYS[2 * i]
  local at = 4 + 3 * (i - 1)
  local lock_after, base_delay, window = tonumber(ARGV[at]), tonumber(ARGV[at + 1]), tonumber(ARGV[at + 2])
  redis.call('ZREMRANGEBYSCORE', flight, '-inf', now)
  local in_flight = redis.call('ZCARD', flight)
  local failures = tonumber(redis.call('HGET', state, 'failures') or '0')
  local last_failure = tonumber(redis.call('HGET', state, 'last_failure') or '0')
  local locked_until = tonumber(redis.call('HGET', state, 'locked_until') or '0')
  if failures > 0 and now >= math.max(locked_until, last_failure + window) then
    redis.call('DEL', state)
    failures, locked_until = 0, 0
  end
  if locked_until > now then
    wait = math.max(wait, locked_until - now)
  elseif in_flight > 0 and failures + in_flight >= lock_after then
    wait = math.max(wait, base_delay)
  end
end
if wait > 0 then return tostring(wait) end
for i = 1, #KEYS / 2 do
  redis.call('ZADD', KEYS[2 * i], now + lease, attempt)
  redis.call('PEXPIRE', KEYS[2 * i], math.ceil(lease * 1000))
end
return '0'
"""

# ARGV: now, attempt, then per key its outcome, lock_after, base_delay, max_delay, window.
_SETTLE = """
local now, attempt = tonumber(ARGV[1]), ARGV[2]
for i = 1, #KEYS / 2 do
  local state, flight = KEYS[2 * i - 1], KEYS[2 * i]
  local at = 3 + 5 * (i - 1)
  local outcome = ARGV[at]
  local lock_after, base_delay = tonumber(ARGV[at + 1]), tonumber(ARGV[at + 2])
  local max_delay, window = tonumber(ARGV[at + 3]), tonumber(ARGV[at + 4])
  redis.call('ZREM', flight, attempt)
  if outcome == 'failed' then
    local failures = redis.call('HINCRBY', state, 'failures', 1)
    redis.call('HSET', state, 'last_failure', ARGV[1])
    local excess = failures - lock_after + 1
    local delay = 0
    if excess > 0 then delay = math.min(max_delay, base_delay * 2 ^ math.min(excess - 1, 30)) end
    local locked_until = tonumber(redis.call('HGET', state, 'locked_until') or '0')
    if now + delay > locked_until then redis.call('HSET', state, 'locked_until', tostring(now + delay)) end
    redis.call('EXPIRE', state, math.ceil(math.max(window, delay)) + 1)
  elseif outcome == 'succeeded' then
    redis.call('DEL', state)
  end
end
return 0
"""


class RedisThrottleBackend:
    """Counters in Redis: per key a hash (``failures``, ``last_failure``, ``locked_until``) that expires
    ``window`` seconds after the last failure (or when its lock ends, if later), and a
    sorted set of the attempts in flight. Both keys of one throttle key share a hash
    tag, so a cluster keeps them on one node."""

    def __init__(self, redis: Redis, *, prefix: str = "gateway:throttle:") -> None:
        self._redis = redis
        self._prefix = prefix
        self._reserve = redis.register_script(_RESERVE)
        self._settle = redis.register_script(_SETTLE)

    def _names(self, key: str) -> list[str]:
        return [f"{self._prefix}{{{key}}}", f"{self._prefix}{{{key}}}:in-flight"]

    async def reserve(self, keys: Sequence[Reservation], *, attempt: str, now: float, lease: float) -> float:
        names = [name for reservation in keys for name in self._names(reservation.key)]
        arguments: list[str | float] = [repr(now), attempt, repr(lease)]
        for reservation in keys:
            policy = reservation.policy
            arguments += [policy.lock_after, repr(policy.base_delay), repr(policy.window)]
        return float(await self._reserve(keys=names, args=arguments))

    async def settle(self, keys: Sequence[tuple[Reservation, Outcome]], *, attempt: str, now: float) -> None:
        names = [name for reservation, _ in keys for name in self._names(reservation.key)]
        arguments: list[str | float] = [repr(now), attempt]
        for reservation, outcome in keys:
            policy = reservation.policy
            arguments += [
                outcome.value,
                policy.lock_after,
                repr(policy.base_delay),
                repr(policy.max_delay),
                repr(policy.window),
            ]
        await self._settle(keys=names, args=arguments)


class FallbackThrottleBackend:
    """Redis's counters while Redis answers, this process's while it does not.

    An attempt settles where it was reserved; one reserved in Redis whose settling fails
    (Redis went down in between) is settled locally, so its failure still counts (its
    Redis reservation lapses with its lease)."""

    def __init__(
        self, shared: SharedRedis, redis: RedisThrottleBackend, local: MemoryThrottleBackend
    ) -> None:
        self.shared = shared
        self.redis = redis
        self.local = local
        self._local_attempts: set[str] = set()

    async def reserve(self, keys: Sequence[Reservation], *, attempt: str, now: float, lease: float) -> float:
        async def locally() -> float:
            wait = await self.local.reserve(keys, attempt=attempt, now=now, lease=lease)
            if wait == 0:
                self._local_attempts.add(attempt)
            return wait

        return await self.shared.health.call(
            "throttle", lambda: self.redis.reserve(keys, attempt=attempt, now=now, lease=lease), locally
        )

    async def settle(self, keys: Sequence[tuple[Reservation, Outcome]], *, attempt: str, now: float) -> None:
        if attempt in self._local_attempts:
            self._local_attempts.discard(attempt)
            self.shared.health.fell_back("throttle")
            await self.local.settle(keys, attempt=attempt, now=now)
            return
        await self.shared.health.call(
            "throttle",
            lambda: self.redis.settle(keys, attempt=attempt, now=now),
            lambda: self.local.settle(keys, attempt=attempt, now=now),
        )


class Attempt:
    """One reserved attempt; the code that checks the secret says how it went."""

    def __init__(self) -> None:
        self.outcome = Outcome.RELEASED

    def failed(self) -> None:
        self.outcome = Outcome.FAILED

    def succeeded(self) -> None:
        self.outcome = Outcome.SUCCEEDED


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

    def _login(self, login: str) -> Reservation:
        return Reservation(f"login:{login_key(login)[:64]}", self.login_policy)

    def _address(self, address: str) -> Reservation:
        return Reservation(f"address:{address}", self.address_policy)

    @contextlib.asynccontextmanager
    async def attempt(self, *, login: str | None, address: str | None) -> AsyncIterator[Attempt]:
        """Reserve an attempt on the login and the address (``RateLimited``, with when to
        retry, when either is locked or has as many attempts in flight as it may), then
        settle it as the block decided: ``attempt.failed()`` counts against both,
        ``attempt.succeeded()`` forgets the login's failures (the address's stay, or one
        own account would reset an attacker's count); otherwise, or when the block
        raises, nothing is counted."""
        login_keys = [self._login(login)] if login is not None else []
        keys = login_keys + ([self._address(address)] if address is not None else [])
        reserved = Attempt()
        token = secrets.token_hex(8)
        wait = await self.backend.reserve(keys, attempt=token, now=self.clock(), lease=LEASE)
        if wait > 0:
            raise RateLimited(retry_after=max(wait, 0.1), message=RATE_LIMITED_MESSAGE, limiter="login")
        try:
            yield reserved
        finally:
            outcome = reserved.outcome

            def settled(reservation: Reservation) -> Outcome:
                if outcome is Outcome.SUCCEEDED and reservation not in login_keys:
                    return Outcome.RELEASED
                return outcome

            await self.backend.settle(
                [(reservation, settled(reservation)) for reservation in keys], attempt=token, now=self.clock()
            )


def open_throttle(shared: SharedRedis | None, *, clock: Callable[[], float] = time.time) -> LoginThrottle:
    """Counters in Redis when it is configured (shared by replicas, in-process while it is
    down), else in-process."""
    if shared is None:
        return LoginThrottle(MemoryThrottleBackend(), clock=clock)
    backend = FallbackThrottleBackend(shared, RedisThrottleBackend(shared.client), MemoryThrottleBackend())
    return LoginThrottle(backend, clock=clock)
