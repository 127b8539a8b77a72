"""The gateway's Redis (``GATEWAY_REDIS_URL``): one client, and one place that knows whether it answers.

Every Redis user (the login throttle, the request budget, the cache, persisted queries)
runs its Redis calls through ``RedisHealth.call`` with a local fallback, so all of them
degrade the same way when Redis is unreachable, at start-up or at run time:

- a call that fails (connection refused or reset, no answer within ``GATEWAY_REDIS_TIMEOUT``,
  any Redis error) marks Redis down; the call, and every call for the next
  ``GATEWAY_REDIS_RETRY_SECONDS``, runs its fallback instead of waiting on Redis;
- then one call at a time tries Redis again; the first that succeeds marks it up, and
  every user is back on the shared state;
- the fallbacks: in-process throttle counters and budget buckets (each replica enforces
  the limits on its own, so during the outage the effective limit is the policy times the
  number of replicas), cache misses (the back ends answer), persisted-query misses (the
  client resends the query). Never an error for the client.

The state is logged once per change (one WARNING line when Redis goes, one INFO line when
it is back), exported as ``gateway_redis_up`` and ``gateway_redis_fallbacks_total{user}``,
and reported by ``/readyz`` (degraded, not unready: the fallbacks serve).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar
from urllib.parse import urlsplit, urlunsplit

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError

from gateway.metrics import Metrics

log = logging.getLogger("gateway.redis")

T = TypeVar("T")
R = TypeVar("R")

DEFAULT_TIMEOUT_SECONDS = 1.0
DEFAULT_RETRY_SECONDS = 5.0
# What "Redis failed" means: its own errors, a socket's, a timeout (aiocache's is asyncio's).
FAILURES: tuple[type[BaseException], ...] = (RedisError, OSError, TimeoutError)
DEGRADED = (
    "login throttling and request budgets count per replica; cache and persisted queries are not shared"
)


class RedisUnavailable(RedisConnectionError):
    """Raised (instead of calling Redis) while Redis is marked down and not yet due for a retry."""


def redacted(url: str) -> str:
    """``url`` without its password, for logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username or ''}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


class RedisHealth:
    """Whether Redis answers, learnt from the calls themselves. ``clock``: monotonic seconds."""

    def __init__(
        self,
        *,
        name: str = "redis",
        retry_after: float = DEFAULT_RETRY_SECONDS,
        metrics: Metrics | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.name = name
        self.retry_after = retry_after
        self.metrics = metrics
        self.clock = clock
        self.up = True
        self.last_error: str | None = None
        self._retry_at = 0.0
        if metrics is not None:
            metrics.redis_up.set(1)

    def usable(self) -> bool:
        """Whether a call should go to Redis now: while up, always; while down, one call
        each ``retry_after`` seconds (it claims the retry, so concurrent calls do not pile on)."""
        if self.up:
            return True
        now = self.clock()
        if now < self._retry_at:
            return False
        self._retry_at = now + self.retry_after
        return True

    def failed(self, error: BaseException) -> None:
        self.last_error = _describe(error)
        self._retry_at = self.clock() + self.retry_after
        if self.up:
            self.up = False
            log.warning(
                "%s unavailable (%s): degraded, %s; retrying every %gs",
                self.name,
                self.last_error,
                DEGRADED,
                self.retry_after,
            )
            if self.metrics is not None:
                self.metrics.redis_up.set(0)

    def succeeded(self) -> None:
        if not self.up:
            self.up = True
            self.last_error = None
            log.info(
                "%s answers again: shared throttling, budgets, cache and persisted queries resume", self.name
            )
            if self.metrics is not None:
                self.metrics.redis_up.set(1)

    def fell_back(self, user: str) -> None:
        if self.metrics is not None:
            self.metrics.redis_fallbacks.labels(user=user).inc()

    async def call(
        self, user: str, primary: Callable[[], Awaitable[T]], fallback: Callable[[], Awaitable[T]]
    ) -> T:
        """``primary()`` (the Redis call) while Redis is usable, else (or when it fails) ``fallback()``."""
        if self.usable():
            try:
                result = await primary()
            except FAILURES as error:
                self.failed(error)
                log.debug("%s: %s failed over to its fallback", self.name, user, exc_info=True)
            else:
                self.succeeded()
                return result
        self.fell_back(user)
        return await fallback()

    async def attempt(self, primary: Callable[[], Awaitable[T]]) -> T:
        """``primary()`` when Redis is usable (its outcome recorded), else ``RedisUnavailable``:
        for a caller that has no fallback of its own and must learn of the failure."""
        if not self.usable():
            raise RedisUnavailable(f"{self.name} unavailable ({self.last_error}); not tried")
        try:
            result = await primary()
        except FAILURES as error:
            self.failed(error)
            raise
        self.succeeded()
        return result

    async def probe(self, ping: Callable[[], Awaitable[object]]) -> None:
        """A check that always goes to Redis (``/readyz``, start-up), recorded like any call."""
        try:
            await ping()
        except FAILURES as error:
            self.failed(error)
            raise
        self.succeeded()


def _bytes(value: bytes | str | None) -> bytes | None:
    return value.encode() if isinstance(value, str) else value


def _describe(error: BaseException) -> str:
    text = str(error).strip()
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


class TurnBatch(Generic[T, R]):
    """Calls made in one turn of the event loop, sent on as one: ``send`` gets them all, in the
    order they were made, and answers each. Under load, the requests a process serves at once
    share one Redis round trip (as a DataLoader's callers share a back-end call); alone, a call
    waits one turn. A failure of ``send`` fails every call of the batch, each caller handling
    it as its own."""

    def __init__(self, send: Callable[[list[T]], Awaitable[list[R]]]) -> None:
        self.send = send
        self._waiting: list[tuple[T, asyncio.Future[R]]] = []
        self._sending: set[asyncio.Task[None]] = set()

    async def __call__(self, item: T) -> R:
        loop = asyncio.get_running_loop()
        if not self._waiting:
            loop.call_soon(self._dispatch)
        future: asyncio.Future[R] = loop.create_future()
        self._waiting.append((item, future))
        return await future

    def _dispatch(self) -> None:
        batch, self._waiting = self._waiting, []
        task = asyncio.ensure_future(self._send(batch))
        self._sending.add(task)
        task.add_done_callback(self._sending.discard)

    async def _send(self, batch: list[tuple[T, asyncio.Future[R]]]) -> None:
        try:
            answers = await self.send([item for item, _ in batch])
            if len(answers) != len(batch):  # never left waiting, whatever ``send`` does
                raise RuntimeError(f"{len(answers)} answers to {len(batch)} calls")
        except asyncio.CancelledError:
            for _, future in batch:
                future.cancel()
            raise
        except Exception as error:  # handed to every caller, who decides
            for _, future in batch:
                if not future.done():
                    future.set_exception(error)
            return
        for (_, future), answer in zip(batch, answers, strict=True):
            if not future.done():
                future.set_result(answer)


class ReadBatch:
    """The reads every request makes (the viewers' epoch, the response cache), the reads of
    one turn of the loop as one ``MGET`` (keys read once however many ask)."""

    def __init__(self, client: Redis) -> None:
        self.client = client
        self._batch: TurnBatch[list[str], list[bytes | None]] = TurnBatch(self._mget)

    async def mget(self, keys: Sequence[str]) -> list[bytes | None]:
        return await self._batch(list(keys))

    async def _mget(self, reads: list[list[str]]) -> list[list[bytes | None]]:
        keys = list(dict.fromkeys(key for wanted in reads for key in wanted))
        answered = await self.client.mget(keys)
        values = dict(zip(keys, (_bytes(value) for value in answered), strict=True))
        return [[values[key] for key in wanted] for wanted in reads]


@dataclass(frozen=True, slots=True)
class SharedRedis:
    """The client the throttle, the budget and persisted queries use, and its health (the
    cache's aiocache client reports to the same health)."""

    client: Redis
    health: RedisHealth
    url: str  # as configured (with its password): for clients that open their own pool
    timeout: float
    reads: ReadBatch = field(init=False, repr=False)  # the hot reads, batched per turn of the loop

    def __post_init__(self) -> None:
        object.__setattr__(self, "reads", ReadBatch(self.client))

    async def ping(self) -> None:
        await self.health.probe(self.client.ping)


def client(url: str, *, timeout: float = DEFAULT_TIMEOUT_SECONDS) -> Redis:
    """A client that answers or fails within ``timeout`` (connect, and each reply), retrying
    once only to reconnect a pooled connection Redis dropped (e.g. after its restart)."""
    return Redis.from_url(
        url,
        socket_timeout=timeout,
        socket_connect_timeout=timeout,
        retry=Retry(NoBackoff(), 1, supported_errors=(RedisConnectionError,)),
    )


@contextlib.asynccontextmanager
async def open_redis(
    url: str | None,
    *,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,  # noqa: ASYNC109 -- the client's, per call
    retry_after: float = DEFAULT_RETRY_SECONDS,
    metrics: Metrics | None = None,
) -> AsyncIterator[SharedRedis | None]:
    """The app's Redis (``None`` when ``url`` is unset), checked once: one clear line when it
    does not answer, and the gateway starts degraded rather than not at all."""
    if url is None:
        yield None
        return
    shared = SharedRedis(
        client(url, timeout=timeout),
        RedisHealth(name=f"Redis at {redacted(url)}", retry_after=retry_after, metrics=metrics),
        url,
        timeout,
    )
    try:
        with contextlib.suppress(*FAILURES):  # logged by ``failed``
            await shared.ping()
        yield shared
    finally:
        await shared.client.aclose()
