"""Types every area shares: money, addresses, paging, and enums described value by value.

A mutation's expected failures have one error type per payload family (``AccountError``,
``AccessError``, ``RequestError``, ``NominationError``), each with its own enum of codes made
with ``described_enum``; a new family gets its own pair, never a free-text code."""

from __future__ import annotations

import base64
import binascii
import enum
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Protocol, TypeVar

import strawberry

from gateway.domain import customers as domain_customers
from gateway.domain.money import Money as DomainMoney
from gateway.errors import BadUserInput
from gateway.i18n.language import current
from gateway.i18n.translate import translate
from gateway.permissions import public_fields

EnumT = TypeVar("EnumT", bound=type[enum.Enum])

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20
MAX_OFFSET = 2**31 - 1 - MAX_PAGE_SIZE  # a page from any cursor still fits the back ends' 32-bit offsets


@public_fields
@strawberry.type(description="An amount of money. `amount` is a decimal string, never a float.")
class Money:
    amount: Decimal = strawberry.field(
        description=("The amount as a decimal string (`1234.50`), never a float: CZK with two decimals.")
    )
    currency: str = strawberry.field(description="ISO 4217 code; always CZK today.")

    @classmethod
    def from_domain(cls, money: DomainMoney) -> Money:
        return cls(amount=money.amount, currency=money.currency)


@public_fields
@strawberry.type(description="A postal address in the Czech Republic.")
class Address:
    street: str = strawberry.field(description="The street (or the village, where there are no streets).")
    house_number: str = strawberry.field(
        description="The house number as written (`1234/5`: descriptive/orientation number)."
    )
    city: str = strawberry.field(description="The town or city, with its part when there is one (`Praha 4`).")
    postcode: str = strawberry.field(description="Five digits, written `NNN NN`.")
    country: str = strawberry.field(description="The country code, `CZ`.")

    @classmethod
    def from_domain(cls, address: domain_customers.Address) -> Address:
        code = address.postcode
        return cls(
            street=address.street,
            house_number=address.house_number,
            city=address.city,
            postcode=f"{code[:3]} {code[3:]}" if len(code) == 5 else code,
            country=address.country,
        )


@public_fields
@strawberry.type(description="Where a page lies in its list (Relay cursor pagination).")
class PageInfo:
    has_next_page: bool = strawberry.field(description="Whether more items follow this page.")
    has_previous_page: bool = strawberry.field(description="Whether items precede this page.")
    start_cursor: str | None = strawberry.field(description="The first edge's cursor; null on an empty page.")
    end_cursor: str | None = strawberry.field(
        description="The last edge's cursor: pass it as `after` for the next page; null on an empty page."
    )


class _HasCursor(Protocol):
    @property
    def cursor(self) -> str: ...


def page_info(offset: int, edges: Sequence[_HasCursor], total: int) -> PageInfo:
    """Where a page of offset cursors lies: ``edges`` start after ``offset`` (the decoded
    ``after``) in a list of ``total`` items."""
    return PageInfo(
        has_next_page=offset + len(edges) < total,
        has_previous_page=offset > 0,
        start_cursor=edges[0].cursor if edges else None,
        end_cursor=edges[-1].cursor if edges else None,
    )


def described_enum(
    cls: EnumT, *, description: str, values: Mapping[str, str], name: str | None = None
) -> EnumT:
    """``cls`` as a GraphQL enum with a description for itself and one for each value.
    ``values`` must name every member, no more: a missing description fails at import."""
    members = {member.name for member in cls}
    if members != values.keys():
        raise TypeError(
            f"{cls.__name__}: describe {sorted(members - values.keys())}, "
            f"drop {sorted(values.keys() - members)}"
        )
    described: EnumT = strawberry.enum(cls, name=name, description=description)
    for value in described.__strawberry_definition__.values:  # type: ignore[attr-defined]
        value.description = values[value.name]
    return described


def localized(message: str, code: object) -> str:
    """An error's ``message`` (English, as raised) in the request's language (Accept-Language)."""
    return translate(message, current(), code=str(getattr(code, "value", code)))


def offset_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode()


def decode_offset_cursor(cursor: str | None) -> int:
    """The offset just after ``cursor``; 0 without one."""
    if cursor is None:
        return 0
    try:
        kind, _, value = base64.urlsafe_b64decode(cursor.encode()).decode().partition(":")
        offset = int(value)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise BadUserInput("`after` is not a cursor this API gave out.") from None
    if kind != "offset" or not 0 <= offset <= MAX_OFFSET:
        raise BadUserInput("`after` is not a cursor this API gave out.")
    return offset + 1


def page_size(first: int | None) -> int:
    if first is None:
        return DEFAULT_PAGE_SIZE
    if not 0 <= first <= MAX_PAGE_SIZE:
        raise BadUserInput(f"`first` must be between 0 and {MAX_PAGE_SIZE}.")
    return first
