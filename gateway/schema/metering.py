"""Meter readings and consumption of a supply point, for history tables and charts."""

from __future__ import annotations

import datetime as dt

import strawberry

from gateway.domain import billing as domain
from gateway.permissions import public_fields
from gateway.schema.common import described_enum
from gateway.schema.supply_points import ConsumptionGranularity, MeterUnit, RegisterKind

__all__ = ["ConsumptionGranularity", "ConsumptionPeriod", "MeterReading", "ReadingType", "RegisterUse"]

ReadingType = described_enum(
    domain.ReadingType,
    description="Who read the meter, or whether it was estimated.",
    values={
        "ACTUAL": "The distributor's reading (odečet).",
        "SELF_READING": "The customer's own reading (samoodečet).",
        "ESTIMATED": "No reading was taken: estimated from the previous use.",
    },
)


@public_fields
@strawberry.type(description="One register's state on one day.")
class MeterReading:
    date: dt.date = strawberry.field(description="The day of the reading.")
    register: RegisterKind = strawberry.field(description="VT, NT or the single register.")  # type: ignore[valid-type]
    value: int = strawberry.field(description="The register's state in whole `unit`s.")
    unit: MeterUnit = strawberry.field(description="kWh, or m³ for a gas meter.")  # type: ignore[valid-type]
    type: ReadingType = strawberry.field(description="Actual, self-reading or estimated.")  # type: ignore[valid-type]

    @classmethod
    def from_domain(cls, reading: domain.MeterReading) -> MeterReading:
        return cls(
            date=reading.date,
            register=reading.register,
            value=reading.value,
            unit=reading.unit,
            type=reading.type,
        )


@public_fields
@strawberry.type(description="One register's share of a period's consumption.")
class RegisterUse:
    register: RegisterKind = strawberry.field(description="VT, NT or the single register.")  # type: ignore[valid-type]
    quantity: int = strawberry.field(description="The use in the meter's `unit`.")
    unit: MeterUnit = strawberry.field(description="kWh, or m³ for a gas meter.")  # type: ignore[valid-type]
    kwh: int = strawberry.field(description="The use in kWh (gas: m³ x the distributor's combustion heat).")


@public_fields
@strawberry.type(description="Consumption over one calendar month or one billing period: one bar of a chart.")
class ConsumptionPeriod:
    start: dt.date = strawberry.field(description="The period's first day.")
    end: dt.date = strawberry.field(description="The period's last day (inclusive).")
    kwh: int = strawberry.field(description="All registers together, in kWh.")
    registers: list[RegisterUse] = strawberry.field(
        description="The use per register (VT and NT on a dual tariff)."
    )
    estimated: bool = strawberry.field(
        description="True for a month of a meter read once per billing period: split by the load profile."
    )

    @classmethod
    def from_domain(cls, uses: list[domain.ConsumptionPeriod]) -> ConsumptionPeriod:
        """``uses``: one period's registers."""
        first = uses[0]
        return cls(
            start=first.period_from,
            end=first.period_to,
            kwh=sum(use.kwh for use in uses),
            registers=[
                RegisterUse(register=u.register, quantity=u.quantity, unit=u.unit, kwh=u.kwh) for u in uses
            ],
            estimated=any(use.estimated for use in uses),
        )
