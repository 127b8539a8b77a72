"""A week (or day) of values as CSV, parsed into the same typed series as the list input.

The format::

    start,value_mw
    2026-03-23T00:00:00+01:00,12.5
    2026-03-23T00:15:00+01:00,12.625
    ...

- UTF-8 (a byte-order mark, as Excel writes it, is ignored); one header line, then one
  line per interval in time order. Blank lines are ignored; lines starting with ``#``
  are comments.
- Header ``start,value_mw`` (case and surrounding spaces ignored). The delimiter is a
  comma, or a semicolon when the header uses one (Czech Excel): ``start;value_mw``.
- ``start``: ISO 8601 with a UTC offset (``+01:00``, ``+02:00`` or ``Z``); the offset is
  required, it is what tells apart the two 02:00-03:00 hours of the autumn DST change.
- ``value_mw``: the average power in MW, not negative, at most 3 decimals, with a
  decimal point or a decimal comma (``12.5`` or ``12,5``; with the comma delimiter a
  decimal comma needs quotes: ``"12,5"``). No thousands separators.

Positions count intervals from 0 (``NominationError.position``, the field path
``input.intervals.3`` and every message: "the interval at position 3"); lines count the
file's lines from 1, as an editor does (``NominationError.line``), and every message about
a CSV starts with its line ("Line 5: ..."). After parsing, the series goes through the
same checks as the typed list (``intervals.first_series_problem``), and a problem found
there is given the line of the offending position too (``week_problem_with_lines``).
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

from gateway.domain.nomination import Interval, NominationProblem, ProblemKind, Resolution
from gateway.nomination.intervals import first_series_problem, week_starts
from gateway.nomination.problems import NominationRejected

HEADER = ("start", "value_mw")
MAX_LINES = 10_000  # a week of quarter-hours is at most 676 lines


@dataclass(frozen=True, slots=True)
class CsvSeries:
    intervals: tuple[Interval, ...]
    lines: tuple[int, ...]  # the 1-based file line of each interval

    def locate(self, problem: NominationProblem) -> NominationProblem:
        """``problem`` with the line of its position (in ``line`` and at the start of its
        message, like every CSV message), when that position is in the file."""
        if problem.index is None or problem.line is not None:
            return problem
        if problem.index < len(self.lines):
            line = self.lines[problem.index]
        else:
            line = (self.lines[-1] + 1) if self.lines else 2
        return replace(problem, line=line, message=f"Line {line}: {problem.message}")


def _malformed(line: int, message: str) -> NominationRejected:
    return NominationRejected(
        [NominationProblem(ProblemKind.MALFORMED_CSV, f"Line {line}: {message}", line=line)]
    )


def _parse_value(text: str, line: int) -> Decimal:
    cleaned = text.strip().replace(",", ".", 1)
    if not cleaned or "," in cleaned or any(c in cleaned for c in " _'"):
        raise _malformed(line, f"{text!r} is not a number (write 12.5 or 12,5).")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise _malformed(line, f"{text!r} is not a number (write 12.5 or 12,5).") from None
    if not value.is_finite():
        raise NominationRejected(
            [
                NominationProblem(
                    ProblemKind.NOT_A_NUMBER, f"Line {line}: {text!r} is not a number.", line=line
                )
            ]
        )
    return value


def _parse_start(text: str, line: int) -> dt.datetime:
    try:
        start = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise _malformed(
            line, f"{text!r} is not an ISO 8601 date and time (e.g. 2026-03-23T00:15:00+01:00)."
        ) from None
    if start.tzinfo is None:
        raise NominationRejected(
            [
                NominationProblem(
                    ProblemKind.MISSING_OFFSET,
                    f"Line {line}: {text.strip()!r} has no UTC offset (add +01:00 or +02:00).",
                    line=line,
                )
            ]
        )
    return start


def parse_series_csv(text: str | bytes) -> CsvSeries:
    """Parse the CSV above; raise ``NominationRejected`` naming the first bad line."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise _malformed(1, "the file is not UTF-8 text.") from None
    text = text.removeprefix("\ufeff")
    rows = text.splitlines()
    if len(rows) > MAX_LINES:
        raise _malformed(MAX_LINES + 1, f"the file has more than {MAX_LINES} lines.")
    header_at = next(
        (n for n, row in enumerate(rows, 1) if row.strip() and not row.lstrip().startswith("#")), None
    )
    if header_at is None:
        raise _malformed(1, "the file is empty; expected the header start,value_mw.")
    header_line = rows[header_at - 1]
    delimiter = ";" if ";" in header_line else ","
    header = tuple(cell.strip().lower() for cell in header_line.split(delimiter))
    if header != HEADER:
        raise _malformed(
            header_at, f"expected the header start{delimiter}value_mw, found {header_line.strip()!r}."
        )
    intervals: list[Interval] = []
    lines: list[int] = []
    for number in range(header_at + 1, len(rows) + 1):
        row = rows[number - 1]
        if not row.strip() or row.lstrip().startswith("#"):
            continue
        try:
            cells = next(csv.reader([row], delimiter=delimiter, strict=True))
        except csv.Error:
            raise _malformed(number, "the line is not valid CSV.") from None
        if len(cells) != 2:
            raise _malformed(number, f"expected 2 fields (start, value_mw), found {len(cells)}.")
        intervals.append(Interval(_parse_start(cells[0], number), _parse_value(cells[1], number)))
        lines.append(number)
    return CsvSeries(tuple(intervals), tuple(lines))


def week_problem_with_lines(
    text: str | bytes, *, week_start: dt.date, resolution: Resolution
) -> tuple[CsvSeries | None, NominationProblem | None]:
    """Parse a week of values and check its structure; the problem, if any, names its line.

    Tolerance and gate closure are the submission's checks (``validation``), the same as
    for the typed list; apply ``CsvSeries.locate`` to their problem to add its line.
    """
    try:
        series = parse_series_csv(text)
    except NominationRejected as rejected:
        return None, rejected.problems[0]
    problem = first_series_problem(series.intervals, week_starts(week_start, resolution), resolution)
    return series, (series.locate(problem) if problem is not None else None)


__all__: Sequence[str] = ["CsvSeries", "parse_series_csv", "week_problem_with_lines"]
