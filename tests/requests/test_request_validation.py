"""Each request kind's checks refuse bad input with the field's path, before any back end."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from gateway.domain.billing import DepositFrequency, DepositPlan, PaymentMethod
from gateway.domain.customers import Address
from gateway.domain.money import Money
from gateway.domain.requests import CustomerRequest, RequestKind, RequestState
from gateway.domain.supply_points import (
    BillingCycle,
    BillingDetails,
    Commodity,
    ContractType,
    Correspondence,
    ElectricityTechnicalData,
    InvoiceDelivery,
    Meter,
    MeterRegister,
    RegisterKind,
    SupplyPoint,
)
from gateway.requests import validation as v
from gateway.requests.validation import Code

TODAY = dt.date(2026, 3, 10)
NOW = dt.datetime(2026, 3, 10, 10, tzinfo=dt.UTC)
LAST = dt.date(2026, 1, 10)
HOME = Address("Vodičkova", "12", "Praha 1", "11000")
PLAN = DepositPlan(
    id="P1",
    customer_number="1000012345",
    supply_point_id="1000012345001",
    frequency=DepositFrequency.MONTHLY,
    payment_method=PaymentMethod.BANK_TRANSFER,
    bank_account=None,
    minimum_amount=Money(Decimal(600), "CZK"),
    items=(),
)


def point(tariff: str = "D25d", *, dual: bool = True) -> SupplyPoint:
    registers = (
        (
            MeterRegister("1.8.1", RegisterKind.HIGH_TARIFF, 10_000, LAST),
            MeterRegister("1.8.2", RegisterKind.LOW_TARIFF, 20_000, LAST),
        )
        if dual
        else (MeterRegister("1.8.0", RegisterKind.SINGLE, 10_000, LAST),)
    )
    return SupplyPoint(
        id="1000012345001",
        customer_number="1000012345",
        code="859182400123456789",
        commodity=Commodity.ELECTRICITY,
        contract_type=ContractType.COMBINED_SERVICES,
        address=HOME,
        product="ESCO Standard",
        technical=ElectricityTechnicalData(25, 3, tariff, "M1", 3650, LAST, None),
        expected_annual_consumption_kwh=3650,
        correspondence=Correspondence(HOME, InvoiceDelivery.PAPER, None),
        billing=BillingDetails(BillingCycle.YEARLY, 1, "Jan Novák"),
        meter=Meter("M1", registers),
    )


def codes(errors: list[v.FieldError]) -> dict[tuple[str, ...], Code]:
    return {e.path: e.code for e in errors}


@pytest.mark.parametrize(
    ("amount", "code"),
    [(Decimal(599), Code.TOO_LOW), (Decimal(12_001), Code.TOO_HIGH), (Decimal("700.001"), Code.INVALID)],
)
def test_deposit_amount_outside_billings_range_is_refused(amount: Decimal, code: Code) -> None:
    assert codes(v.deposit_amount_errors(amount, PLAN)) == {("amount",): code}


def test_deposit_amount_within_range_passes() -> None:
    assert v.deposit_amount_errors(Decimal(1200), PLAN) == []


def test_bank_accounts_are_checked_and_ibans_become_czech_accounts() -> None:
    assert v.bank_account("19-2000145399/0800") == "19-2000145399/0800"
    assert v.bank_account("CZ65 0800 0000 1920 0014 5399") == "19-2000145399/0800"
    assert v.bank_account("19-2000145398/0800") is None  # mod 11
    assert v.bank_account("19-2000145399/0000") is None  # no such bank
    assert v.bank_account("CZ6608000000192000145399") is None  # mod 97


def test_direct_debit_needs_a_valid_account() -> None:
    missing, _ = v.payment_method_errors(PaymentMethod.DIRECT_DEBIT, None, PLAN)
    wrong, _ = v.payment_method_errors(PaymentMethod.DIRECT_DEBIT, "124/0100", PLAN)
    assert codes(missing) == {("bankAccount",): Code.REQUIRED}
    assert codes(wrong) == {("bankAccount",): Code.INVALID}


def test_contact_details_need_an_email_and_a_czech_phone() -> None:
    errors, _, _ = v.contact_errors("novak@", "+49 601 123 456")
    _, email, phone = v.contact_errors("jan.novak@example.cz", "601 123 456")
    assert codes(errors) == {("email",): Code.INVALID, ("phone",): Code.INVALID}
    assert (email, phone) == ("jan.novak@example.cz", "+420601123456")
    assert codes(v.contact_errors(None, None)[0]) == {(): Code.REQUIRED}


def test_correspondence_address_needs_a_czech_postcode() -> None:
    errors, _ = v.address_errors("Husova", "5", "Brno", "0200")
    fine, code = v.address_errors("Husova", "5", "Brno", "602 00")
    assert codes(errors) == {("postcode",): Code.INVALID}
    assert (fine, code) == ([], "60200")


@pytest.mark.parametrize(
    ("day", "high", "low", "expected"),
    [
        (TODAY + dt.timedelta(days=1), Decimal(10_100), Decimal(20_100), {("readingDate",): Code.IN_FUTURE}),
        (TODAY, Decimal("10100.5"), Decimal(20_100), {("highTariffKwh",): Code.INVALID}),
        (TODAY, Decimal(9_999), Decimal(20_100), {("highTariffKwh",): Code.TOO_LOW}),
        (TODAY, Decimal(10_100), None, {("lowTariffKwh",): Code.REQUIRED}),
        (TODAY, Decimal(60_000), Decimal(20_100), {("highTariffKwh",): Code.IMPLAUSIBLE}),
        (LAST - dt.timedelta(days=1), Decimal(10_100), Decimal(20_100), {("readingDate",): Code.IN_PAST}),
    ],
)
def test_bad_self_readings_are_refused(
    day: dt.date, high: Decimal, low: Decimal | None, expected: dict[tuple[str, ...], Code]
) -> None:
    errors = v.self_reading_errors(point(), reading_date=day, high_kwh=high, low_kwh=low, today=TODAY)
    assert codes(errors) == expected


def test_a_plausible_self_reading_passes_and_a_single_register_takes_no_low_tariff() -> None:
    ok = v.self_reading_errors(
        point(), reading_date=TODAY, high_kwh=Decimal(10_300), low_kwh=Decimal(20_200), today=TODAY
    )
    single = v.self_reading_errors(
        point("D02d", dual=False),
        reading_date=TODAY,
        high_kwh=Decimal(10_300),
        low_kwh=Decimal(1),
        today=TODAY,
    )
    assert ok == []
    assert codes(single) == {("lowTariffKwh",): Code.INVALID}


def test_product_change_needs_an_offered_new_product_from_tomorrow() -> None:
    assert codes(
        v.product_change_errors(point(), product="ESCO Standard", effective_from=None, today=TODAY)
    ) == {("product",): Code.UNCHANGED}
    assert codes(v.product_change_errors(point(), product="Levná", effective_from=TODAY, today=TODAY)) == {
        ("product",): Code.INVALID,
        ("effectiveFrom",): Code.IN_PAST,
    }


def test_tariff_changes_once_in_twelve_months() -> None:
    earlier = CustomerRequest(
        id="1000012345-0009",
        customer_number="1000012345",
        kind=RequestKind.BREAKER_OR_TARIFF_CHANGE,
        state=RequestState.RESOLVED,
        created_at=NOW - dt.timedelta(days=100),
        updated_at=NOW - dt.timedelta(days=90),
        supply_point_id="1000012345001",
        summary=f"{v.TARIFF_CHANGE_PREFIX} na D25d",
        history=(),
    )
    errors = v.breaker_or_tariff_errors(
        point(), phases=None, amps=None, tariff="D57d", earlier=[earlier], now=NOW
    )
    breaker = v.breaker_or_tariff_errors(point(), phases=3, amps=32, tariff=None, earlier=[earlier], now=NOW)
    assert codes(errors) == {("distributionTariff",): Code.TOO_SOON}
    assert breaker == []


def test_breaker_change_needs_a_standard_new_size() -> None:
    assert codes(
        v.breaker_or_tariff_errors(point(), phases=3, amps=33, tariff=None, earlier=[], now=NOW)
    ) == {("mainBreakerAmps",): Code.INVALID}
    assert codes(
        v.breaker_or_tariff_errors(point(), phases=3, amps=None, tariff=None, earlier=[], now=NOW)
    ) == {("mainBreakerAmps",): Code.REQUIRED}


def test_termination_needs_a_date_ahead_and_a_note_for_other_reasons() -> None:
    errors = v.termination_errors(
        end_date=TODAY - dt.timedelta(days=1), reason=v.TerminationReason.OTHER, note=None, today=TODAY
    )
    assert codes(errors) == {("endDate",): Code.IN_PAST, ("note",): Code.REQUIRED}


def test_free_text_needs_a_subject_and_text() -> None:
    assert codes(v.free_text_errors(subject=" ", text="x" * 2001)) == {
        ("subject",): Code.REQUIRED,
        ("text",): Code.TOO_HIGH,
    }
