import datetime as dt
from decimal import Decimal

import pytest

from gateway.domain.nomination import ProblemKind, Resolution
from gateway.nomination.csv_input import parse_series_csv, week_problem_with_lines
from gateway.nomination.intervals import UTC, week_starts
from gateway.nomination.problems import NominationRejected

QH = Resolution.QUARTER_HOUR
FALL_BACK_WEEK = dt.date(2026, 10, 19)


def week_csv(monday: dt.date, *, delimiter: str = ",", value: str = "12.5") -> list[str]:
    rows = [f"start{delimiter}value_mw"]
    rows += [f"{s.isoformat()}{delimiter}{value}" for s in week_starts(monday, QH)]
    return rows


def test_a_week_of_values_parses_into_the_typed_series() -> None:
    text = "\n".join(week_csv(FALL_BACK_WEEK))

    series, problem = week_problem_with_lines(text, week_start=FALL_BACK_WEEK, resolution=QH)

    assert problem is None
    assert series is not None
    assert len(series.intervals) == 676
    assert [i.start.astimezone(UTC) for i in series.intervals] == [
        s.astimezone(UTC) for s in week_starts(FALL_BACK_WEEK, QH)
    ]
    assert series.intervals[0].value_mw == Decimal("12.5")


def test_czech_excel_style_semicolons_decimal_commas_bom_and_crlf() -> None:
    text = "\ufeff" + "\r\n".join(week_csv(FALL_BACK_WEEK, delimiter=";", value="12,125")) + "\r\n"

    series, problem = week_problem_with_lines(text.encode(), week_start=FALL_BACK_WEEK, resolution=QH)

    assert problem is None
    assert series is not None
    assert {i.value_mw for i in series.intervals} == {Decimal("12.125")}


def test_a_quoted_decimal_comma_with_the_comma_delimiter() -> None:
    series = parse_series_csv('start,value_mw\n2026-10-19T00:00:00+02:00,"7,25"\n')

    assert series.intervals[0].value_mw == Decimal("7.25")
    assert series.lines == (2,)


def test_blank_and_comment_lines_are_skipped_and_lines_keep_their_numbers() -> None:
    series = parse_series_csv(
        "# week 43\nstart,value_mw\n\n2026-10-19T00:00:00+02:00,1\n# note\n2026-10-19T00:15:00+02:00,2\n"
    )

    assert series.lines == (4, 6)


def test_a_structural_problem_names_its_file_line() -> None:
    rows = week_csv(FALL_BACK_WEEK)
    del rows[101]  # position 100, on line 102 (the header is line 1)

    series, problem = week_problem_with_lines("\n".join(rows), week_start=FALL_BACK_WEEK, resolution=QH)

    assert series is not None
    assert problem is not None
    assert (problem.kind, problem.index, problem.line) == (ProblemKind.MISSING, 100, 102)


def test_a_negative_value_names_its_line() -> None:
    rows = week_csv(FALL_BACK_WEEK)
    start, _ = rows[10].split(",")
    rows[10] = f"{start},-3"

    _, problem = week_problem_with_lines("\n".join(rows), week_start=FALL_BACK_WEEK, resolution=QH)

    assert problem is not None
    assert (problem.kind, problem.index, problem.line) == (ProblemKind.NEGATIVE, 9, 11)


def test_messages_count_positions_from_0_like_the_position_field_and_lines_from_1() -> None:
    # given: one convention: positions from 0 (`position`, the field path, messages), file lines from 1
    rows = week_csv(FALL_BACK_WEEK)
    start, _ = rows[10].split(",")
    rows[10] = f"{start},-3"
    missing = week_csv(FALL_BACK_WEEK)
    del missing[101]

    # when
    _, negative = week_problem_with_lines("\n".join(rows), week_start=FALL_BACK_WEEK, resolution=QH)
    _, gap = week_problem_with_lines("\n".join(missing), week_start=FALL_BACK_WEEK, resolution=QH)

    # then
    assert negative is not None and gap is not None
    assert negative.message.startswith("Line 11: The value at position 9 (")
    assert (negative.index, negative.line) == (9, 11)
    assert gap.message.startswith("Line 102: The interval starting at ")
    assert "(position 100)" in gap.message
    assert (gap.index, gap.line) == (100, 102)


@pytest.mark.parametrize(
    ("line", "kind", "fragment"),
    [
        ("2026-10-19T00:15:00+02:00,12.5,3", ProblemKind.MALFORMED_CSV, "expected 2 fields"),
        ("2026-10-19 00:15,12.5", ProblemKind.MISSING_OFFSET, "no UTC offset"),
        ("19.10.2026 00:15,12.5", ProblemKind.MALFORMED_CSV, "ISO 8601"),
        ("2026-10-19T00:15:00+02:00,12 5", ProblemKind.MALFORMED_CSV, "not a number"),
        ("2026-10-19T00:15:00+02:00,1.234.5", ProblemKind.MALFORMED_CSV, "not a number"),
        ("2026-10-19T00:15:00+02:00,", ProblemKind.MALFORMED_CSV, "not a number"),
        ("2026-10-19T00:15:00+02:00,inf", ProblemKind.NOT_A_NUMBER, "not a number"),
    ],
)
def test_a_malformed_line_is_named(line: str, kind: ProblemKind, fragment: str) -> None:
    text = f"start,value_mw\n2026-10-19T00:00:00+02:00,12.5\n{line}\n"

    with pytest.raises(NominationRejected) as raised:
        parse_series_csv(text)

    [problem] = raised.value.problems
    assert (problem.kind, problem.line) == (kind, 3)
    assert problem.message.startswith("Line 3:")
    assert fragment in problem.message


@pytest.mark.parametrize("text", ["", "\n# only a comment\n", "time,mw\n2026-10-19T00:00:00+02:00,1\n"])
def test_a_missing_or_wrong_header_is_refused(text: str) -> None:
    series, problem = week_problem_with_lines(text, week_start=FALL_BACK_WEEK, resolution=QH)

    assert series is None
    assert problem is not None
    assert problem.kind is ProblemKind.MALFORMED_CSV


def test_a_file_that_is_not_utf8_is_refused() -> None:
    with pytest.raises(NominationRejected, match="UTF-8"):
        parse_series_csv(b"start,value_mw\n\xff\xfe")
