import datetime as dt
from decimal import Decimal

import pytest

from gateway.domain.nomination import Interval, ProblemKind, Resolution
from gateway.nomination.intervals import (
    PRAGUE,
    UTC,
    day_starts,
    first_series_problem,
    local_datetime,
    month_starts,
    week_starts,
)

QH = Resolution.QUARTER_HOUR
ORDINARY_DAY = dt.date(2026, 3, 24)
SPRING_FORWARD = dt.date(2026, 3, 29)
FALL_BACK = dt.date(2026, 10, 25)


def series_of(starts: tuple[dt.datetime, ...], value: str = "10.5") -> list[Interval]:
    return [Interval(start, Decimal(value)) for start in starts]


@pytest.mark.parametrize(
    ("day", "quarter_hours", "hours"),
    [(ORDINARY_DAY, 96, 24), (SPRING_FORWARD, 92, 23), (FALL_BACK, 100, 25)],
)
def test_a_local_day_has_as_many_intervals_as_its_hours(day: dt.date, quarter_hours: int, hours: int) -> None:
    assert len(day_starts(day, QH)) == quarter_hours
    assert len(day_starts(day, Resolution.HOUR)) == hours


def test_the_spring_forward_day_skips_from_0145_to_0300() -> None:
    starts = day_starts(SPRING_FORWARD, QH)

    assert [s.isoformat() for s in starts[7:9]] == ["2026-03-29T01:45:00+01:00", "2026-03-29T03:00:00+02:00"]
    assert all(s.hour != 2 for s in starts)


def test_the_fall_back_day_has_the_0200_hour_twice_told_apart_by_offset() -> None:
    starts = day_starts(FALL_BACK, QH)

    at_two = [s.isoformat() for s in starts if s.hour == 2]
    assert at_two == [
        "2026-10-25T02:00:00+02:00",
        "2026-10-25T02:15:00+02:00",
        "2026-10-25T02:30:00+02:00",
        "2026-10-25T02:45:00+02:00",
        "2026-10-25T02:00:00+01:00",
        "2026-10-25T02:15:00+01:00",
        "2026-10-25T02:30:00+01:00",
        "2026-10-25T02:45:00+01:00",
    ]
    assert len({s.astimezone(UTC) for s in starts}) == 100


def test_every_day_ends_where_the_next_one_starts() -> None:
    starts = day_starts(FALL_BACK, QH)

    assert starts[0] == dt.datetime(2026, 10, 25, tzinfo=PRAGUE)
    assert starts[-1] + dt.timedelta(minutes=15) == dt.datetime(2026, 10, 26, tzinfo=PRAGUE)


@pytest.mark.parametrize(
    ("monday", "hours"),
    [(dt.date(2026, 3, 16), 168), (dt.date(2026, 3, 23), 167), (dt.date(2026, 10, 19), 169)],
)
def test_a_week_holding_a_dst_change_has_167_or_169_hours(monday: dt.date, hours: int) -> None:
    assert len(week_starts(monday, Resolution.HOUR)) == hours
    assert len(week_starts(monday, QH)) == hours * 4


def test_a_week_starts_on_a_monday() -> None:
    with pytest.raises(ValueError, match="Monday"):
        week_starts(dt.date(2026, 3, 24), QH)


def test_march_2026_has_one_hour_less_than_31_days() -> None:
    assert len(month_starts(dt.date(2026, 3, 1), Resolution.HOUR)) == 31 * 24 - 1


def test_a_wall_time_in_the_spring_gap_moves_past_it() -> None:
    assert local_datetime(SPRING_FORWARD, dt.time(2, 30)).isoformat() == "2026-03-29T03:30:00+02:00"


def test_a_complete_series_passes() -> None:
    assert first_series_problem(series_of(day_starts(FALL_BACK, QH)), day_starts(FALL_BACK, QH), QH) is None


def test_starts_may_be_given_in_utc_or_any_offset() -> None:
    expected = day_starts(FALL_BACK, QH)
    in_utc = series_of(tuple(s.astimezone(UTC) for s in expected))

    assert first_series_problem(in_utc, expected, QH) is None


def test_the_first_missing_interval_is_named() -> None:
    expected = day_starts(ORDINARY_DAY, QH)
    given = series_of(expected[:10] + expected[11:20] + expected[21:])

    problem = first_series_problem(given, expected, QH)

    assert problem is not None
    assert problem.kind is ProblemKind.MISSING
    assert problem.index == 10
    assert problem.start == expected[10]
    assert "2026-03-24T02:30+01:00" in problem.message


def test_a_short_series_is_missing_its_tail() -> None:
    expected = day_starts(SPRING_FORWARD, QH)

    problem = first_series_problem(series_of(expected[:90]), expected, QH)

    assert problem is not None
    assert (problem.kind, problem.index, problem.start) == (ProblemKind.MISSING, 90, expected[90])


def test_the_second_0200_hour_given_with_the_summer_offset_is_a_duplicate() -> None:
    expected = day_starts(FALL_BACK, QH)
    given = series_of(expected)
    # position 12 is 02:00+01:00; the client wrote the wall time with the wrong offset
    wrong = dt.datetime(2026, 10, 25, 2, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    given[12] = Interval(wrong, Decimal(1))

    problem = first_series_problem(given, expected, QH)

    assert problem is not None
    assert (problem.kind, problem.index) == (ProblemKind.DUPLICATE, 12)


def test_an_extra_interval_past_the_end_is_out_of_range() -> None:
    expected = day_starts(ORDINARY_DAY, QH)
    given = [*series_of(expected), Interval(dt.datetime(2026, 3, 25, tzinfo=PRAGUE), Decimal(1))]

    problem = first_series_problem(given, expected, QH)

    assert problem is not None
    assert (problem.kind, problem.index) == (ProblemKind.OUT_OF_RANGE, 96)


def test_a_start_off_the_grid_is_misaligned() -> None:
    expected = day_starts(ORDINARY_DAY, Resolution.HOUR)
    given = series_of(expected)
    given[5] = Interval(expected[5] + dt.timedelta(minutes=15), Decimal(1))

    problem = first_series_problem(given, expected, Resolution.HOUR)

    assert problem is not None
    assert (problem.kind, problem.index) == (ProblemKind.MISALIGNED, 5)


def test_a_naive_start_is_refused() -> None:
    expected = day_starts(ORDINARY_DAY, QH)
    given = series_of(expected)
    given[3] = Interval(expected[3].replace(tzinfo=None), Decimal(1))

    problem = first_series_problem(given, expected, QH)

    assert problem is not None
    assert (problem.kind, problem.index) == (ProblemKind.MISSING_OFFSET, 3)


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("-0.001", ProblemKind.NEGATIVE),
        ("1.0005", ProblemKind.TOO_MANY_DECIMALS),
        ("NaN", ProblemKind.NOT_A_NUMBER),
        ("Infinity", ProblemKind.NOT_A_NUMBER),
    ],
)
def test_a_bad_value_is_named_by_position(value: str, kind: ProblemKind) -> None:
    expected = day_starts(ORDINARY_DAY, QH)
    given = series_of(expected)
    given[40] = Interval(expected[40], Decimal(value))

    problem = first_series_problem(given, expected, QH)

    assert problem is not None
    assert (problem.kind, problem.index, problem.start) == (kind, 40, expected[40])


@pytest.mark.parametrize("value", ["0", "12.125", "12.1250000", "1E+2"])
def test_zero_three_decimals_and_trailing_zeros_are_accepted(value: str) -> None:
    expected = day_starts(ORDINARY_DAY, QH)

    assert first_series_problem(series_of(expected, value), expected, QH) is None


def test_only_the_first_of_several_problems_is_named() -> None:
    expected = day_starts(ORDINARY_DAY, QH)
    given = series_of(expected)
    given[50] = Interval(expected[50], Decimal(-1))
    given[20] = Interval(expected[20], Decimal("0.0001"))

    problem = first_series_problem(given, expected, QH)

    assert problem is not None
    assert problem.index == 20
