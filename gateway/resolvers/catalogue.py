"""Resolvers for the request-type catalogue."""

from __future__ import annotations

from gateway.context import Info
from gateway.domain import catalogue
from gateway.domain.access import Scope
from gateway.domain.supply_points import Commodity
from gateway.errors import NotFound
from gateway.permissions import require_access
from gateway.schema.node import from_global_id


async def resolve_request_types(
    info: Info, *, commodity: Commodity | None, supply_point_id: str | None
) -> list[catalogue.RequestType]:
    entries = list(catalogue.CATALOGUE)
    if commodity is not None:
        entries = [e for e in entries if e.commodity is None or e.commodity is commodity]
    if supply_point_id is None:
        return entries
    _, raw_id = from_global_id(supply_point_id, expected="SupplyPoint")
    point = await info.context.loaders.supply_point_by_id.load(raw_id)
    if point is None:
        raise NotFound
    require_access(info.context.access(point.customer_number), Scope.VIEW_SUPPLY_POINTS)
    return [e for e in entries if e.offered_for(point)]
