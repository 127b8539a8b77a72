"""Resolvers for supply points."""

from __future__ import annotations

from gateway.context import Info
from gateway.domain.access import Scope
from gateway.errors import NotFound
from gateway.permissions import require_access
from gateway.schema.supply_points import SupplyPoint


async def resolve_supply_point_node(info: Info, supply_point_id: str) -> SupplyPoint:
    point = await info.context.loaders.supply_point_by_id.load(supply_point_id)
    if point is None:
        raise NotFound
    require_access(info.context.access(point.customer_number), Scope.VIEW_SUPPLY_POINTS)
    return SupplyPoint.from_domain(point)
