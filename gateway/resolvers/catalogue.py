"""Resolvers for the request-type catalogue: what a supply point's contract offers, and
whether the viewer may submit it (the rule ``submitRequest`` enforces)."""

from __future__ import annotations

from gateway.context import Info
from gateway.domain import catalogue
from gateway.domain.access import Scope
from gateway.domain.catalogue import Denial, NotAllowedReason
from gateway.domain.supply_points import Commodity
from gateway.errors import NotFound
from gateway.permissions import Role, require_access
from gateway.schema.node import from_global_id


def submit_denial(info: Info, customer_number: str | None) -> Denial:
    """Why the viewer may not submit requests for ``customer_number`` (without one: for any
    customer number it sees), per catalogue entry. The same rule as ``submitRequest``'s:
    owners submit everything, delegates holding SUBMIT_REQUESTS all but the owner-only
    entries, staff only read."""
    context = info.context
    if context.staff is not None:
        return Denial(NotAllowedReason.STAFF_READ_ONLY)
    if context.viewer is None:
        return Denial(NotAllowedReason.SIGN_IN_REQUIRED)
    if customer_number is None:
        accesses = list(context.viewer.access.values())
    else:
        accesses = [access] if (access := context.access(customer_number)) is not None else []
    if any(a.role is not Role.STAFF and a.allows(Scope.SUBMIT_REQUESTS) for a in accesses):
        return Denial(None, owner=any(a.role is Role.OWNER for a in accesses))
    return Denial(NotAllowedReason.SCOPE_MISSING)


async def resolve_request_types(
    info: Info, *, commodity: Commodity | None, supply_point_id: str | None
) -> tuple[list[catalogue.RequestType], Denial]:
    """The entries, and why the viewer may not submit each."""
    entries = list(catalogue.CATALOGUE)
    if commodity is not None:
        entries = [e for e in entries if e.commodity is None or e.commodity is commodity]
    if supply_point_id is None:
        return entries, submit_denial(info, None)
    info.context.require_identity()  # before the lookup: anonymous callers learn nothing of it
    _, raw_id = from_global_id(supply_point_id, expected="SupplyPoint")
    point = await info.context.loaders.supply_point_by_id.load(raw_id)
    if point is None:
        raise NotFound
    require_access(info.context.access(point.customer_number), Scope.VIEW_SUPPLY_POINTS)
    return [e for e in entries if e.offered_for(point)], submit_denial(info, point.customer_number)
