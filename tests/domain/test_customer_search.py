"""What a query typed into the staff search is taken for (gateway.domain.customer_search)."""

from __future__ import annotations

import pytest

from gateway.domain.customer_search import (
    QueryProblem,
    QueryRefusedError,
    SearchKind,
    recognize,
)

K = SearchKind


@pytest.mark.parametrize(
    ("query", "kinds", "value"),
    [
        ("1000012345", [K.CUSTOMER_NUMBER, K.VARIABLE_SYMBOL], "1000012345"),
        ("9000000001", [K.CUSTOMER_NUMBER, K.VARIABLE_SYMBOL], "9000000001"),
        ("859182400123456789", [K.EAN], "859182400123456789"),
        ("859 182 400 123 456 789", [K.EAN], "859182400123456789"),
        ("27zg600z0424987d", [K.EIC], "27ZG600Z0424987D"),
        ("25123891", [K.ICO, K.VARIABLE_SYMBOL], "25123891"),
        ("CZ25123891", [K.ICO], "25123891"),
        ("25123892", [K.VARIABLE_SYMBOL], "25123892"),  # not a valid IČO: only a VS
        ("FV20261000012345002 09", [K.INVOICE_NUMBER], "FV2026100001234500209"),
        ("vy2026100001234500103", [K.INVOICE_NUMBER], "VY2026100001234500103"),
        ("601 123 456", [K.PHONE, K.VARIABLE_SYMBOL], "601123456"),
        ("+420 601 123 456", [K.PHONE], "601123456"),
        ("00420601123456", [K.PHONE], "601123456"),
        ("123", [K.VARIABLE_SYMBOL], "123"),
        ("Jan.Novak@Example.cz", [K.EMAIL], "jan.novak@example.cz"),
        ("Nováková", [K.NAME], "Nováková"),
        ("  Jan   Novák ", [K.NAME], "Jan Novák"),
        ("Vodičkova 12", [K.ADDRESS, K.ADDRESS], "Vodičkova 12"),
    ],
)
def test_a_query_is_taken_for_what_it_looks_like(query: str, kinds: list[SearchKind], value: str) -> None:
    plan = recognize(query)

    assert [lookup.kind for lookup in plan.lookups] == kinds
    assert plan.recognized_as is kinds[0]
    assert plan.lookups[0].value == value


def test_letters_and_digits_are_a_street_or_a_city() -> None:
    street, city = recognize("Praha 4").lookups
    assert (street.value, street.city, city.value, city.city) == ("Praha 4", "", "", "Praha 4")


def test_a_comma_splits_an_address_into_street_and_city() -> None:
    (lookup,) = recognize("Husova 7, Brno").lookups
    assert (lookup.kind, lookup.value, lookup.city) == (K.ADDRESS, "Husova 7", "Brno")
    (city_only,) = recognize(", Olomouc").lookups
    assert (city_only.value, city_only.city) == ("", "Olomouc")


@pytest.mark.parametrize(
    ("query", "problem"),
    [
        ("", QueryProblem.EMPTY),
        ("   ", QueryProblem.EMPTY),
        ("a" * 101, QueryProblem.TOO_LONG),
        ("Nov\x00ák", QueryProblem.CONTROL_CHARACTERS),
        ("Nov\u200bák", QueryProblem.CONTROL_CHARACTERS),
        ("N", QueryProblem.TOO_SHORT),
        ("859182400123456784", QueryProblem.BAD_CHECK_DIGIT),
        ("27ZG600Z0424987E", QueryProblem.BAD_CHECK_DIGIT),
        ("123456789012345", QueryProblem.NOT_AN_IDENTIFIER),
        ("+420 123 456 789", QueryProblem.NOT_AN_IDENTIFIER),
    ],
)
def test_a_query_that_cannot_be_searched_is_refused(query: str, problem: QueryProblem) -> None:
    with pytest.raises(QueryRefusedError) as refused:
        recognize(query)

    assert refused.value.problem is problem


def test_a_hundred_characters_are_allowed() -> None:
    assert recognize("a" * 100).recognized_as is K.NAME
