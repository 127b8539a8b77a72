"""Recording, per GraphQL request, that some data was served stale.

The cache layer runs inside DataLoader batch tasks, which copy the request's
``contextvars`` context when they are created; a ``ContextVar`` set there would not
reach the request. So the request puts a mutable ``StaleServed`` into the variable
before executing, every task sees that same object, and the view reads it at the end.
"""

from __future__ import annotations

import contextvars
from dataclasses import dataclass, field


@dataclass
class StaleServed:
    """The largest age (seconds past its store time) of stale data served, per back end."""

    ages: dict[str, float] = field(default_factory=dict)

    def add(self, backend: str, age_seconds: float) -> None:
        self.ages[backend] = max(age_seconds, self.ages.get(backend, 0.0))

    def as_extension(self) -> list[dict[str, object]]:
        """What ``extensions.stale`` holds: ``[{"backend": "billing", "ageSeconds": 73}]``."""
        return [{"backend": b, "ageSeconds": round(age)} for b, age in sorted(self.ages.items())]


_current: contextvars.ContextVar[StaleServed | None] = contextvars.ContextVar("stale_served", default=None)


def begin_request() -> StaleServed:
    """A fresh record for the request running in this context."""
    served = StaleServed()
    _current.set(served)
    return served


def record(backend: str, age_seconds: float) -> None:
    served = _current.get()
    if served is not None:
        served.add(backend, age_seconds)
