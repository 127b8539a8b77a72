"""Small domain objects for the cache tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from gateway.domain.billing import (
    ConsumptionGranularity,
    ConsumptionPeriod,
    Document,
    Invoice,
    InvoiceDetail,
    InvoiceKind,
    InvoiceLine,
    InvoiceLineKind,
    InvoicePage,
    InvoiceQuery,
    InvoiceStatus,
    MeterReading,
    MeterUnit,
    ReadingType,
    RegisterConsumption,
    VatSummaryLine,
)
from gateway.domain.customers import Address, Customer, Segment
from gateway.domain.money import Money
from gateway.domain.requests import CustomerRequest, RequestHistoryEntry, RequestKind, RequestState
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

PRAGUE_OFFSET = dt.timezone(dt.timedelta(hours=1))
ADDRESS = Address(street="Dlouhá", house_number="12", city="Praha", postcode="11000")


def invoice(customer: str, id: str) -> Invoice:
    return Invoice(
        id=id,
        customer_number=customer,
        number=f"FA{id}",
        variable_symbol=id[-10:].rjust(10, "0"),
        supply_point_id=None,
        issue_date=dt.date(2026, 1, 15),
        due_date=dt.date(2026, 1, 29),
        total=Money(Decimal("1234.50")),
        amount_due=Money(Decimal("0.00")),
        status=InvoiceStatus.PAID,
        document_id=f"D{id}",
    )


def page(query: InvoiceQuery) -> InvoicePage:
    """Pages that tell their customer and offset apart."""
    return InvoicePage(
        invoices=(invoice(query.customer_number, f"{query.customer_number}-{query.offset}"),),
        total_count=40,
    )


def customer(number: str) -> Customer:
    return Customer(
        number=number,
        name=f"Zákazník {number}",
        segment=Segment.HOUSEHOLD,
        permanent_address=ADDRESS,
        email=None,
        phone="+420601123456",
    )


def supply_point(customer: str, id: str) -> SupplyPoint:
    return SupplyPoint(
        id=id,
        customer_number=customer,
        code="859182400100000017",
        commodity=Commodity.ELECTRICITY,
        contract_type=ContractType.COMBINED_SERVICES,
        address=ADDRESS,
        product="Elektřina Standard",
        technical=ElectricityTechnicalData(
            main_breaker_amps=25,
            phases=3,
            distribution_tariff="D02d",
            meter_number="123456",
            expected_annual_consumption_kwh=3200,
            last_reading_date=dt.date(2025, 12, 1),
            next_reading_date=None,
        ),
        expected_annual_consumption_kwh=3200,
        correspondence=Correspondence(ADDRESS, InvoiceDelivery.EMAIL, "zakaznik@example.cz"),
        billing=BillingDetails(BillingCycle.YEARLY, 12, "Zákazník"),
        meter=Meter(
            "123456",
            (
                MeterRegister("1.8.1", RegisterKind.HIGH_TARIFF, 10234, dt.date(2025, 12, 1)),
                MeterRegister("1.8.2", RegisterKind.LOW_TARIFF, 20456, dt.date(2025, 12, 1)),
            ),
        ),
    )


def request(customer: str, id: str) -> CustomerRequest:
    at = dt.datetime(2026, 3, 29, 1, 30, tzinfo=PRAGUE_OFFSET)
    return CustomerRequest(
        id=id,
        customer_number=customer,
        kind=RequestKind.SELF_READING,
        state=RequestState.OPEN,
        created_at=at,
        updated_at=at,
        supply_point_id=None,
        summary="Samoodečet 12345 kWh",
        history=(RequestHistoryEntry(at=at, state=RequestState.OPEN, note="přijato"),),
    )


def document(customer: str, id: str) -> Document:
    return Document(
        id=id, customer_number=customer, file_name=f"{id}.pdf", content=b"%PDF-1.4\x00\xff binary"
    )


def invoice_detail(customer: str, id: str) -> InvoiceDetail:
    """A settlement: gas in m³ and kWh, a line per kind, deposits deducted, one VAT rate."""
    net, vat = Money(Decimal("10000.00")), Money(Decimal("2100.00"))
    return InvoiceDetail(
        invoice_id=id,
        customer_number=customer,
        kind=InvoiceKind.SETTLEMENT,
        period_from=dt.date(2025, 1, 15),
        period_to=dt.date(2026, 1, 14),
        taxable_supply_date=dt.date(2026, 1, 14),
        net=net,
        vat=vat,
        deposits_deducted=Money(Decimal("13200.00")),
        balance=Money(Decimal("-1100.00")),
        paid_on=dt.date(2026, 1, 29),
        consumption=(
            RegisterConsumption(
                RegisterKind.SINGLE, 100, 1100, 1000, MeterUnit.CUBIC_METRE, 10550, Decimal("10.550")
            ),
        ),
        lines=(
            InvoiceLine(
                InvoiceLineKind.ENERGY,
                "Zemní plyn",
                RegisterKind.SINGLE,
                Decimal("10550"),
                "kWh",
                Money(Decimal("0.948")),
                net,
                21,
            ),
            InvoiceLine(
                InvoiceLineKind.DEPOSITS,
                "Uhrazené zálohy",
                None,
                Decimal(12),
                "ks",
                None,
                Money(Decimal("-13200.00")),
                None,
            ),
        ),
        vat_summary=(VatSummaryLine(21, net, vat, Money(Decimal("12100.00"))),),
    )


def meter_reading(point: str) -> MeterReading:
    return MeterReading(
        point, dt.date(2026, 1, 15), RegisterKind.LOW_TARIFF, 12345, MeterUnit.KWH, ReadingType.ACTUAL
    )


def consumption_period(point: str) -> ConsumptionPeriod:
    return ConsumptionPeriod(
        point,
        ConsumptionGranularity.MONTH,
        dt.date(2026, 1, 1),
        dt.date(2026, 1, 31),
        RegisterKind.SINGLE,
        130,
        MeterUnit.CUBIC_METRE,
        1372,
        False,
    )
