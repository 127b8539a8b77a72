"""The Europe/Prague trading calendar and the structural check of a submitted series.

A local day has 96 quarter-hours (24 hours), 92 (23) on the spring-forward Sunday and
100 (25) on the fall-back Sunday; a Monday-to-Sunday week holding a change has 167 or
169 hours. Interval starts are produced by stepping in UTC from local midnight and
converting back, never by naive local arithmetic, and are compared by instant: two
starts in the repeated 02:00-03:00 hour share a wall time and differ only in offset.

An input start may carry any UTC offset (``Z``, ``+01:00``, ``+02:00``): the instant
counts, so ``02:15+01:00`` and ``02:15+02:00`` on 2026-10-25 are two different intervals.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from zoneinfo import ZoneInfo

from gateway.domain.nomination import Interval, NominationProblem, ProblemKind, Resolution

PRAGUE = ZoneInfo("Europe/Prague")
UTC = dt.UTC
MW_DECIMALS = 3  # the precision the nomination system keeps, as OTE does for MWh


def local_datetime(day: dt.date, time: dt.time) -> dt.datetime:
    """``time`` on ``day`` in Prague; the earlier instant of an ambiguous wall time, and a
    wall time that does not exist (02:30 on the spring-forward day) moved past the gap."""
    naive = dt.datetime.combine(day, time)
    return naive.replace(tzinfo=PRAGUE, fold=0).astimezone(UTC).astimezone(PRAGUE)


def local_midnight(day: dt.date) -> dt.datetime:
    return local_datetime(day, dt.time(0, 0))


def interval_starts(start: dt.datetime, end: dt.datetime, resolution: Resolution) -> tuple[dt.datetime, ...]:
    """Starts in ``[start, end)``, stepped in UTC, each expressed in Prague time."""
    step = resolution.step
    moment = start.astimezone(UTC)
    stop = end.astimezone(UTC)
    starts: list[dt.datetime] = []
    while moment < stop:
        starts.append(moment.astimezone(PRAGUE))
        moment += step
    return tuple(starts)


def day_starts(day: dt.date, resolution: Resolution) -> tuple[dt.datetime, ...]:
    return interval_starts(local_midnight(day), local_midnight(day + dt.timedelta(days=1)), resolution)


def week_starts(week_start: dt.date, resolution: Resolution) -> tuple[dt.datetime, ...]:
    if week_start.weekday() != 0:
        raise ValueError(f"a nomination week starts on a Monday, not on {week_start:%A} {week_start}")
    return interval_starts(
        local_midnight(week_start), local_midnight(week_start + dt.timedelta(days=7)), resolution
    )


def month_starts(month: dt.date, resolution: Resolution) -> tuple[dt.datetime, ...]:
    first = month.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return interval_starts(local_midnight(first), local_midnight(following), resolution)


def energy_mwh(series: Sequence[Interval], resolution: Resolution) -> Decimal:
    return sum((interval.value_mw * resolution.hours for interval in series), Decimal(0))


def describe(start: dt.datetime) -> str:
    """A start as a client reads it: Prague wall time with its offset."""
    return start.astimezone(PRAGUE).isoformat(timespec="minutes")


def value_problem(value: Decimal, *, decimals: int = MW_DECIMALS) -> tuple[ProblemKind, str] | None:
    """Why a single value is refused, or ``None``: finite, not negative, ``decimals`` at most."""
    if not value.is_finite():
        return ProblemKind.NOT_A_NUMBER, "is not a number"
    if value < 0:
        return ProblemKind.NEGATIVE, f"is negative ({value})"
    exponent = value.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -decimals:
        return ProblemKind.TOO_MANY_DECIMALS, f"has more than {decimals} decimal places ({value})"
    return None


def first_series_problem(
    series: Sequence[Interval],
    expected: Sequence[dt.datetime],
    resolution: Resolution,
    *,
    decimals: int = MW_DECIMALS,
) -> NominationProblem | None:
    """The problem at the first bad position of ``series`` against ``expected`` starts.

    ``series`` must hold exactly the ``expected`` intervals, in order. Each position is
    checked for its start (offset, grid, range, duplicate, gap) and then its value; the
    first position with a problem is named, and a short series is ``MISSING`` at the
    position just past its end.
    """
    if not expected:
        raise ValueError("no intervals expected")
    first = expected[0].astimezone(UTC)
    end = expected[-1].astimezone(UTC) + resolution.step
    wanted = [start.astimezone(UTC) for start in expected]
    seen: set[dt.datetime] = set()
    for index, interval in enumerate(series):
        start = interval.start
        if start.tzinfo is None or start.utcoffset() is None:
            return NominationProblem(
                ProblemKind.MISSING_OFFSET,
                f"The interval at position {index} starts at {start.isoformat()} with no UTC offset.",
                index=index,
            )
        instant = start.astimezone(UTC)
        shown = describe(start)
        if (instant - first) % resolution.step:
            grid = "quarter-hour" if resolution is Resolution.QUARTER_HOUR else "hour"
            return NominationProblem(
                ProblemKind.MISALIGNED,
                f"The interval at position {index} starts at {shown}, off the {grid} grid.",
                index=index,
                start=start,
            )
        if not first <= instant < end:
            return NominationProblem(
                ProblemKind.OUT_OF_RANGE,
                f"The interval at position {index} starts at {shown}, outside the period "
                f"{describe(first)} to {describe(end)}.",
                index=index,
                start=start,
            )
        if instant in seen:
            return NominationProblem(
                ProblemKind.DUPLICATE,
                f"The interval at position {index} starts at {shown}, which an earlier interval "
                "already covers.",
                index=index,
                start=start,
            )
        seen.add(instant)
        if instant != wanted[index]:
            # Every earlier position matched, so an unseen later start means a gap here.
            return NominationProblem(
                ProblemKind.MISSING,
                f"The interval starting at {describe(wanted[index])} is missing (position {index}).",
                index=index,
                start=expected[index],
            )
        refused = value_problem(interval.value_mw, decimals=decimals)
        if refused is not None:
            kind, why = refused
            return NominationProblem(
                kind, f"The value at position {index} ({shown}) {why}.", index=index, start=start
            )
    if len(series) < len(wanted):
        index = len(series)
        return NominationProblem(
            ProblemKind.MISSING,
            f"The interval starting at {describe(wanted[index])} is missing (position {index}); "
            f"{len(wanted)} intervals are expected, {len(series)} were given.",
            index=index,
            start=expected[index],
        )
    return None
