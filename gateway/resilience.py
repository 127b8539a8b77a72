"""How the gateway calls one back end: timeout, retries, circuit breaker, concurrency cap.

One ``Policy`` per back end; ``gateway.adapters.resilient`` sends every adapter call
through it. For each attempt, in order:

1. the circuit breaker: while open it refuses at once (``CircuitOpen``) instead of
   letting requests pile up on a back end that is down; after ``reset_after`` seconds
   it lets one probe through (half-open): its success closes the breaker, its failure
   opens it again. ``failure_threshold`` consecutive failures open it;
2. the concurrency cap: at most ``max_concurrency`` calls in flight to the back end;
   a call that cannot start within the timeout is refused (``Overloaded``) without
   counting against the back end, since the queue is ours;
3. the timeout: an attempt running longer than ``timeout`` is cancelled and becomes
   ``BackendUnavailable``.

Reads (``idempotent=True``) that fail with a retryable ``BackendUnavailable`` are tried
again, at most ``attempts`` times in all, with exponential back-off and jitter
(tenacity). Writes are never retried: a write that timed out may have been applied.

What an attempt's outcome does to the breaker:

    a result                                           success: closes it, clears the count
    BackendUnavailable (refused, timed out, 5xx)       failure: counts, retried (reads)
    a refusal of the input (BackendRejected, any       neither: not retried, the count and
      other GatewayError such as NotFound)               the state stay as they were
    BackendProtocolError, cancellation, a bug          neither

While a breaker is open, the policy watches the back end (``watch``: its ``ping`` every
``recovery_interval`` seconds, beside the breaker). The first answer ends the wait: the next
call is the half-open probe at once, not ``reset_after`` seconds after the breaker opened, so
answers served stale from the cache stop within about a second of the back end's recovery.

A refusal shows the back end is alive, but not that it can serve: counting it as a
success would let one client's stream of bad input clear the failures of everyone
else's calls and keep a failing back end's breaker closed (or close it with a probe).
So a refusal is neutral, and a half-open breaker lets the next call probe.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from tenacity import AsyncRetrying, retry_if_exception, stop_after_attempt, wait_exponential_jitter

from gateway.errors import BackendProtocolError, BackendUnavailable, GatewayError
from gateway.metrics import Metrics
from gateway.observability import request_record, tracing

log = logging.getLogger("gateway.resilience")

T = TypeVar("T")


class CircuitOpen(BackendUnavailable):
    """Refused without calling: the breaker is open. Retrying later helps."""


class Overloaded(BackendUnavailable):
    """Refused without calling: too many calls to this back end are in flight."""


@dataclass(frozen=True, slots=True)
class PolicySettings:
    timeout: float = 5.0  # seconds per attempt
    attempts: int = 3  # reads: attempts in all, the first included
    backoff_seconds: float = 0.05  # first retry waits about this (plus jitter), doubling after
    backoff_max_seconds: float = 1.0
    failure_threshold: int = 5  # consecutive failures that open the breaker
    reset_after: float = 10.0  # seconds open before a half-open probe
    max_concurrency: int = 20
    recovery_interval: float = 1.0  # while open, seconds between pings of the watched back end


class BreakerState(enum.Enum):
    CLOSED = 0
    HALF_OPEN = 1
    OPEN = 2


class CircuitBreaker:
    """Closed, open or half-open. ``clock`` is monotonic seconds (tests move it)."""

    def __init__(
        self,
        backend: str,
        *,
        failure_threshold: int,
        reset_after: float,
        clock: Callable[[], float] = time.monotonic,
        metrics: Metrics | None = None,
    ) -> None:
        self.backend = backend
        self.failure_threshold = failure_threshold
        self.reset_after = reset_after
        self.clock = clock
        self._metrics = metrics
        self._state = BreakerState.CLOSED
        self._failures = 0
        self._opened_at = 0.0
        self._probing = False
        if metrics is not None:
            metrics.breaker_state.labels(backend=backend).set(BreakerState.CLOSED.value)

    @property
    def state(self) -> BreakerState:
        if self._state is BreakerState.OPEN and self.clock() - self._opened_at >= self.reset_after:
            return BreakerState.HALF_OPEN
        return self._state

    def admit(self) -> bool:
        """Whether a call may go out now; ``True`` in half-open means it is the probe."""
        state = self.state
        if state is BreakerState.CLOSED:
            return True
        if state is BreakerState.HALF_OPEN and not self._probing:
            self._probing = True
            self._move(BreakerState.HALF_OPEN)
            return True
        return False

    def success(self) -> None:
        self._failures = 0
        self._probing = False
        if self._state is not BreakerState.CLOSED:
            self._move(BreakerState.CLOSED)

    def failure(self) -> None:
        self._failures += 1
        was_probe, self._probing = self._probing, False
        if was_probe or self._failures >= self.failure_threshold:
            self._opened_at = self.clock()
            if self._state is not BreakerState.OPEN or was_probe:
                self._move(BreakerState.OPEN)

    def recovered(self) -> None:
        """The back end answered a ping while the breaker was open: the next call probes now."""
        if self._state is BreakerState.OPEN:
            self._opened_at = self.clock() - self.reset_after

    def release(self) -> None:
        """The admitted call ended without a verdict (cancelled, a refusal, a protocol error)."""
        if self._probing:
            self._probing = False
            # A probe without a verdict: stay half-open so the next call probes.

    def _move(self, to: BreakerState) -> None:
        if self._state is not to:
            log.warning("%s circuit breaker: %s -> %s", self.backend, self._state.name, to.name)
            tracing.add_event("breaker", backend=self.backend, to=to.name.lower())
        self._state = to
        if self._metrics is not None:
            self._metrics.breaker_state.labels(backend=self.backend).set(to.value)
            self._metrics.breaker_transitions.labels(backend=self.backend, to=to.name.lower()).inc()


def _retryable(error: BaseException) -> bool:
    return (
        isinstance(error, BackendUnavailable)
        and error.retryable
        and not isinstance(error, CircuitOpen | Overloaded)
    )


class Policy:
    def __init__(
        self,
        backend: str,
        settings: PolicySettings,
        *,
        metrics: Metrics | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.backend = backend
        self.settings = settings
        self.metrics = metrics
        self.breaker = CircuitBreaker(
            backend,
            failure_threshold=settings.failure_threshold,
            reset_after=settings.reset_after,
            clock=clock,
            metrics=metrics,
        )
        self._slots = asyncio.Semaphore(settings.max_concurrency)
        self._sleep = sleep
        self._ping: Callable[[], Awaitable[None]] | None = None
        self._watcher: asyncio.Task[None] | None = None

    def watch(self, ping: Callable[[], Awaitable[None]]) -> None:
        """While the breaker is open, ``ping`` the back end to notice its recovery (see above)."""
        self._ping = ping

    async def close(self) -> None:
        """Stop watching (at shutdown)."""
        if self._watcher is not None:
            self._watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watcher
            self._watcher = None

    def _watch_while_open(self) -> None:
        if self._ping is None or (self._watcher is not None and not self._watcher.done()):
            return
        self._watcher = asyncio.get_running_loop().create_task(self._until_recovered(self._ping))

    async def _until_recovered(self, ping: Callable[[], Awaitable[None]]) -> None:
        while self.breaker.state is BreakerState.OPEN:
            await asyncio.sleep(self.settings.recovery_interval)  # real time, whatever tests' sleep is
            if self.breaker.state is not BreakerState.OPEN:
                return
            try:
                await self.probe(ping)
            except Exception:  # noqa: S112 - still down: the next ping will tell
                continue
            log.info("%s answers again: the next call probes its circuit breaker", self.backend)
            self.breaker.recovered()

    async def call(self, operation: str, fn: Callable[[], Awaitable[T]], *, idempotent: bool) -> T:
        """``fn()`` under this policy; ``fn`` is called again for each attempt."""
        with tracing.span(
            f"{self.backend}.{operation}",
            attributes={
                "gateway.backend": self.backend,
                "gateway.operation": operation,
                "gateway.idempotent": idempotent,
                "gateway.attempts": 1,
                "gateway.breaker.state": self.breaker.state.name.lower(),
            },
        ):
            return await self._call(operation, fn, idempotent=idempotent)

    async def _call(self, operation: str, fn: Callable[[], Awaitable[T]], *, idempotent: bool) -> T:
        if not idempotent or self.settings.attempts <= 1:
            return await self._attempt(operation, fn)
        retrying = AsyncRetrying(
            stop=stop_after_attempt(self.settings.attempts),
            wait=wait_exponential_jitter(
                multiplier=self.settings.backoff_seconds,
                max=self.settings.backoff_max_seconds,
                jitter=self.settings.backoff_seconds,
            ),
            retry=retry_if_exception(_retryable),
            sleep=self._sleep,
            reraise=True,
        )
        try:
            result: T = await retrying(self._attempt, operation, fn)
        finally:
            tracing.annotate(attempts=int(retrying.statistics.get("attempt_number", 1)))
        return result

    async def probe(self, fn: Callable[[], Awaitable[None]]) -> None:
        """``fn()`` within the timeout, beside the breaker: neither refused while it is open nor
        counted for or against it (readiness probes: ``gateway.http.health``)."""
        try:
            async with asyncio.timeout(self.settings.timeout):
                await fn()
        except TimeoutError:
            raise BackendUnavailable(self.backend) from None

    async def _attempt(self, operation: str, fn: Callable[[], Awaitable[T]]) -> T:
        if not self.breaker.admit():
            self._count(operation, "rejected")
            raise CircuitOpen(self.backend)
        started = time.perf_counter()
        outcome = "ok"
        try:
            try:
                async with asyncio.timeout(self.settings.timeout):
                    await self._slots.acquire()
            except TimeoutError:
                outcome = "rejected"
                self.breaker.release()
                raise Overloaded(self.backend) from None
            try:
                async with asyncio.timeout(self.settings.timeout):
                    result = await fn()
            finally:
                self._slots.release()
        except TimeoutError:
            outcome = "timeout"
            self._failed()
            log.warning("%s %s: timed out after %.1f s", self.backend, operation, self.settings.timeout)
            raise BackendUnavailable(self.backend) from None
        except BackendUnavailable:
            if outcome == "ok":
                outcome = "unavailable"
                self._failed()
            raise
        except BackendProtocolError:
            outcome = "protocol_error"
            self.breaker.release()
            raise
        except GatewayError:
            outcome = "client_error"  # the back end refused the input: neutral (see above)
            self.breaker.release()
            raise
        except BaseException:
            outcome = "error"
            self.breaker.release()
            raise
        else:
            self.breaker.success()
            return result
        finally:
            self._count(operation, outcome, time.perf_counter() - started)

    def _failed(self) -> None:
        self.breaker.failure()
        if self.breaker.state is BreakerState.OPEN:
            self._watch_while_open()

    def _count(self, operation: str, outcome: str, seconds: float | None = None) -> None:
        request_record.note_backend_call(self.backend, operation, outcome, seconds)
        tracing.add_event(
            "attempt",
            outcome=outcome,
            ms=round((seconds or 0.0) * 1000, 1),
            breaker=self.breaker.state.name.lower(),
        )
        tracing.annotate(outcome=outcome, breaker_state=self.breaker.state.name.lower())
        if self.metrics is None:
            return
        self.metrics.backend_calls.labels(backend=self.backend, operation=operation, outcome=outcome).inc()
        if seconds is not None and outcome != "rejected":
            self.metrics.backend_seconds.labels(backend=self.backend, operation=operation).observe(seconds)
