"""Supply points (odběrná místa): technical data, meter and registers, billing and correspondence details."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated

import strawberry

from gateway.context import Info
from gateway.domain import billing as domain_billing
from gateway.domain import catalogue as domain_catalogue
from gateway.domain import supply_points as domain
from gateway.domain.access import Scope
from gateway.domain.offerings import Offering, offers
from gateway.permissions import PUBLIC, public_fields, requires
from gateway.schema.common import Address, described_enum
from gateway.schema.node import Node, to_global_id
from gateway.schema.pagination import Connection

if TYPE_CHECKING:
    from gateway.schema.billing import DepositPlan
    from gateway.schema.catalogue import RequestType
    from gateway.schema.metering import ConsumptionPeriod, MeterReading

Commodity = described_enum(
    domain.Commodity,
    description="What a supply point delivers.",
    values={
        "ELECTRICITY": "Electricity; the code is an 18-digit EAN.",
        "GAS": "Natural gas; the code is a 16-character EIC.",
    },
)
OfferingEnum = described_enum(
    Offering,
    name="Offering",
    description="What the portal offers for a supply point: set by its contract type (combined "
    "services or supply only) and commodity; see `SupplyPoint.offers`.",
    values={
        "BILLING": "Invoices, deposits, payments, reminders and PDFs (every contract).",
        "TECHNICAL_DATA": "Breaker, phases, tariff, meter and reading dates (combined services).",
        "METER_SELF_READING": "Meter self-readings (combined services).",
        "BREAKER_OR_TARIFF_CHANGE": (
            "Breaker and distribution tariff changes (electricity, combined services)."
        ),
        "INSTANT_CHANGES": (
            "Deposit, payment method, contact, address and e-invoice changes at once (every contract)."
        ),
        "TRACKED_CONTRACT_CHANGES": "Product change, termination and free-text requests (every contract).",
    },
)
ContractType = described_enum(
    domain.ContractType,
    description="COMBINED_SERVICES: supply and distribution from us; SUPPLY_ONLY: the distributor "
    "holds the technical data.",
    values={
        "COMBINED_SERVICES": (
            "Supply and distribution from us (sdružené služby): technical data and meter available."
        ),
        "SUPPLY_ONLY": "Supply only: the distributor holds the technical data and meter.",
    },
)
RegisterKind = described_enum(
    domain.RegisterKind,
    description="HIGH_TARIFF (VT) and LOW_TARIFF (NT) on a dual-tariff meter; SINGLE otherwise.",
    values={
        "HIGH_TARIFF": "VT: the high-tariff register of a dual-tariff meter.",
        "LOW_TARIFF": "NT: the low-tariff register of a dual-tariff meter.",
        "SINGLE": "The only register of a single-tariff meter (and of a gas meter).",
    },
)
MeterUnit = described_enum(
    domain.MeterUnit,
    description="What a meter counts.",
    values={
        "KWH": "Kilowatt-hours: an electricity meter.",
        "CUBIC_METRE": "Cubic metres (m³): a gas meter, converted to kWh with the distributor's "
        "combustion heat.",
    },
)
InvoiceDelivery = described_enum(
    domain.InvoiceDelivery,
    description="EMAIL: e-invoice; PAPER: by post to the correspondence address.",
    values={
        "EMAIL": "As an e-invoice to `eInvoiceEmail`.",
        "PAPER": "On paper, by post to the correspondence address.",
    },
)
BillingCycle = described_enum(
    domain.BillingCycle,
    description="How often the supply point is billed (the statement that settles deposits).",
    values={
        "MONTHLY": "An invoice every month.",
        "QUARTERLY": "An invoice every three months.",
        "YEARLY": "One statement a year, in `billingMonth`, against monthly or quarterly deposits.",
    },
)


@strawberry.input(
    description="Narrows `Customer.supplyPointConnection`. Every field is optional; all given ones must "
    "hold. Text matches ignore case, accents and spaces."
)
class SupplyPointFilter:
    commodity: list[Commodity] | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Any of these commodities; all when omitted."
    )
    contract_type: list[ContractType] | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Any of these contract types; all when omitted."
    )
    code: str | None = strawberry.field(
        default=None,
        description="Part of the EAN / EIC code: `4567` finds every code containing 4567 (spaces ignored).",
    )
    address_text: str | None = strawberry.field(
        default=None,
        description="Part of the supply point's address (street, house number, city or postcode): "
        "`plzen` finds `Plzeň`, `110 00` finds `11000`.",
    )


PageFirst = Annotated[int | None, strawberry.argument(description="At most 100; 20 when omitted.")]
PageAfter = Annotated[str | None, strawberry.argument(description="The `endCursor` of the page before.")]
ConsumptionGranularity = described_enum(
    domain_billing.ConsumptionGranularity,
    description="How consumption is summed for a chart.",
    values={
        "MONTH": "Per calendar month (Europe/Prague).",
        "BILLING_PERIOD": "Per billing period: the periods the invoices bill.",
    },
)
VoltageLevel = described_enum(
    domain.VoltageLevel,
    description="The connection's voltage level. High and very high voltage have a reserved capacity "
    "instead of a main breaker.",
    values={
        "LOW": "Up to 1 kV (NN): households and small firms, with a main breaker and a D or C tariff.",
        "HIGH": "1-52 kV (VN): large consumers, with a reserved capacity.",
        "VERY_HIGH": "Over 52 kV (VVN): the largest consumers, with a reserved capacity.",
    },
)


@public_fields
@strawberry.type(description="The connection of an electricity supply point (combined services only).")
class ElectricityTechnicalData:
    main_breaker_amps: int | None = strawberry.field(
        description="25 for a 3x25 A breaker; null on high and very high voltage (see `reservedCapacityKw`)."
    )
    phases: int = strawberry.field(description="1 or 3.")
    distribution_tariff: str | None = strawberry.field(
        description="Distribution tariff, e.g. D02d; null on high and very high voltage."
    )
    voltage_level: VoltageLevel = strawberry.field(description="The connection's voltage level.")  # type: ignore[valid-type]
    reserved_capacity_kw: int | None = strawberry.field(
        description="High and very high voltage: the contracted 15-minute power in kW; null on low voltage."
    )
    meter_number: str = strawberry.field(description="The meter's number, as printed on it.")
    expected_annual_consumption_kwh: int = strawberry.field(
        description="Expected consumption per year, in whole kWh."
    )
    last_reading_date: dt.date | None = strawberry.field(
        description="The day of the last meter reading (Europe/Prague); null when never read."
    )
    next_reading_date: dt.date | None = strawberry.field(
        description="The day of the next scheduled reading; null when none is scheduled."
    )


@public_fields
@strawberry.type(description="The connection of a gas supply point (combined services only).")
class GasTechnicalData:
    meter_number: str = strawberry.field(description="The meter's number, as printed on it.")
    consumption_band: str = strawberry.field(
        description="The consumption band as billed (`7 560 - 15 000 kWh`)."
    )
    expected_annual_consumption_kwh: int = strawberry.field(
        description="Expected consumption per year, in whole kWh."
    )
    last_reading_date: dt.date | None = strawberry.field(
        description="The day of the last meter reading (Europe/Prague); null when never read."
    )
    next_reading_date: dt.date | None = strawberry.field(
        description="The day of the next scheduled reading; null when none is scheduled."
    )


TechnicalData = Annotated[
    ElectricityTechnicalData | GasTechnicalData,
    strawberry.union(
        "TechnicalData", description="The technical data of a supply point: electricity or gas."
    ),
]


@public_fields
@strawberry.type(description="One register (counter) of a meter.")
class MeterRegister:
    code: str = strawberry.field(description="The register's code, e.g. 1.8.1.")
    kind: RegisterKind = strawberry.field(description="High tariff, low tariff, or the single register.")  # type: ignore[valid-type]
    last_reading_kwh: int = strawberry.field(
        description="The last reading, in whole units of `unit`.",
        deprecation_reason="Use `lastReading` and `unit`: a gas meter reads m³, not kWh.",
    )
    last_reading: int = strawberry.field(
        description="The last reading, in whole units of `unit` (kWh; m³ on a gas meter); a "
        "self-reading may not be below it."
    )
    unit: MeterUnit = strawberry.field(description="What the register counts.")  # type: ignore[valid-type]
    last_reading_date: dt.date = strawberry.field(description="The day of that reading (Europe/Prague).")

    @classmethod
    def from_domain(cls, register: domain.MeterRegister) -> MeterRegister:
        return cls(
            code=register.code,
            kind=register.kind,
            last_reading_kwh=register.last_reading_kwh,
            last_reading=register.last_reading_kwh,
            unit=register.unit,
            last_reading_date=register.last_reading_date,
        )


@public_fields
@strawberry.type(description="The meter of a supply point (combined services only).")
class Meter:
    number: str = strawberry.field(description="The meter's number, as printed on it.")
    registers: list[MeterRegister] = strawberry.field(
        description="HIGH_TARIFF and LOW_TARIFF on a dual tariff, one SINGLE register otherwise."
    )

    @classmethod
    def from_domain(cls, meter: domain.Meter) -> Meter:
        return cls(number=meter.number, registers=[MeterRegister.from_domain(r) for r in meter.registers])


@public_fields
@strawberry.type(description="Where a supply point's letters and invoices go.")
class Correspondence:
    address: Address = strawberry.field(description="Where letters (and paper invoices) go.")
    invoice_delivery: InvoiceDelivery = strawberry.field(description="E-invoice or paper.")  # type: ignore[valid-type]
    e_invoice_email: str | None = strawberry.field(description="Where e-invoices go; null on paper.")

    @classmethod
    def from_domain(cls, correspondence: domain.Correspondence) -> Correspondence:
        return cls(
            address=Address.from_domain(correspondence.address),
            invoice_delivery=correspondence.invoice_delivery,
            e_invoice_email=correspondence.e_invoice_email,
        )


@public_fields
@strawberry.type(description="How a supply point is billed.")
class BillingDetails:
    cycle: BillingCycle = strawberry.field(description="How often it is billed.")  # type: ignore[valid-type]
    billing_month: int | None = strawberry.field(
        description="1-12: the month of the yearly statement; null on a monthly or quarterly cycle."
    )
    invoice_recipient: str = strawberry.field(description="The name invoices are made out to.")

    @classmethod
    def from_domain(cls, billing: domain.BillingDetails) -> BillingDetails:
        return cls(
            cycle=billing.cycle,
            billing_month=billing.billing_month,
            invoice_recipient=billing.invoice_recipient,
        )


def technical_from_domain(
    data: domain.TechnicalData | None,
) -> ElectricityTechnicalData | GasTechnicalData | None:
    if isinstance(data, domain.ElectricityTechnicalData):
        return ElectricityTechnicalData(
            main_breaker_amps=data.main_breaker_amps,
            phases=data.phases,
            distribution_tariff=data.distribution_tariff,
            voltage_level=data.voltage_level,
            reserved_capacity_kw=data.reserved_capacity_kw,
            meter_number=data.meter_number,
            expected_annual_consumption_kwh=data.expected_annual_consumption_kwh,
            last_reading_date=data.last_reading_date,
            next_reading_date=data.next_reading_date,
        )
    if isinstance(data, domain.GasTechnicalData):
        return GasTechnicalData(
            meter_number=data.meter_number,
            consumption_band=data.consumption_band,
            expected_annual_consumption_kwh=data.expected_annual_consumption_kwh,
            last_reading_date=data.last_reading_date,
            next_reading_date=data.next_reading_date,
        )
    return None


@strawberry.type(
    description="A supply point (odběrné místo): one electricity or gas connection of the customer."
)
class SupplyPoint(Node):
    customer_number: strawberry.Private[str]
    point: strawberry.Private[domain.SupplyPoint]
    code: str = strawberry.field(
        metadata=PUBLIC, description="EAN (18 digits) for electricity, EIC (16 characters) for gas."
    )
    commodity: Commodity = strawberry.field(description="Electricity or gas.", metadata=PUBLIC)  # type: ignore[valid-type]
    contract_type: ContractType = strawberry.field(  # type: ignore[valid-type]
        description="Combined services or supply only: decides `offers`.", metadata=PUBLIC
    )
    address: Address = strawberry.field(description="Where the supply point is.", metadata=PUBLIC)
    product: str = strawberry.field(
        description="The product (price list) it is supplied on.", metadata=PUBLIC
    )
    technical: TechnicalData | None = strawberry.field(
        metadata=PUBLIC,
        description="Null on a supply-only contract: the distributor holds the technical data.",
    )
    expected_annual_consumption_kwh: int = strawberry.field(
        metadata=PUBLIC,
        description="Expected annual consumption in whole kWh, known on every contract (deposits are set "
        "from it).",
    )
    meter: Meter | None = strawberry.field(
        metadata=PUBLIC,
        description="The meter and its registers; null on a supply-only contract: the distributor "
        "holds them.",
    )
    correspondence: Correspondence = strawberry.field(
        description="Where its letters and invoices go.", metadata=PUBLIC
    )
    billing_details: BillingDetails = strawberry.field(
        description="How and to whom it is billed.", metadata=PUBLIC
    )

    @classmethod
    def from_domain(cls, point: domain.SupplyPoint) -> SupplyPoint:
        technical = offers(point.contract_type, point.commodity, Offering.TECHNICAL_DATA)
        return cls(
            id=to_global_id("SupplyPoint", point.id),
            customer_number=point.customer_number,
            point=point,
            code=point.code,
            commodity=point.commodity,
            contract_type=point.contract_type,
            address=Address.from_domain(point.address),
            product=point.product,
            technical=technical_from_domain(point.technical) if technical else None,
            expected_annual_consumption_kwh=point.expected_annual_consumption_kwh,
            meter=Meter.from_domain(point.meter) if technical and point.meter is not None else None,
            correspondence=Correspondence.from_domain(point.correspondence),
            billing_details=BillingDetails.from_domain(point.billing),
        )

    @strawberry.field(
        metadata=PUBLIC, description="What the portal offers for this supply point, by its contract type."
    )
    def offers(self) -> list[OfferingEnum]:  # type: ignore[valid-type]
        point = self.point
        return [o for o in Offering if offers(point.contract_type, point.commodity, o)]

    @strawberry.field(
        metadata=PUBLIC,
        description="The request kinds the portal offers for this supply point, each saying whether "
        "the viewer may submit it.",
    )
    def request_types(
        self, info: Info
    ) -> list[Annotated[RequestType, strawberry.lazy("gateway.schema.catalogue")]]:
        from gateway.resolvers.catalogue import submit_denial  # noqa: PLC0415 - see below
        from gateway.schema.catalogue import RequestType  # noqa: PLC0415 - catalogue imports this module

        denied = submit_denial(info, self.customer_number)
        return [RequestType.from_domain(e, denied=denied) for e in domain_catalogue.offered_for(self.point)]

    @strawberry.field(
        permission_classes=[requires(Scope.VIEW_BILLING)],
        description="Billing and payment details: the deposit plan, its payment method and bank account. "
        "Needs VIEW_BILLING; null when the supply point has no plan.",
    )
    async def deposit_plan(
        self, info: Info
    ) -> Annotated[DepositPlan, strawberry.lazy("gateway.schema.billing")] | None:
        from gateway.resolvers.deposits import (  # noqa: PLC0415 - billing types import this module
            resolve_supply_point_deposit_plan,
        )

        return await resolve_supply_point_deposit_plan(info, self.customer_number, self.point.id)

    @strawberry.field(
        permission_classes=[requires(Scope.VIEW_BILLING)],
        description="The meter readings billing holds, newest first, over the span of the invoices: "
        "every register's state with the reading's type.",
    )
    async def readings(
        self, info: Info, first: PageFirst = None, after: PageAfter = None
    ) -> Connection[Annotated[MeterReading, strawberry.lazy("gateway.schema.metering")]]:
        from gateway.resolvers.metering import resolve_readings  # noqa: PLC0415 - metering imports this module

        return await resolve_readings(info, self.point.id, first=first, after=after)

    @strawberry.field(
        permission_classes=[requires(Scope.VIEW_BILLING)],
        description="Consumption per calendar month or per billing period, oldest first, in kWh and per "
        "register (gas in m³ and kWh): ready to chart.",
    )
    async def consumption(
        self,
        info: Info,
        granularity: Annotated[
            ConsumptionGranularity,  # type: ignore[valid-type]
            strawberry.argument(
                description="Calendar months (the default) or the invoices' billing periods."
            ),
        ] = domain_billing.ConsumptionGranularity.MONTH,
        first: PageFirst = None,
        after: PageAfter = None,
    ) -> Connection[Annotated[ConsumptionPeriod, strawberry.lazy("gateway.schema.metering")]]:
        from gateway.resolvers.metering import resolve_consumption  # noqa: PLC0415 - metering imports this module

        return await resolve_consumption(
            info, self.point.id, granularity=granularity, first=first, after=after
        )
