"""Tolerance against the contracted values, and gate closure.

Gate closure: a submission is accepted while ``now < deadline``; at the deadline itself
the gate is closed. Deadlines are Europe/Prague wall times, the defaults (configurable
through ``GateClosureRules``, built from the settings ``GATEWAY_NOMINATION_*_GATE``) being:

    weekly values         Thursday 12:00 of the week before (4 days before the Monday)   "4 12:00"
    daily refinement      09:00 on the day before                                        "1 09:00"
    monthly refinement    the 20th of the month before, 12:00                            "20 12:00"

A setting is ``"<day> <HH:MM>"``: for weekly and daily, the days before the week's Monday or
the day (0 to 28); for monthly, the day of the month before (1 to 28, which every month has).

The real system's deadlines are unverified (DOMAIN.md section 4); keep these in step with
the nomination system's configuration.

Tolerance: each submitted value may deviate from the contracted value of the same
interval by at most ``tolerance_percent`` of it (so a contracted zero allows only zero);
a monthly refinement likewise against the month's contracted MWh.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from gateway.domain.nomination import (
    Interval,
    NominationContract,
    NominationKind,
    NominationProblem,
    ProblemKind,
)
from gateway.nomination.intervals import (
    UTC,
    day_starts,
    describe,
    first_series_problem,
    local_datetime,
    value_problem,
    week_starts,
)
from gateway.nomination.problems import NominationRejected


@dataclass(frozen=True, slots=True)
class GateClosureRules:
    weekly_days_before: int = 4  # Monday minus 4 days: the Thursday before
    weekly_time: dt.time = dt.time(12, 0)
    daily_days_before: int = 1
    daily_time: dt.time = dt.time(9, 0)
    monthly_day_of_month_before: int = 20
    monthly_time: dt.time = dt.time(12, 0)

    @classmethod
    def parse(cls, *, weekly: str, daily: str, monthly: str) -> GateClosureRules:
        """Rules from three ``"<day> <HH:MM>"`` settings; ``ValueError`` when one is malformed."""
        weekly_days, weekly_time = parse_gate(weekly, days=DAYS_BEFORE)
        daily_days, daily_time = parse_gate(daily, days=DAYS_BEFORE)
        monthly_day, monthly_time = parse_gate(monthly, days=DAY_OF_MONTH)
        return cls(weekly_days, weekly_time, daily_days, daily_time, monthly_day, monthly_time)


DEFAULT_GATE_CLOSURE = GateClosureRules()
DAYS_BEFORE = range(0, 29)
DAY_OF_MONTH = range(1, 29)
_GATE = re.compile(r"(\d{1,2}) +([01]?\d|2[0-3]):([0-5]\d)")


def parse_gate(text: str, *, days: range) -> tuple[int, dt.time]:
    """``"4 12:00"`` as ``(4, time(12, 0))``; the day must lie in ``days``."""
    match = _GATE.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"expected '<day> <HH:MM>', such as '4 12:00'; got {text!r}")
    day, hour, minute = (int(part) for part in match.groups())
    if day not in days:
        raise ValueError(f"the day must be {days.start} to {days.stop - 1}; got {text!r}")
    return day, dt.time(hour, minute)


def weekly_gate_closure(week_start: dt.date, rules: GateClosureRules = DEFAULT_GATE_CLOSURE) -> dt.datetime:
    return local_datetime(week_start - dt.timedelta(days=rules.weekly_days_before), rules.weekly_time)


def daily_gate_closure(day: dt.date, rules: GateClosureRules = DEFAULT_GATE_CLOSURE) -> dt.datetime:
    return local_datetime(day - dt.timedelta(days=rules.daily_days_before), rules.daily_time)


def monthly_gate_closure(month: dt.date, rules: GateClosureRules = DEFAULT_GATE_CLOSURE) -> dt.datetime:
    month_before = (month.replace(day=1) - dt.timedelta(days=1)).replace(
        day=rules.monthly_day_of_month_before
    )
    return local_datetime(month_before, rules.monthly_time)


def gate_problem(
    *, kind: NominationKind, deadline: dt.datetime, now: dt.datetime
) -> NominationProblem | None:
    """``GATE_CLOSED`` once ``now`` has reached ``deadline``; both must be aware."""
    if now.astimezone(UTC) < deadline.astimezone(UTC):
        return None
    what = {
        NominationKind.WEEKLY: "Weekly values",
        NominationKind.DAILY: "The daily refinement",
        NominationKind.MONTHLY: "The monthly refinement",
    }[kind]
    return NominationProblem(
        ProblemKind.GATE_CLOSED,
        f"{what} for this period closed at {describe(deadline)}; it is now {describe(now)}.",
    )


def allowed_deviation(contracted: Decimal, tolerance_percent: Decimal) -> Decimal:
    return abs(contracted) * tolerance_percent / Decimal(100)


def first_tolerance_problem(
    submitted: Sequence[Interval], contracted: Sequence[Interval], *, tolerance_percent: Decimal
) -> NominationProblem | None:
    """The first submitted value further than the tolerance from its contracted value.

    Matches intervals by instant; ``submitted`` should already have passed
    ``first_series_problem``. A start with no contracted value is ``OUT_OF_RANGE``.
    """
    by_instant = {interval.start.astimezone(UTC): interval.value_mw for interval in contracted}
    for index, interval in enumerate(submitted):
        shown = describe(interval.start)
        agreed = by_instant.get(interval.start.astimezone(UTC))
        if agreed is None:
            return NominationProblem(
                ProblemKind.OUT_OF_RANGE,
                f"The interval at position {index} ({shown}) has no contracted value.",
                index=index,
                start=interval.start,
            )
        if abs(interval.value_mw - agreed) > allowed_deviation(agreed, tolerance_percent):
            return NominationProblem(
                ProblemKind.OUT_OF_TOLERANCE,
                f"The value at position {index} ({shown}), {interval.value_mw} MW, is more than "
                f"{tolerance_percent} % from the contracted {agreed} MW.",
                index=index,
                start=interval.start,
            )
    return None


def monthly_tolerance_problem(
    refined_mwh: Decimal, contracted_mwh: Decimal, *, tolerance_percent: Decimal
) -> NominationProblem | None:
    if abs(refined_mwh - contracted_mwh) <= allowed_deviation(contracted_mwh, tolerance_percent):
        return None
    return NominationProblem(
        ProblemKind.OUT_OF_TOLERANCE,
        f"The monthly value, {refined_mwh} MWh, is more than {tolerance_percent} % "
        f"from the contracted {contracted_mwh} MWh.",
    )


def weekly_problem(
    *,
    contract: NominationContract,
    week_start: dt.date,
    series: Sequence[Interval],
    contracted: Sequence[Interval],
    now: dt.datetime,
    rules: GateClosureRules = DEFAULT_GATE_CLOSURE,
) -> NominationProblem | None:
    """Why weekly values are refused, or ``None``: the gate first, then the series, then tolerance."""
    return (
        gate_problem(kind=NominationKind.WEEKLY, deadline=weekly_gate_closure(week_start, rules), now=now)
        or first_series_problem(series, week_starts(week_start, contract.resolution), contract.resolution)
        or first_tolerance_problem(series, contracted, tolerance_percent=contract.tolerance_percent)
    )


def daily_problem(
    *,
    contract: NominationContract,
    day: dt.date,
    series: Sequence[Interval],
    contracted: Sequence[Interval],
    now: dt.datetime,
    rules: GateClosureRules = DEFAULT_GATE_CLOSURE,
) -> NominationProblem | None:
    return (
        gate_problem(kind=NominationKind.DAILY, deadline=daily_gate_closure(day, rules), now=now)
        or first_series_problem(series, day_starts(day, contract.resolution), contract.resolution)
        or first_tolerance_problem(series, contracted, tolerance_percent=contract.tolerance_percent)
    )


def monthly_problem(
    *,
    contract: NominationContract,
    month: dt.date,
    refined_mwh: Decimal,
    now: dt.datetime,
    rules: GateClosureRules = DEFAULT_GATE_CLOSURE,
) -> NominationProblem | None:
    contracted_mwh = contract.contracted_mwh(month)
    if contracted_mwh is None:
        return NominationProblem(ProblemKind.OUT_OF_RANGE, f"The contract has no volume for {month:%Y-%m}.")
    return (
        gate_problem(kind=NominationKind.MONTHLY, deadline=monthly_gate_closure(month, rules), now=now)
        or value_problem_of_month(refined_mwh)
        or monthly_tolerance_problem(
            refined_mwh, contracted_mwh, tolerance_percent=contract.tolerance_percent
        )
    )


def value_problem_of_month(refined_mwh: Decimal) -> NominationProblem | None:
    refused = value_problem(refined_mwh)
    if refused is None:
        return None
    kind, why = refused
    return NominationProblem(kind, f"The monthly value {why}.")


def raise_for(problem: NominationProblem | None) -> None:
    """Raise ``NominationRejected`` for a problem; do nothing for ``None``."""
    if problem is not None:
        raise NominationRejected([problem])
