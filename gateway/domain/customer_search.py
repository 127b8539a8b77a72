"""Finding any customer: what a query typed into the service desk's search box is.

``recognize`` reads the text and answers the lookups it stands for, most likely first (that
one is what the query is "recognised as"); the search runs every lookup and answers the
customers found, each with the lookup that found it. The order for what could be several
things (DOMAIN.md section 1's formats; the check digits by python-stdnum):

1. ``FV``/``VY`` + 19 digits: an INVOICE_NUMBER (the billing system's numbering).
2. 18 digits starting ``859182`` with a valid GS1 check digit: an EAN. 16 characters
   ``27Z...`` with a valid EIC check character: an EIC. Either with a wrong check digit
   is refused (a typo, not a name).
3. Digits only (spaces, ``+``, ``/`` and ``-`` allowed between them):
   - ten digits: a CUSTOMER_NUMBER first, then a VARIABLE_SYMBOL (both look alike; both
     lookups run);
   - eight digits that pass the IČO check (``stdnum.cz.dic``): an ICO, then a VARIABLE_SYMBOL;
   - nine digits, or ``+420``/``00420`` and nine, in the Czech numbering plan: a PHONE, then a
     VARIABLE_SYMBOL (only when nothing but the nine digits was typed);
   - any other one to ten digits: a VARIABLE_SYMBOL;
   - anything longer is refused.
   ``CZ`` + an IČO (a company's DIČ) is an ICO.
4. Text with an ``@``: an EMAIL.
5. Text with a comma: an ADDRESS, ``street [number], city`` (either part may be empty).
6. Text with letters and digits (``Vodičkova 12``, ``Praha 4``): an ADDRESS, a street and
   house number prefix, then a city prefix (both lookups run).
7. Any other text: a NAME prefix (of the name or any word in it; case and diacritics ignored).

Refused before any back end is asked: an empty query (after trimming), one over
``MAX_QUERY_LENGTH`` characters, control characters, a name or address shorter than two
characters, digits that are no identifier.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from dataclasses import dataclass

from stdnum import ean as stdnum_ean
from stdnum.cz import dic as stdnum_dic
from stdnum.eu import eic as stdnum_eic

from gateway.domain.customers import Customer

MAX_QUERY_LENGTH = 100
MIN_TEXT = 2  # the CRM searches prefixes of two characters or more
EAN_PREFIX = "859182"
INVOICE_NUMBER = re.compile(r"(?:FV|VY)\d{19}")
EIC_SHAPE = re.compile(r"27Z[0-9A-Z-]{13}")
# DOMAIN.md section 1: mobile (60[1-8], 7[0-9]) and fixed lines (2, 3[1257-9], 4[16-9], 5[13-9]).
PHONE = re.compile(r"(?:60[1-8]|7\d\d|2\d\d|3[1257-9]\d|4[16-9]\d|5[13-9]\d)\d{6}")
DIGIT_SEPARATORS = re.compile(r"[\s+/-]")


class SearchKind(enum.Enum):
    CUSTOMER_NUMBER = "CUSTOMER_NUMBER"
    EAN = "EAN"
    EIC = "EIC"
    VARIABLE_SYMBOL = "VARIABLE_SYMBOL"
    INVOICE_NUMBER = "INVOICE_NUMBER"
    ICO = "ICO"
    EMAIL = "EMAIL"
    PHONE = "PHONE"
    NAME = "NAME"
    ADDRESS = "ADDRESS"


class QueryProblem(enum.Enum):
    EMPTY = "EMPTY"
    TOO_LONG = "TOO_LONG"
    CONTROL_CHARACTERS = "CONTROL_CHARACTERS"
    TOO_SHORT = "TOO_SHORT"
    BAD_CHECK_DIGIT = "BAD_CHECK_DIGIT"
    NOT_AN_IDENTIFIER = "NOT_AN_IDENTIFIER"


class QueryRefusedError(ValueError):
    """The query cannot be searched; ``problem`` says why."""

    def __init__(self, problem: QueryProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


@dataclass(frozen=True, slots=True)
class Lookup:
    """One way of finding customers: ``value`` is normalised for it (digits only, upper case...)."""

    kind: SearchKind
    value: str
    city: str = ""  # ADDRESS: the part after the comma


@dataclass(frozen=True, slots=True)
class SearchPlan:
    """What the query was taken for: the lookups, most likely first."""

    lookups: tuple[Lookup, ...]

    @property
    def recognized_as(self) -> SearchKind:
        return self.lookups[0].kind


# --- the CRM's search, in domain terms ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class CustomerSearch:
    """One search of the CRM's register: every criterion given must match; one page of it."""

    name: str | None = None  # a prefix of the name or of a word of it
    email: str | None = None
    phone: str | None = None  # nine digits
    ico: str | None = None
    supply_point_code: str | None = None  # EAN or EIC
    street: str | None = None  # a prefix of "street house-number"
    city: str | None = None  # a prefix
    offset: int = 0
    limit: int = 50


@dataclass(frozen=True, slots=True)
class CustomerSearchPage:
    """A page of the customers found, ordered by name; ``total`` counts every match the CRM
    answers (at most its cap), ``capped`` says that more matched than it answers."""

    customers: tuple[Customer, ...]
    total: int
    capped: bool


# --- recognising the query ---------------------------------------------------------------


def _has_control_characters(text: str) -> bool:
    return any(unicodedata.category(c) in ("Cc", "Cf") for c in text)


def is_ean(digits: str) -> bool:
    """An electricity supply point's EAN: 18 digits, 859182..., GS1 check digit (stdnum.ean
    takes GTIN lengths only; its GS1 check digit is the 18-digit EAN's too)."""
    return (
        len(digits) == 18
        and digits.startswith(EAN_PREFIX)
        and stdnum_ean.calc_check_digit(digits[:-1]) == digits[-1]
    )


def is_ico(digits: str) -> bool:
    return len(digits) == 8 and stdnum_dic.is_valid(digits)


def _digits_plan(typed: str, digits: str) -> SearchPlan:
    vs = Lookup(SearchKind.VARIABLE_SYMBOL, digits.lstrip("0") or "0")
    if len(digits) == 18:
        if not digits.startswith(EAN_PREFIX):
            raise QueryRefusedError(QueryProblem.NOT_AN_IDENTIFIER)
        if not is_ean(digits):
            raise QueryRefusedError(QueryProblem.BAD_CHECK_DIGIT)
        return SearchPlan((Lookup(SearchKind.EAN, digits),))
    if typed.startswith(("+420", "00420")) and len(digits) in (12, 14):
        national = digits[-9:]
        if PHONE.fullmatch(national):
            return SearchPlan((Lookup(SearchKind.PHONE, national),))
        raise QueryRefusedError(QueryProblem.NOT_AN_IDENTIFIER)
    if len(digits) > 10:
        raise QueryRefusedError(QueryProblem.NOT_AN_IDENTIFIER)
    if len(digits) == 10:
        return SearchPlan((Lookup(SearchKind.CUSTOMER_NUMBER, digits), vs))
    if is_ico(digits):
        return SearchPlan((Lookup(SearchKind.ICO, digits), vs))
    if len(digits) == 9 and PHONE.fullmatch(digits):
        return SearchPlan((Lookup(SearchKind.PHONE, digits), vs))
    return SearchPlan((vs,))


def recognize(query: str) -> SearchPlan:
    """The lookups ``query`` stands for; ``QueryRefusedError`` for a query that cannot be searched."""
    if len(query) > MAX_QUERY_LENGTH:
        raise QueryRefusedError(QueryProblem.TOO_LONG)
    if _has_control_characters(query):
        raise QueryRefusedError(QueryProblem.CONTROL_CHARACTERS)
    typed = " ".join(query.split())
    if not typed:
        raise QueryRefusedError(QueryProblem.EMPTY)
    compact = DIGIT_SEPARATORS.sub("", typed)
    upper = compact.upper()
    if INVOICE_NUMBER.fullmatch(upper):
        return SearchPlan((Lookup(SearchKind.INVOICE_NUMBER, upper),))
    if EIC_SHAPE.fullmatch(upper) and len(upper) == 16:
        if not stdnum_eic.is_valid(upper):
            raise QueryRefusedError(QueryProblem.BAD_CHECK_DIGIT)
        return SearchPlan((Lookup(SearchKind.EIC, upper),))
    if upper.startswith("CZ") and compact[2:].isascii() and compact[2:].isdigit() and is_ico(compact[2:]):
        return SearchPlan((Lookup(SearchKind.ICO, compact[2:]),))
    if compact.isascii() and compact.isdigit():
        return _digits_plan(typed, compact)
    if "@" in typed:
        return SearchPlan((Lookup(SearchKind.EMAIL, typed.replace(" ", "").lower()),))
    if "," in typed:
        street, _, city = (part.strip() for part in typed.partition(","))
        if (street and len(street) < MIN_TEXT) or (city and len(city) < MIN_TEXT) or not (street or city):
            raise QueryRefusedError(QueryProblem.TOO_SHORT)
        return SearchPlan((Lookup(SearchKind.ADDRESS, street, city=city),))
    if len(typed) < MIN_TEXT:
        raise QueryRefusedError(QueryProblem.TOO_SHORT)
    if any(c.isdigit() for c in typed) and any(c.isalpha() for c in typed):
        as_street, as_city = Lookup(SearchKind.ADDRESS, typed), Lookup(SearchKind.ADDRESS, "", city=typed)
        return SearchPlan((as_street, as_city))
    return SearchPlan((Lookup(SearchKind.NAME, typed),))


def crm_search(lookup: Lookup, *, offset: int, limit: int) -> CustomerSearch | None:
    """The CRM search that answers ``lookup``; ``None`` for lookups other back ends answer."""
    kind, value = lookup.kind, lookup.value
    if kind is SearchKind.NAME:
        return CustomerSearch(name=value, offset=offset, limit=limit)
    if kind is SearchKind.EMAIL:
        return CustomerSearch(email=value, offset=offset, limit=limit)
    if kind is SearchKind.PHONE:
        return CustomerSearch(phone=value, offset=offset, limit=limit)
    if kind is SearchKind.ICO:
        return CustomerSearch(ico=value, offset=offset, limit=limit)
    if kind in (SearchKind.EAN, SearchKind.EIC):
        return CustomerSearch(supply_point_code=value, offset=offset, limit=limit)
    if kind is SearchKind.ADDRESS:
        return CustomerSearch(street=value or None, city=lookup.city or None, offset=offset, limit=limit)
    return None
