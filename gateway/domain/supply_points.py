"""Supply points (odběrná místa) and their technical data."""

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


@dataclass(frozen=True, slots=True)
class ElectricityTechnicalData:
    main_breaker_amps: int  # 25 for "3x25 A"
    phases: int  # 1 or 3
    distribution_tariff: str  # "D02d"
    meter_number: str
    expected_annual_consumption_kwh: int
    last_reading_date: dt.date | None
    next_reading_date: dt.date | None


@dataclass(frozen=True, slots=True)
class GasTechnicalData:
    meter_number: str
    consumption_band: str  # "7 560 - 15 000 kWh"
    expected_annual_consumption_kwh: int
    last_reading_date: dt.date | None
    next_reading_date: dt.date | None


TechnicalData = ElectricityTechnicalData | GasTechnicalData


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
