"""The long-lived things a request uses: back ends, the store, the clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.adapters.billing.protocol import BillingBackend
from gateway.adapters.crm.protocol import CrmBackend
from gateway.adapters.nomination.protocol import NominationBackend
from gateway.metrics import Metrics
from gateway.nomination.validation import DEFAULT_GATE_CLOSURE, GateClosureRules
from gateway.outbox import DirectoryOutbox
from gateway.passwords import PasswordHashing
from gateway.ratelimit.buckets import MemoryBuckets, RequestBudget
from gateway.resilience import CircuitBreaker
from gateway.store.idempotency import DEFAULT_LEASE
from gateway.throttle import LoginThrottle, MemoryThrottleBackend

if TYPE_CHECKING:
    from gateway.session_cache import SessionCache

Clock = Callable[[], dt.datetime]


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True, slots=True)
class Backends:
    billing: BillingBackend
    crm: CrmBackend
    nomination: NominationBackend
    # Each back end's circuit breaker by name (billing, crm, nomination), reported by /readyz;
    # empty for adapters given without policies (tests).
    breakers: Mapping[str, CircuitBreaker] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Services:
    backends: Backends
    store: async_sessionmaker[AsyncSession]
    clock: Clock = field(default=utc_now)
    gate_closure: GateClosureRules = DEFAULT_GATE_CLOSURE  # nomination deadlines
    throttle: LoginThrottle = field(default_factory=lambda: LoginThrottle(MemoryThrottleBackend()))
    passwords: PasswordHashing = field(default_factory=PasswordHashing)
    metrics: Metrics | None = None
    outbox: DirectoryOutbox = field(default_factory=lambda: DirectoryOutbox(Path("var/outbox")))
    budget: RequestBudget = field(default_factory=lambda: RequestBudget(MemoryBuckets()))
    idempotency_lease: dt.timedelta = DEFAULT_LEASE  # how long an unfinished mutation holds its key
    sessions: SessionCache | None = None  # viewers kept between requests (gateway.session_cache)
