"""The scalars every argument decodes through, bounded to what a back end can take.

Strawberry's own ``Decimal``, ``Date`` and ``DateTime`` accept ``NaN``, ``Infinity``,
``1E+999999`` or the year 1: values no back end can store, that make formatting and
arithmetic blow up, and that once reached billing (which failed, was retried, and opened its
circuit breaker for everyone). The schema replaces them (``scalar_overrides``) with these,
under the same names, so every input of those types, in any input object, argument or
variable, is checked here once; what does not decode is ``BAD_USER_INPUT`` before anything
is called. Fields keep their own rules (two decimals for CZK, three for MW) on top.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from strawberry.types.scalar import ScalarDefinition

from gateway.errors import BadUserInput

MAX_TEXT = 40  # characters of a decimal, date or date-time as sent
DECIMAL_LIMIT = Decimal(10) ** 12  # exclusive: twelve digits before the point
DECIMAL_STEP = Decimal("0.000001")  # at most six after it
# What each scalar's text follows (``@specifiedBy``): Python's ``str(Decimal)`` is the General
# Decimal Arithmetic's to-scientific-string; dates and times are RFC 3339's profile of ISO 8601.
DECIMAL_SPEC = "https://speleotrove.com/decimal/daconvs.html#reftostr"
DATE_SPEC = "https://datatracker.ietf.org/doc/html/rfc3339#section-5.6"
DATETIME_SPEC = "https://datatracker.ietf.org/doc/html/rfc3339#section-5.6"
EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2999, 12, 31)


def _text(value: object, kind: str) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise BadUserInput(f"Not {kind}.")
    text = str(value).strip()
    if len(text) > MAX_TEXT:
        raise BadUserInput(f"Not {kind}: longer than {MAX_TEXT} characters.")
    return text


def parse_decimal(value: object) -> Decimal:
    """A finite number below 10^12 in size with at most six decimals; ``BadUserInput`` otherwise."""
    text = _text(value, "a decimal number")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise BadUserInput("Not a decimal number.") from None
    if not number.is_finite():
        raise BadUserInput("Not a finite decimal number.")
    if number.adjusted() >= 12:  # checked before any arithmetic: 1E+999999 is cheap to hold only
        raise BadUserInput("A decimal number must be smaller than 10^12 in size.")
    if number != number.quantize(DECIMAL_STEP):
        raise BadUserInput("A decimal number may have at most six decimals.")
    return number


def _in_range(day: dt.date) -> None:
    if not EARLIEST <= day <= LATEST:
        raise BadUserInput(f"A date must be between {EARLIEST.isoformat()} and {LATEST.isoformat()}.")


def parse_date(value: object) -> dt.date:
    """An ISO 8601 date from 1900-01-01 to 2999-12-31; ``BadUserInput`` otherwise."""
    if not isinstance(value, str):
        raise BadUserInput("Not a date: give YYYY-MM-DD.")
    try:
        day = dt.date.fromisoformat(_text(value, "a date"))
    except ValueError:
        raise BadUserInput("Not a date: give YYYY-MM-DD.") from None
    _in_range(day)
    return day


def parse_datetime(value: object) -> dt.datetime:
    """An ISO 8601 date and time within the years of ``parse_date``; ``BadUserInput`` otherwise."""
    if not isinstance(value, str):
        raise BadUserInput("Not a date and time: give ISO 8601.")
    try:
        moment = dt.datetime.fromisoformat(_text(value, "a date and time"))
    except ValueError:
        raise BadUserInput("Not a date and time: give ISO 8601.") from None
    _in_range(moment.date())
    return moment


def _isoformat(value: Any) -> str:
    text: str = value.isoformat()
    return text


DECIMAL = ScalarDefinition(
    name="Decimal",
    description="A decimal number as a string (`12.50`), never a float: finite, under 10^12, at most "
    "six decimals. Sent as a string or a number; answered as a string (money: two decimals, MW and "
    "MWh: up to three).",
    specified_by_url=DECIMAL_SPEC,
    serialize=str,
    parse_value=parse_decimal,
    parse_literal=None,
    origin=Decimal,
)
DATE = ScalarDefinition(
    name="Date",
    description="A calendar day, ISO 8601 / RFC 3339 `full-date` (`2026-03-23`), from 1900-01-01 to "
    "2999-12-31; a day in Europe/Prague unless a field says otherwise.",
    specified_by_url=DATE_SPEC,
    serialize=_isoformat,
    parse_value=parse_date,
    parse_literal=None,
    origin=dt.date,
)
DATETIME = ScalarDefinition(
    name="DateTime",
    description="A moment, ISO 8601 / RFC 3339 `date-time` with its UTC offset "
    "(`2026-03-23T00:15:00+01:00`), years 1900 to 2999.",
    specified_by_url=DATETIME_SPEC,
    serialize=_isoformat,
    parse_value=parse_datetime,
    parse_literal=None,
    origin=dt.datetime,
)
SCALAR_OVERRIDES: dict[object, ScalarDefinition] = {Decimal: DECIMAL, dt.date: DATE, dt.datetime: DATETIME}
