"""What the gateway needs from the nomination system."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from gateway.domain.nomination import (
    DailyRefinement,
    Interval,
    MonthlyRefinement,
    NominationContract,
    Resolution,
    SubmissionReceipt,
    WeeklyNomination,
    WeekStatus,
)


@dataclass(frozen=True, slots=True)
class NominationPeriod:
    """A batch key: a customer number and the first local day of a week (a Monday), a day
    or a month (the 1st)."""

    customer_number: str
    start: dt.date


class NominationBackend(Protocol):
    async def contracts(self, customer_numbers: Sequence[str]) -> list[NominationContract | None]:
        """Each customer's nomination contract, in order; ``None`` for a customer without one."""

    async def weeks(self, periods: Sequence[NominationPeriod]) -> list[WeeklyNomination | None]:
        """``None`` without a contract or for a week outside it. A start must be a Monday."""

    async def days(self, periods: Sequence[NominationPeriod]) -> list[DailyRefinement | None]: ...

    async def months(self, periods: Sequence[NominationPeriod]) -> list[MonthlyRefinement | None]: ...

    async def week_statuses(self, week_starts: Sequence[dt.date]) -> list[WeekStatus]:
        """For each week (its Monday), who of the roster of large consumers has submitted its
        weekly values and when its gate closes. ``BadUserInput``-worthy starts (not a Monday)
        are the caller's to refuse; the system's refusal is ``BackendRejected``."""

    async def submit_week(
        self,
        *,
        customer_number: str,
        week_start: dt.date,
        resolution: Resolution,
        intervals: Sequence[Interval],
    ) -> SubmissionReceipt:
        """``intervals``: the week's, in order, on the contract's ``resolution``.

        Raise ``NominationRejected`` (positioned problems) when the system refuses the
        values, ``NotFound`` without a contract, ``BackendError`` when it cannot answer.
        """

    async def submit_day(
        self, *, customer_number: str, day: dt.date, resolution: Resolution, intervals: Sequence[Interval]
    ) -> SubmissionReceipt: ...

    async def submit_month(
        self, *, customer_number: str, month: dt.date, refined_mwh: Decimal
    ) -> SubmissionReceipt: ...

    async def ping(self) -> None:
        """Raise ``BackendError`` unless the back end answers."""
