"""Supply points (odběrná místa): technical data, meter and registers, billing and correspondence details."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated

import strawberry

from gateway.context import Info
from gateway.domain import catalogue as domain_catalogue
from gateway.domain import supply_points as domain
from gateway.domain.access import Scope
from gateway.domain.offerings import Offering, offers
from gateway.permissions import PUBLIC, public_fields, requires
from gateway.schema.common import Address
from gateway.schema.node import Node, to_global_id

if TYPE_CHECKING:
    from gateway.schema.billing import DepositPlan
    from gateway.schema.catalogue import RequestType

Commodity = strawberry.enum(domain.Commodity)
OfferingEnum = strawberry.enum(
    Offering, name="Offering", description="What a supply point's contract type offers (PRODUCT.md's table)."
)
ContractType = strawberry.enum(
    domain.ContractType,
    description="COMBINED_SERVICES: supply and distribution from us; SUPPLY_ONLY: the distributor "
    "holds the technical data.",
)
RegisterKind = strawberry.enum(
    domain.RegisterKind,
    description="HIGH_TARIFF (VT) and LOW_TARIFF (NT) on a dual-tariff meter; SINGLE otherwise.",
)
InvoiceDelivery = strawberry.enum(
    domain.InvoiceDelivery, description="EMAIL: e-invoice; PAPER: by post to the correspondence address."
)
BillingCycle = strawberry.enum(domain.BillingCycle)


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


@public_fields
@strawberry.type
class ElectricityTechnicalData:
    main_breaker_amps: int = strawberry.field(description="25 for a 3x25 A breaker.")
    phases: int
    distribution_tariff: str = strawberry.field(description="Distribution tariff, e.g. D02d.")
    meter_number: str
    expected_annual_consumption_kwh: int
    last_reading_date: dt.date | None
    next_reading_date: dt.date | None


@public_fields
@strawberry.type
class GasTechnicalData:
    meter_number: str
    consumption_band: str
    expected_annual_consumption_kwh: int
    last_reading_date: dt.date | None
    next_reading_date: dt.date | None


TechnicalData = Annotated[ElectricityTechnicalData | GasTechnicalData, strawberry.union("TechnicalData")]


@public_fields
@strawberry.type
class MeterRegister:
    code: str = strawberry.field(description="The register's code, e.g. 1.8.1.")
    kind: RegisterKind  # type: ignore[valid-type]
    last_reading_kwh: int = strawberry.field(
        description="The last reading in whole kWh; a self-reading may not be below it."
    )
    last_reading_date: dt.date

    @classmethod
    def from_domain(cls, register: domain.MeterRegister) -> MeterRegister:
        return cls(
            code=register.code,
            kind=register.kind,
            last_reading_kwh=register.last_reading_kwh,
            last_reading_date=register.last_reading_date,
        )


@public_fields
@strawberry.type
class Meter:
    number: str
    registers: list[MeterRegister] = strawberry.field(
        description="HIGH_TARIFF and LOW_TARIFF on a dual tariff, one SINGLE register otherwise."
    )

    @classmethod
    def from_domain(cls, meter: domain.Meter) -> Meter:
        return cls(number=meter.number, registers=[MeterRegister.from_domain(r) for r in meter.registers])


@public_fields
@strawberry.type
class Correspondence:
    address: Address = strawberry.field(description="Where letters (and paper invoices) go.")
    invoice_delivery: InvoiceDelivery  # type: ignore[valid-type]
    e_invoice_email: str | None = strawberry.field(description="Where e-invoices go; null on paper.")

    @classmethod
    def from_domain(cls, correspondence: domain.Correspondence) -> Correspondence:
        return cls(
            address=Address.from_domain(correspondence.address),
            invoice_delivery=correspondence.invoice_delivery,
            e_invoice_email=correspondence.e_invoice_email,
        )


@public_fields
@strawberry.type
class BillingDetails:
    cycle: BillingCycle  # type: ignore[valid-type]
    billing_month: int | None = strawberry.field(
        description="1-12: the month of the yearly statement; null on a monthly or quarterly cycle."
    )
    invoice_recipient: str

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


@strawberry.type
class SupplyPoint(Node):
    customer_number: strawberry.Private[str]
    point: strawberry.Private[domain.SupplyPoint]
    code: str = strawberry.field(
        metadata=PUBLIC, description="EAN (18 digits) for electricity, EIC (16 characters) for gas."
    )
    commodity: Commodity = strawberry.field(metadata=PUBLIC)  # type: ignore[valid-type]
    contract_type: ContractType = strawberry.field(metadata=PUBLIC)  # type: ignore[valid-type]
    address: Address = strawberry.field(metadata=PUBLIC)
    product: str = strawberry.field(metadata=PUBLIC)
    technical: TechnicalData | None = strawberry.field(
        metadata=PUBLIC,
        description="Null on a supply-only contract: the distributor holds the technical data.",
    )
    expected_annual_consumption_kwh: int = strawberry.field(
        metadata=PUBLIC,
        description="Expected annual consumption, known on every contract (deposits are set from it).",
    )
    meter: Meter | None = strawberry.field(
        metadata=PUBLIC,
        description="The meter and its registers; null on a supply-only contract: the distributor "
        "holds them.",
    )
    correspondence: Correspondence = strawberry.field(metadata=PUBLIC)
    billing_details: BillingDetails = strawberry.field(metadata=PUBLIC)

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
        description="Billing and payment details: the deposit plan, its payment method and bank account.",
    )
    async def deposit_plan(
        self, info: Info
    ) -> Annotated[DepositPlan, strawberry.lazy("gateway.schema.billing")] | None:
        from gateway.resolvers.deposits import (  # noqa: PLC0415 - billing types import this module
            resolve_supply_point_deposit_plan,
        )

        return await resolve_supply_point_deposit_plan(info, self.customer_number, self.point.id)
