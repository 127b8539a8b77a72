"""What the gateway needs from the CRM."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from gateway.domain.customers import Customer
from gateway.domain.supply_points import SupplyPoint


class CrmBackend(Protocol):
    async def customers(self, numbers: Sequence[str]) -> list[Customer | None]: ...

    async def supply_points_by_customer(self, numbers: Sequence[str]) -> list[list[SupplyPoint]]:
        """Every supply point of each customer; an unknown customer has none."""

    async def supply_points_by_id(self, ids: Sequence[str]) -> list[SupplyPoint | None]: ...

    async def ping(self) -> None:
        """Raise ``BackendError`` unless the back end answers."""
