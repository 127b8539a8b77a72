import datetime as dt
from decimal import Decimal

import pytest

from gateway.domain.nomination import (
    Interval,
    MonthlyVolume,
    NominationContract,
    NominationKind,
    ProblemKind,
    Resolution,
)
from gateway.nomination.intervals import PRAGUE, day_starts, week_starts
from gateway.nomination.problems import NominationRejected
from gateway.nomination.validation import (
    GateClosureRules,
    daily_gate_closure,
    daily_problem,
    first_tolerance_problem,
    gate_problem,
    monthly_gate_closure,
    monthly_problem,
    raise_for,
    weekly_gate_closure,
    weekly_problem,
)

QH = Resolution.QUARTER_HOUR
MONDAY = dt.date(2026, 3, 23)  # the week of the spring-forward Sunday
CONTRACT = NominationContract(
    customer_number="3000045678",
    contract_number="NOM-3000045678",
    resolution=QH,
    tolerance_percent=Decimal(10),
    valid_from=dt.date(2026, 1, 1),
    valid_to=dt.date(2026, 12, 31),
    monthly_volumes=(MonthlyVolume(dt.date(2026, 4, 1), Decimal("7200.000")),),
)


def prague(text: str) -> dt.datetime:
    """A Prague wall time from ``YYYY-MM-DD HH:MM[:SS]``."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=PRAGUE)


def flat(starts: tuple[dt.datetime, ...], value: str) -> list[Interval]:
    return [Interval(s, Decimal(value)) for s in starts]


def test_default_deadlines() -> None:
    assert weekly_gate_closure(MONDAY) == prague("2026-03-19 12:00:00")
    assert daily_gate_closure(dt.date(2026, 3, 29)) == prague("2026-03-28 09:00:00")
    assert monthly_gate_closure(dt.date(2026, 4, 1)) == prague("2026-03-20 12:00:00")
    assert monthly_gate_closure(dt.date(2026, 1, 1)) == prague("2025-12-20 12:00:00")


def test_deadlines_keep_their_wall_time_across_a_dst_change() -> None:
    # the day before the autumn change is in summer time, the day itself in winter time
    assert daily_gate_closure(dt.date(2026, 10, 26)).isoformat() == "2026-10-25T09:00:00+01:00"
    assert daily_gate_closure(dt.date(2026, 10, 25)).isoformat() == "2026-10-24T09:00:00+02:00"


def test_deadlines_are_configurable() -> None:
    rules = GateClosureRules(daily_days_before=2, daily_time=dt.time(14, 30))

    assert daily_gate_closure(dt.date(2026, 5, 10), rules) == prague("2026-05-08 14:30:00")


@pytest.mark.parametrize(
    ("now", "closed"),
    [
        (prague("2026-03-28 08:59:59"), False),
        (prague("2026-03-28 09:00:00"), True),
        (prague("2026-03-28 09:00:01"), True),
        (dt.datetime(2026, 3, 28, 7, 59, tzinfo=dt.UTC), False),  # 08:59 in Prague
    ],
)
def test_the_gate_closes_at_the_deadline(now: dt.datetime, closed: bool) -> None:
    problem = gate_problem(
        kind=NominationKind.DAILY, deadline=daily_gate_closure(dt.date(2026, 3, 29)), now=now
    )

    assert (problem is not None) is closed
    if problem is not None:
        assert problem.kind is ProblemKind.GATE_CLOSED
        assert "2026-03-28T09:00+01:00" in problem.message


def test_tolerance_allows_the_band_and_names_the_first_value_beyond_it() -> None:
    starts = day_starts(dt.date(2026, 10, 25), QH)
    contracted = flat(starts, "20")
    submitted = flat(starts, "22")  # exactly +10 %
    submitted[13] = Interval(starts[13], Decimal("17.999"))  # the repeated hour, -10.005 %
    submitted[60] = Interval(starts[60], Decimal("30"))

    problem = first_tolerance_problem(submitted, contracted, tolerance_percent=Decimal(10))

    assert problem is not None
    assert (problem.kind, problem.index, problem.start) == (ProblemKind.OUT_OF_TOLERANCE, 13, starts[13])
    assert first_tolerance_problem(flat(starts, "22"), contracted, tolerance_percent=Decimal(10)) is None


def test_tolerance_matches_the_repeated_hour_by_instant_not_wall_time() -> None:
    starts = day_starts(dt.date(2026, 10, 25), QH)
    contracted = [
        Interval(s, Decimal(50) if s.utcoffset() == dt.timedelta(hours=1) else Decimal(10)) for s in starts
    ]
    # 02:00+02:00 (index 8) is summer time: contracted 10, so 50 is out of tolerance
    submitted = [Interval(s, c.value_mw) for s, c in zip(starts, contracted, strict=True)]
    submitted[8] = Interval(starts[8], Decimal(50))

    problem = first_tolerance_problem(submitted, contracted, tolerance_percent=Decimal(10))

    assert problem is not None
    assert problem.index == 8


def test_weekly_values_before_the_gate_within_tolerance_pass() -> None:
    starts = week_starts(MONDAY, QH)

    problem = weekly_problem(
        contract=CONTRACT,
        week_start=MONDAY,
        series=flat(starts, "10.5"),
        contracted=flat(starts, "10"),
        now=prague("2026-03-19 11:59:00"),
    )

    assert problem is None
    assert len(starts) == 668


def test_weekly_values_after_the_gate_are_late_whatever_they_hold() -> None:
    problem = weekly_problem(
        contract=CONTRACT,
        week_start=MONDAY,
        series=[],
        contracted=[],
        now=prague("2026-03-19 12:00:00"),
    )

    assert problem is not None
    assert problem.kind is ProblemKind.GATE_CLOSED


def test_a_daily_refinement_missing_an_interval_is_refused_before_tolerance() -> None:
    day = dt.date(2026, 3, 29)
    starts = day_starts(day, QH)

    problem = daily_problem(
        contract=CONTRACT,
        day=day,
        series=flat(starts[:-1], "99"),
        contracted=flat(starts, "10"),
        now=prague("2026-03-27 00:00:00"),
    )

    assert problem is not None
    assert (problem.kind, problem.index) == (ProblemKind.MISSING, 91)


@pytest.mark.parametrize(
    ("refined", "kind"),
    [
        ("7920", None),
        ("7920.001", ProblemKind.OUT_OF_TOLERANCE),
        ("6479.999", ProblemKind.OUT_OF_TOLERANCE),
        ("-1", ProblemKind.NEGATIVE),
        ("7000.0001", ProblemKind.TOO_MANY_DECIMALS),
    ],
)
def test_monthly_refinement(refined: str, kind: ProblemKind | None) -> None:
    problem = monthly_problem(
        contract=CONTRACT,
        month=dt.date(2026, 4, 1),
        refined_mwh=Decimal(refined),
        now=prague("2026-03-20 11:00:00"),
    )

    assert (problem.kind if problem else None) is kind


def test_a_month_outside_the_contract_is_out_of_range() -> None:
    problem = monthly_problem(
        contract=CONTRACT,
        month=dt.date(2026, 5, 1),
        refined_mwh=Decimal(1),
        now=prague("2026-03-20 11:00:00"),
    )

    assert problem is not None
    assert problem.kind is ProblemKind.OUT_OF_RANGE


def test_raise_for_raises_a_bad_user_input_carrying_the_problem() -> None:
    problem = gate_problem(
        kind=NominationKind.MONTHLY, deadline=prague("2026-03-20 12:00:00"), now=prague("2026-03-21 00:00:00")
    )

    with pytest.raises(NominationRejected) as raised:
        raise_for(problem)

    assert raised.value.problems == (problem,)
    assert raised.value.code.value == "BAD_USER_INPUT"
    raise_for(None)
