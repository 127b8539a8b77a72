"""What the portal offers for a supply point, by its contract type: PRODUCT.md's table, in one place."""

from __future__ import annotations

import enum

from gateway.domain.supply_points import Commodity, ContractType


class Offering(enum.Enum):
    BILLING = "BILLING"  # invoices, deposits, payments, reminders, PDFs
    TECHNICAL_DATA = "TECHNICAL_DATA"  # breaker, phases, tariff, meter, reading dates
    METER_SELF_READING = "METER_SELF_READING"
    BREAKER_OR_TARIFF_CHANGE = "BREAKER_OR_TARIFF_CHANGE"  # electricity only
    INSTANT_CHANGES = "INSTANT_CHANGES"  # deposit, payment method, contact, address, e-invoice
    TRACKED_CONTRACT_CHANGES = "TRACKED_CONTRACT_CHANGES"  # product change, termination, free text


OFFERINGS: dict[ContractType, frozenset[Offering]] = {
    ContractType.COMBINED_SERVICES: frozenset(Offering),
    ContractType.SUPPLY_ONLY: frozenset(
        {Offering.BILLING, Offering.INSTANT_CHANGES, Offering.TRACKED_CONTRACT_CHANGES}
    ),
}


def offers(contract_type: ContractType, commodity: Commodity, offering: Offering) -> bool:
    if offering is Offering.BREAKER_OR_TARIFF_CHANGE and commodity is not Commodity.ELECTRICITY:
        return False
    return offering in OFFERINGS[contract_type]
