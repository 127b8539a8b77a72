"""Resilience edges the mutation run (``make mutate``) found unpinned: a success resets the count,
a closed breaker forgets its probe, each outcome is counted under its own name, refusals name
their back end, the back-off stays within its bounds, and only back-end unavailability is retried."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest
from prometheus_client import generate_latest
from prometheus_client.parser import text_string_to_metric_families

from gateway.errors import BackendProtocolError, BackendUnavailable, NotFound, RateLimited
from gateway.metrics import Metrics
from gateway.resilience import CircuitOpen, Policy, PolicySettings


class Clock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


class Sleeps:
    """Records the back-off instead of waiting."""

    def __init__(self) -> None:
        self.seconds: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.seconds.append(seconds)


def made(
    settings: PolicySettings | None = None, *, metrics: Metrics | None = None, sleep: Sleeps | None = None
) -> tuple[Policy, Clock]:
    clock = Clock()
    policy = Policy(
        "billing", settings or PolicySettings(), metrics=metrics, clock=clock, sleep=sleep or Sleeps()
    )
    return policy, clock


def answering(calls: list[int], error: Exception | None = None) -> Callable[[], Awaitable[str]]:
    async def call() -> str:
        calls.append(1)
        if error is not None:
            raise error
        return "ok"

    return call


def samples(metrics: Metrics) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    text = generate_latest(metrics.registry).decode()
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def calls_counted(metrics: Metrics, outcome: str) -> float:
    labels = frozenset({("backend", "billing"), ("operation", "op"), ("outcome", outcome)})
    return samples(metrics).get(("gateway_backend_calls_total", labels), 0.0)


async def fail(policy: Policy, times: int, calls: list[int]) -> None:
    for _ in range(times):
        with pytest.raises(BackendUnavailable):
            await policy.call("op", answering(calls, BackendUnavailable("billing")), idempotent=False)


async def test_a_success_starts_the_count_of_consecutive_failures_again() -> None:
    policy, _ = made()
    calls: list[int] = []
    await fail(policy, 4, calls)
    await policy.call("op", answering(calls), idempotent=False)

    await fail(policy, 4, calls)

    # eight failures, never five in a row: the breaker still lets calls through
    assert await policy.call("op", answering(calls), idempotent=False) == "ok"


async def test_after_a_probe_closed_the_breaker_one_failure_does_not_open_it_again() -> None:
    policy, clock = made()
    calls: list[int] = []
    await fail(policy, 5, calls)
    clock.now += 10
    assert await policy.call("op", answering(calls), idempotent=False) == "ok"  # the probe

    await fail(policy, 1, calls)

    assert await policy.call("op", answering(calls), idempotent=False) == "ok"


async def test_a_breaker_that_opens_shows_it_in_the_metrics_under_its_back_end() -> None:
    metrics = Metrics()
    policy, _ = made(metrics=metrics)
    state = ("gateway_breaker_state", frozenset({("backend", "billing")}))
    assert samples(metrics)[state] == 0

    await fail(policy, 5, [])

    opened = ("gateway_breaker_transitions_total", frozenset({("backend", "billing"), ("to", "open")}))
    assert samples(metrics)[state] == 2
    assert samples(metrics)[opened] == 1


async def test_each_outcome_is_counted_under_its_name_and_refusals_name_the_back_end() -> None:
    metrics = Metrics()
    policy, _ = made(PolicySettings(timeout=0.05, failure_threshold=2), metrics=metrics)
    calls: list[int] = []

    # ok, a domain answer, a malformed answer (none of them a failure of the back end)
    await policy.call("op", answering(calls), idempotent=False)
    with pytest.raises(NotFound):
        await policy.call("op", answering(calls, NotFound("no such thing")), idempotent=False)
    with pytest.raises(BackendProtocolError):
        await policy.call("op", answering(calls, BackendProtocolError("billing")), idempotent=False)

    # a timeout, then an unavailable answer: two failures open the breaker, which refuses
    never = asyncio.Event()

    async def hanging() -> str:
        await never.wait()
        return "never"

    with pytest.raises(BackendUnavailable) as timed_out:
        await policy.call("op", hanging, idempotent=False)
    await fail(policy, 1, calls)
    with pytest.raises(CircuitOpen) as refused:
        await policy.call("op", answering(calls), idempotent=False)

    assert [calls_counted(metrics, outcome) for outcome in ("ok", "client_error", "protocol_error")] == [
        1,
        1,
        1,
    ]
    assert calls_counted(metrics, "timeout") == 1
    assert calls_counted(metrics, "unavailable") == 1
    assert calls_counted(metrics, "rejected") == 1  # refused by the open breaker
    assert timed_out.value.backend == refused.value.backend == "billing"


async def test_two_attempts_mean_one_retry() -> None:
    policy, _ = made(PolicySettings(attempts=2))
    calls: list[int] = []

    with pytest.raises(BackendUnavailable):
        await policy.call("op", answering(calls, BackendUnavailable("billing")), idempotent=True)

    assert len(calls) == 2


async def test_only_an_unavailable_back_end_is_retried() -> None:
    policy, _ = made()
    calls: list[int] = []

    with pytest.raises(RateLimited):  # retryable for a client, yet no back end's failure
        await policy.call("op", answering(calls, RateLimited(retry_after=1.0)), idempotent=True)

    assert len(calls) == 1


async def test_the_back_off_grows_from_about_backoff_seconds_and_stays_under_its_maximum() -> None:
    sleeps = Sleeps()
    policy, _ = made(PolicySettings(attempts=10, failure_threshold=100), sleep=sleeps)

    with pytest.raises(BackendUnavailable):
        await policy.call("op", answering([], BackendUnavailable("billing")), idempotent=True)

    assert len(sleeps.seconds) == 9
    assert 0.05 <= sleeps.seconds[0] <= 0.1  # 0.05 s plus up to 0.05 s of jitter
    assert all(seconds <= 1.0 + 0.05 for seconds in sleeps.seconds)
    assert max(sleeps.seconds) >= 1.0  # doubling reached the cap


async def test_a_probe_that_ends_without_a_verdict_lets_the_next_call_probe() -> None:
    # given: open, and past the reset time
    policy, clock = made()
    calls: list[int] = []
    await fail(policy, 5, calls)
    clock.now += 10

    # when: the probe gets a malformed answer (no verdict on the back end's health)
    with pytest.raises(BackendProtocolError):
        await policy.call("op", answering(calls, BackendProtocolError("billing")), idempotent=False)

    # then: the next call is the probe, not refused
    assert await policy.call("op", answering(calls), idempotent=False) == "ok"
