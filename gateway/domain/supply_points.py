"""Supply points (odběrná místa): technical data, meter and registers, billing and correspondence details."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from gateway.domain.customers import Address


class Commodity(enum.Enum):
    ELECTRICITY = "ELECTRICITY"
    GAS = "GAS"


class ContractType(enum.Enum):
    COMBINED_SERVICES = "COMBINED_SERVICES"  # supply + distribution (sdružené služby)
    SUPPLY_ONLY = "SUPPLY_ONLY"  # the distributor holds the technical data


class VoltageLevel(enum.Enum):
    """DOMAIN.md section 2: low voltage (NN, categories C and D), high (VN, B), very high (VVN, A)."""

    LOW = "LOW"
    HIGH = "HIGH"
    VERY_HIGH = "VERY_HIGH"


@dataclass(frozen=True, slots=True)
class ElectricityTechnicalData:
    main_breaker_amps: int | None  # 25 for "3x25 A"; None on high voltage
    phases: int  # 1 or 3
    distribution_tariff: str | None  # "D02d"; None on high voltage
    meter_number: str
    expected_annual_consumption_kwh: int
    last_reading_date: dt.date | None
    next_reading_date: dt.date | None
    voltage_level: VoltageLevel = VoltageLevel.LOW
    reserved_capacity_kw: int | None = None  # high and very high voltage: instead of a breaker


@dataclass(frozen=True, slots=True)
class GasTechnicalData:
    meter_number: str
    consumption_band: str  # "7 560 - 15 000 kWh"
    expected_annual_consumption_kwh: int
    last_reading_date: dt.date | None
    next_reading_date: dt.date | None


TechnicalData = ElectricityTechnicalData | GasTechnicalData


class RegisterKind(enum.Enum):
    HIGH_TARIFF = "HIGH_TARIFF"  # VT on a dual tariff
    LOW_TARIFF = "LOW_TARIFF"  # NT on a dual tariff
    SINGLE = "SINGLE"  # the one register of a single-tariff meter (and of a gas meter)


class MeterUnit(enum.Enum):
    """What a meter counts: an electricity meter kWh, a gas meter m³ (billing converts m³ to kWh
    with the distributor's combustion heat)."""

    KWH = "KWH"
    CUBIC_METRE = "CUBIC_METRE"


@dataclass(frozen=True, slots=True)
class MeterRegister:
    code: str  # "1.8.1"
    kind: RegisterKind
    last_reading_kwh: (
        int  # whole units of ``unit`` (kWh; m³ on a gas meter); a self-reading may not be below it
    )
    last_reading_date: dt.date
    unit: MeterUnit = MeterUnit.KWH


@dataclass(frozen=True, slots=True)
class Meter:
    number: str
    registers: tuple[MeterRegister, ...]  # high and low tariff on a dual tariff, one otherwise


class InvoiceDelivery(enum.Enum):
    EMAIL = "EMAIL"  # e-invoice
    PAPER = "PAPER"  # by post to the correspondence address


@dataclass(frozen=True, slots=True)
class Correspondence:
    address: Address
    invoice_delivery: InvoiceDelivery
    e_invoice_email: str | None  # set when invoices go by e-mail


class BillingCycle(enum.Enum):
    MONTHLY = "MONTHLY"
    QUARTERLY = "QUARTERLY"
    YEARLY = "YEARLY"  # deposits in between, a yearly statement in the billing month


@dataclass(frozen=True, slots=True)
class BillingDetails:
    cycle: BillingCycle
    billing_month: int | None  # 1-12: the yearly statement's month; None on other cycles
    invoice_recipient: str


@dataclass(frozen=True, slots=True)
class SupplyPoint:
    id: str  # the CRM's stable id of the supply point
    customer_number: str
    code: str  # EAN (18 digits) for electricity, EIC (16 characters) for gas
    commodity: Commodity
    contract_type: ContractType
    address: Address
    product: str
    technical: TechnicalData | None  # None on supply-only contracts
    expected_annual_consumption_kwh: int  # known on every contract: deposits are set from it
    correspondence: Correspondence
    billing: BillingDetails
    meter: Meter | None  # None on supply-only contracts: the distributor holds it
