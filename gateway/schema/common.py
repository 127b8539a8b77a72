"""Types every area shares: money, addresses, paging, typed mutation errors."""

from __future__ import annotations

import base64
import binascii
from decimal import Decimal

import strawberry

from gateway.domain import customers as domain_customers
from gateway.domain.money import Money as DomainMoney
from gateway.errors import BadUserInput
from gateway.i18n.language import current
from gateway.i18n.translate import translate
from gateway.permissions import public_fields

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20
MAX_OFFSET = 2**31 - 1 - MAX_PAGE_SIZE  # a page from any cursor still fits the back ends' 32-bit offsets


@public_fields
@strawberry.type(description="An amount of money. `amount` is a decimal string, never a float.")
class Money:
    amount: Decimal
    currency: str

    @classmethod
    def from_domain(cls, money: DomainMoney) -> Money:
        return cls(amount=money.amount, currency=money.currency)


@public_fields
@strawberry.type
class Address:
    street: str
    house_number: str
    city: str
    postcode: str = strawberry.field(description="Five digits, written `NNN NN`.")
    country: str

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
@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@public_fields
@strawberry.type(description="Why a mutation did not do what was asked; `field` is the path of the input.")
class UserError:
    field: list[str] | None
    message: strawberry.Private[str]  # in English, as raised: said in the request's language below
    code: str

    @strawberry.field(
        name="message", description="What went wrong, in the request's language (Accept-Language)."
    )
    def localized_message(self) -> str:
        return translate(self.message, current(), code=str(getattr(self.code, "value", self.code)))


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
