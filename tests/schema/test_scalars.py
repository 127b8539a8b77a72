"""The schema's Decimal, Date and DateTime: what decodes, and what is BAD_USER_INPUT."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from gateway.errors import BadUserInput
from gateway.schema.scalars import parse_date, parse_datetime, parse_decimal


@pytest.mark.parametrize(
    ("given", "decoded"),
    [
        ("12.50", Decimal("12.50")),
        (" -0.000001 ", Decimal("-0.000001")),
        ("999999999999.999999", Decimal("999999999999.999999")),
        ("1.5000000000", Decimal("1.5")),
        (12, Decimal(12)),
        (12.5, Decimal("12.5")),
        ("1E+3", Decimal(1000)),
    ],
)
def test_finite_decimals_within_bounds_decode(given: object, decoded: Decimal) -> None:
    assert parse_decimal(given) == decoded


@pytest.mark.parametrize(
    "given",
    [
        "NaN",
        "-nan",
        "sNaN",
        "Infinity",
        "-Infinity",
        "inf",
        float("inf"),
        float("nan"),
        "1E+999999",
        "1E-999999",
        "1e12",
        "-1000000000000",
        "0.0000001",
        "1" * 41,
        "",
        "12,50",
        "abc",
        True,
        None,
        ["1"],
    ],
)
def test_anything_else_is_bad_user_input(given: object) -> None:
    with pytest.raises(BadUserInput):
        parse_decimal(given)


def test_dates_decode_within_1900_to_2999() -> None:
    assert parse_date("1900-01-01") == dt.date(1900, 1, 1)
    assert parse_date("2999-12-31") == dt.date(2999, 12, 31)
    assert parse_datetime("2026-10-25T02:15:00+01:00") == dt.datetime(
        2026, 10, 25, 2, 15, tzinfo=dt.timezone(dt.timedelta(hours=1))
    )


@pytest.mark.parametrize(
    "given", ["0001-01-01", "1899-12-31", "3000-01-01", "9999-12-31", "2026-02-30", "", 20260101]
)
def test_dates_outside_or_malformed_are_bad_user_input(given: object) -> None:
    with pytest.raises(BadUserInput):
        parse_date(given)


@pytest.mark.parametrize("given", ["9999-12-31T23:59:59+00:00", "0001-01-01T00:00:00", "yesterday", 0])
def test_date_times_outside_or_malformed_are_bad_user_input(given: object) -> None:
    with pytest.raises(BadUserInput):
        parse_datetime(given)
