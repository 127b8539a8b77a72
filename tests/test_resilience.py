"""The per-back-end ``Policy``: timeout, retries for reads only, circuit breaker, concurrency cap."""

from __future__ import annotations

import asyncio

import pytest

from gateway.errors import BackendProtocolError, BackendRejected, BackendUnavailable, NotFound
from gateway.metrics import Metrics
from gateway.resilience import BreakerState, CircuitOpen, Policy, PolicySettings


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class Backend:
    """Fails the first ``failures`` calls with ``error``, then answers "ok"."""

    def __init__(self, failures: int = 0, error: Exception | None = None, delay: float = 0.0) -> None:
        self.calls = 0
        self.failures = failures
        self.error = error or BackendUnavailable("billing")
        self.delay = delay
        self.running = 0
        self.most_running = 0

    async def __call__(self) -> str:
        self.calls += 1
        self.running += 1
        self.most_running = max(self.most_running, self.running)
        try:
            if self.delay:
                await asyncio.sleep(self.delay)
            if self.calls <= self.failures:
                raise self.error
            return "ok"
        finally:
            self.running -= 1


def state_of(policy: Policy) -> BreakerState:
    return policy.breaker.state


async def no_sleep(seconds: float) -> None:
    return None


def policy(clock: Clock | None = None, metrics: Metrics | None = None, **settings: float) -> Policy:
    defaults: dict[str, float] = {"timeout": 1.0, "attempts": 3, "failure_threshold": 3, "reset_after": 10.0}
    chosen = PolicySettings(**{**defaults, **settings})  # type: ignore[arg-type]
    return Policy("billing", chosen, metrics=metrics, clock=clock or Clock(), sleep=no_sleep)


async def test_a_read_is_retried_until_it_succeeds() -> None:
    backend = Backend(failures=2)

    assert await policy().call("invoice_pages", backend, idempotent=True) == "ok"
    assert backend.calls == 3


async def test_retries_are_bounded() -> None:
    backend = Backend(failures=10)

    with pytest.raises(BackendUnavailable):
        await policy(failure_threshold=100).call("invoice_pages", backend, idempotent=True)
    assert backend.calls == 3


async def test_a_write_is_never_retried() -> None:
    backend = Backend(failures=1)

    with pytest.raises(BackendUnavailable):
        await policy().call("change_deposit_amount", backend, idempotent=False)
    assert backend.calls == 1


@pytest.mark.parametrize("error", [BackendProtocolError("billing"), NotFound(), BackendRejected("billing")])
async def test_an_error_that_retrying_cannot_help_is_not_retried(error: Exception) -> None:
    backend = Backend(failures=1, error=error)

    with pytest.raises(type(error)):
        await policy().call("invoice_pages", backend, idempotent=True)
    assert backend.calls == 1


async def test_a_slow_call_times_out_as_unavailable() -> None:
    backend = Backend(delay=5.0)

    with pytest.raises(BackendUnavailable):
        await policy(timeout=0.05, attempts=1).call("invoice_pages", backend, idempotent=True)


async def test_the_breaker_opens_refuses_at_once_then_probes_and_closes() -> None:
    # given: three failed calls open the breaker
    clock = Clock()
    metrics = Metrics()
    resilient = policy(clock, metrics, attempts=1)
    down = Backend(failures=100)
    for _ in range(3):
        with pytest.raises(BackendUnavailable):
            await resilient.call("invoice_pages", down, idempotent=True)
    assert state_of(resilient) is BreakerState.OPEN

    # when: open, calls are refused without reaching the back end
    with pytest.raises(CircuitOpen) as refused:
        await resilient.call("invoice_pages", down, idempotent=True)
    assert down.calls == 3
    assert refused.value.retryable

    # when: after the reset time one probe goes out; it fails, so the breaker opens again
    clock.now += 10
    with pytest.raises(BackendUnavailable):
        await resilient.call("invoice_pages", down, idempotent=True)
    assert down.calls == 4
    assert state_of(resilient) is BreakerState.OPEN

    # then: a probe that succeeds closes it
    clock.now += 10
    up = Backend()
    assert await resilient.call("invoice_pages", up, idempotent=True) == "ok"
    assert state_of(resilient) is BreakerState.CLOSED
    assert metrics.registry.get_sample_value("gateway_breaker_state", {"backend": "billing"}) == 0
    assert (
        metrics.registry.get_sample_value(
            "gateway_breaker_transitions_total", {"backend": "billing", "to": "open"}
        )
        == 2
    )


async def test_half_open_lets_only_one_probe_through() -> None:
    clock = Clock()
    resilient = policy(clock, attempts=1, failure_threshold=1)
    with pytest.raises(BackendUnavailable):
        await resilient.call("invoice_pages", Backend(failures=1), idempotent=True)
    clock.now += 10

    slow = Backend(delay=0.05)
    results = await asyncio.gather(
        *(resilient.call("invoice_pages", slow, idempotent=True) for _ in range(3)), return_exceptions=True
    )

    assert slow.calls == 1
    assert results.count("ok") == 1
    assert sum(isinstance(r, CircuitOpen) for r in results) == 2


async def test_a_malformed_answer_does_not_open_the_breaker() -> None:
    resilient = policy(attempts=1, failure_threshold=2)
    for _ in range(5):
        with pytest.raises(BackendProtocolError):
            await resilient.call(
                "invoice_pages", Backend(failures=1, error=BackendProtocolError("billing")), idempotent=True
            )

    assert state_of(resilient) is BreakerState.CLOSED


async def test_calls_in_flight_are_capped() -> None:
    backend = Backend(delay=0.02)
    resilient = policy(max_concurrency=3)

    await asyncio.gather(*(resilient.call("invoice_pages", backend, idempotent=True) for _ in range(12)))

    assert backend.calls == 12
    assert backend.most_running == 3


async def test_back_end_calls_are_counted_per_attempt() -> None:
    metrics = Metrics()

    await policy(metrics=metrics).call("invoice_pages", Backend(failures=1), idempotent=True)

    sample = metrics.registry.get_sample_value
    labels = {"backend": "billing", "operation": "invoice_pages"}
    assert sample("gateway_backend_calls_total", {**labels, "outcome": "unavailable"}) == 1
    assert sample("gateway_backend_calls_total", {**labels, "outcome": "ok"}) == 1
    assert sample("gateway_backend_call_duration_seconds_count", labels) == 2


class Scripted:
    """Answers each call with the next of ``outcomes``: an exception to raise, or a result."""

    def __init__(self, *outcomes: Exception | str) -> None:
        self.outcomes = list(outcomes)
        self.calls = 0

    async def __call__(self) -> str:
        outcome = self.outcomes[self.calls]
        self.calls += 1
        if isinstance(outcome, Exception):
            raise outcome
        return outcome


async def test_rejections_neither_count_toward_the_threshold_nor_clear_the_failures() -> None:
    # given: two failures of a threshold of three, then a stream of bad input
    resilient = policy(attempts=3, failure_threshold=3)
    backend = Scripted(
        BackendUnavailable("billing"),
        BackendUnavailable("billing"),
        *(BackendRejected("billing") for _ in range(20)),
        BackendUnavailable("billing"),
    )
    with pytest.raises(BackendUnavailable):
        await resilient.call("invoice_pages", backend, idempotent=False)
    with pytest.raises(BackendUnavailable):
        await resilient.call("invoice_pages", backend, idempotent=False)

    # when: twenty rejected reads
    for _ in range(20):
        with pytest.raises(BackendRejected):
            await resilient.call("invoice_pages", backend, idempotent=True)

    # then: none was retried, the breaker stayed closed, and the failures still count
    assert backend.calls == 22
    assert state_of(resilient) is BreakerState.CLOSED
    with pytest.raises(BackendUnavailable):
        await resilient.call("invoice_pages", backend, idempotent=False)
    assert state_of(resilient) is BreakerState.OPEN


async def test_timeouts_count_toward_the_threshold_and_are_retried() -> None:
    backend = Backend(delay=5.0)
    resilient = policy(timeout=0.01, attempts=2, failure_threshold=4)

    for _ in range(2):
        with pytest.raises(BackendUnavailable):
            await resilient.call("invoice_pages", backend, idempotent=True)

    assert backend.calls == 4
    assert state_of(resilient) is BreakerState.OPEN


async def test_a_probe_answered_with_a_rejection_leaves_the_next_call_to_probe() -> None:
    # given: an open breaker, past its reset time
    clock = Clock()
    resilient = policy(clock, attempts=1, failure_threshold=1)
    with pytest.raises(BackendUnavailable):
        await resilient.call("invoice_pages", Scripted(BackendUnavailable("billing")), idempotent=True)
    clock.now += 10

    # when: the probe is bad input
    with pytest.raises(BackendRejected):
        await resilient.call("invoice_pages", Scripted(BackendRejected("billing")), idempotent=True)

    # then: not closed by it; the next call is the probe, and its answer closes the breaker
    assert state_of(resilient) is BreakerState.HALF_OPEN
    assert await resilient.call("invoice_pages", Scripted("ok"), idempotent=True) == "ok"
    assert state_of(resilient) is BreakerState.CLOSED
