"""Choosing the language, rendering a raised message in it, and Czech dates and amounts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from gateway.i18n import czech
from gateway.i18n.language import from_accept_language
from gateway.i18n.translate import translate
from gateway.requests.validation import TerminationReason


@pytest.mark.parametrize(
    ("header", "language"),
    [
        (None, "cs"),
        ("", "cs"),
        ("de-DE", "cs"),
        ("*", "cs"),
        ("cs-CZ,cs;q=0.9,en;q=0.8", "cs"),
        ("en-GB", "en"),
        ("de-DE, en;q=0.7, cs;q=0.5", "en"),
        ("en;q=0.4, cs;q=0.6", "cs"),
        ("en;q=0", "cs"),
    ],
)
def test_czech_unless_english_is_preferred(header: str | None, language: str) -> None:
    assert from_accept_language(header) == language


def test_a_message_with_values_is_rendered_with_them_in_czech() -> None:
    assert translate("`first` must be between 0 and 100.", "cs") == "`first` musí být mezi 0 a 100."
    assert (
        translate("The billing system is not available right now.", "cs")
        == "Systém billing teď není dostupný."
    )


def test_english_is_the_message_as_raised() -> None:
    assert translate("You need to log in.", "en") == "You need to log in."


def test_joined_sentences_and_nested_messages_are_translated_each() -> None:
    joined = "The password needs at least 10 characters. The password must not contain the login."
    nested = "Line 7: The value of interval 3 (2026-03-23T00:30:00+01:00) is not a number."

    assert (
        translate(joined, "cs")
        == "Heslo musí mít alespoň 10 znaků. Heslo nesmí obsahovat přihlašovací jméno."
    )
    assert translate(nested, "cs") == "Řádek 7: Hodnota intervalu 3 (2026-03-23T00:30:00+01:00) není číslo."


def test_an_unknown_message_is_said_in_czech_by_its_code_and_a_developers_message_stays() -> None:
    assert translate("Something new nobody catalogued.", "cs", code="BAD_USER_INPUT") == (
        "Zadané hodnoty nejsou platné."
    )
    validation = "Cannot query field 'x' on type 'Query'."
    assert translate(validation, "cs", code="GRAPHQL_VALIDATION_FAILED") == validation
    coercion = "Variable '$commodity' got invalid value 'WATER'."
    assert translate(coercion, "cs", code="BAD_USER_INPUT", developer=True) == coercion


def test_czech_dates_and_amounts() -> None:
    assert czech.date(dt.date(2026, 3, 3)) == "3. 3. 2026"
    assert czech.amount(Decimal("1500.00")) == "1\u00a0500 Kč"
    assert czech.amount(Decimal("1234567.5")) == "1\u00a0234\u00a0567,50 Kč"
    assert czech.amount(Decimal("-20")) == "-20 Kč"
    assert czech.amount(Decimal("999")) == "999 Kč"


def test_every_termination_reason_has_czech_words() -> None:
    assert sorted(czech.TERMINATION_REASONS) == sorted(reason.value for reason in TerminationReason)


def test_a_message_a_protocol_fixes_is_never_translated() -> None:
    # Apollo's persisted-query link resends the document on exactly this message
    assert (
        translate("PersistedQueryNotFound", "cs", code="PERSISTED_QUERY_NOT_FOUND")
        == "PersistedQueryNotFound"
    )
