"""QR Platba: the SPD 1.0 string, its escaping and length rules, and the codes read back."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from gateway.domain.billing import DepositItem, Invoice, InvoiceStatus, PaymentMethod
from gateway.domain.money import Money
from gateway.domain.qr_payment import (
    InvalidPaymentOrder,
    PaymentOrder,
    czech_iban,
    deposit_payment,
    invoice_payment,
    message_text,
    qr_png,
    qr_svg,
)
from tests.qr_images import decode_png, decode_svg

ACCOUNT = "19-2000145399/0800"
TODAY = dt.date(2026, 11, 30)


def order(**changes: object) -> PaymentOrder:
    values: dict[str, object] = {
        "account": ACCOUNT,
        "amount": Decimal("1520.50"),
        "variable_symbol": "2611011234",
        "due_date": dt.date(2026, 12, 15),
        "message": "Faktura FV2026123450011",
    }
    return PaymentOrder(**{**values, **changes})  # type: ignore[arg-type]


def test_a_czech_account_becomes_its_iban() -> None:
    assert czech_iban("19-2000145399/0800") == "CZ6508000000192000145399"  # DOMAIN.md, recomputed
    assert czech_iban("2000145399/0800") == "CZ7908000000002000145399"  # mod 97 by hand


@pytest.mark.parametrize("bad", ["19-2000145398/0800", "2000145399/0801", "2000145399", "CZ65"])
def test_an_account_that_fails_its_checks_makes_no_iban(bad: str) -> None:
    with pytest.raises(InvalidPaymentOrder):
        czech_iban(bad)


def test_the_spd_string_carries_account_amount_currency_symbols_due_date_and_message() -> None:
    assert order().spd() == (
        "SPD*1.0*ACC:CZ6508000000192000145399+GIBACZPX*AM:1520.50*CC:CZK*X-VS:2611011234"
        "*X-KS:0308*DT:20261215*MSG:FAKTURA FV2026123450011"
    )


def test_without_due_date_or_constant_symbol_the_keys_are_left_out() -> None:
    spd = order(due_date=None, constant_symbol=None, message="").spd()

    assert spd == "SPD*1.0*ACC:CZ6508000000192000145399+GIBACZPX*AM:1520.50*CC:CZK*X-VS:2611011234"


def test_the_message_loses_its_diacritics_and_escapes_the_separator() -> None:
    spd = order(message="Záloha * 12/2026 — Příliš žluťoučký kůň").spd()

    assert spd.endswith("*MSG:ZALOHA %2A 12/2026 PRILIS ZLUTOUCKY KUN")
    assert spd.count("*") == 8  # the header's and the separators, none from a value


def test_a_long_message_is_cut_at_60_characters_never_inside_an_escape() -> None:
    text = message_text("A" * 58 + "*B")

    assert text == "A" * 58  # "%2A" would make 61
    assert len(message_text("x" * 100)) == 60


@pytest.mark.parametrize(
    ("changes", "why"),
    [
        ({"amount": Decimal("0")}, "nothing to pay"),
        ({"amount": Decimal("-1.00")}, "negative"),
        ({"amount": Decimal("10000000.00")}, "over AM's 10 characters"),
        ({"amount": Decimal("1.005")}, "more than two decimals"),
        ({"variable_symbol": "12345678901"}, "VS over 10 digits"),
        ({"variable_symbol": "12A"}, "VS not digits"),
        ({"variable_symbol": ""}, "VS empty"),
        ({"constant_symbol": "03*8"}, "KS not digits"),
        ({"currency": "czk"}, "not ISO 4217"),
        ({"account": "124/0800"}, "account fails mod 11"),
    ],
)
def test_an_order_the_format_cannot_carry_is_refused(changes: dict[str, object], why: str) -> None:
    with pytest.raises(InvalidPaymentOrder):
        order(**changes)


def test_the_largest_amount_fits_the_format() -> None:
    assert "*AM:9999999.99*" in order(amount=Decimal("9999999.99")).spd()


def test_the_png_code_decodes_to_the_spd_string() -> None:
    spd = order(message="Záloha * 12/2026").spd()

    assert decode_png(qr_png(spd)) == [spd]


def test_the_svg_code_decodes_to_the_spd_string() -> None:
    spd = order().spd()

    assert decode_svg(qr_svg(spd)) == [spd]


def invoice(status: InvoiceStatus, due: dt.date, amount_due: str = "1234.00") -> Invoice:
    return Invoice(
        id="1000012345001202611",
        customer_number="1000012345",
        number="FV2026012345001011",
        variable_symbol="2611011234",
        supply_point_id="1000012345001",
        issue_date=due - dt.timedelta(days=30),
        due_date=due,
        total=Money(Decimal("1234.00")),
        amount_due=Money(Decimal(amount_due)),
        status=status,
        document_id=None,
    )


def test_an_unpaid_invoice_is_paid_by_its_amount_due_and_due_date() -> None:
    found = invoice_payment(
        invoice(InvoiceStatus.PARTIALLY_PAID, TODAY, "740.40"), account=ACCOUNT, today=TODAY
    )

    assert found is not None
    assert (found.amount, found.variable_symbol, found.due_date) == (Decimal("740.40"), "2611011234", TODAY)


def test_an_overdue_invoice_is_paid_now_without_a_past_due_date() -> None:
    found = invoice_payment(
        invoice(InvoiceStatus.OVERDUE, TODAY - dt.timedelta(days=1)), account=ACCOUNT, today=TODAY
    )

    assert found is not None and found.due_date is None
    assert "*DT:" not in found.spd()


@pytest.mark.parametrize("status", [InvoiceStatus.PAID, InvoiceStatus.CANCELLED])
def test_a_settled_invoice_has_no_payment_order(status: InvoiceStatus) -> None:
    assert invoice_payment(invoice(status, TODAY), account=ACCOUNT, today=TODAY) is None


def test_an_invoice_owing_nothing_has_no_payment_order() -> None:
    assert invoice_payment(invoice(InvoiceStatus.UNPAID, TODAY, "0.00"), account=ACCOUNT, today=TODAY) is None


def test_a_deposit_is_paid_by_transfer_unless_the_supplier_collects_it() -> None:
    item = DepositItem(
        due_date=dt.date(2026, 12, 15),
        amount=Money(Decimal("1900.00")),
        paid=False,
        variable_symbol="9012345001",
    )

    by_transfer = deposit_payment(item, method=PaymentMethod.BANK_TRANSFER, account=ACCOUNT, today=TODAY)

    assert by_transfer is not None
    assert by_transfer.spd().endswith("*X-VS:9012345001*X-KS:0308*DT:20261215*MSG:ZALOHA 12/2026")
    for collected in (PaymentMethod.DIRECT_DEBIT, PaymentMethod.SIPO):
        assert deposit_payment(item, method=collected, account=ACCOUNT, today=TODAY) is None
    paid = DepositItem(item.due_date, item.amount, True, item.variable_symbol)
    assert deposit_payment(paid, method=PaymentMethod.BANK_TRANSFER, account=ACCOUNT, today=TODAY) is None
