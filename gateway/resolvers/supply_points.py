"""Resolvers for supply points."""

from __future__ import annotations

import asyncio
import unicodedata

from graphql import FieldNode, FragmentSpreadNode, InlineFragmentNode, SelectionSetNode

from gateway.context import Info
from gateway.domain import supply_points as domain
from gateway.domain.access import Scope
from gateway.errors import NotFound
from gateway.permissions import require_access
from gateway.schema.pagination import Connection, paginate
from gateway.schema.supply_points import SupplyPoint, SupplyPointFilter


def folded(text: str) -> str:
    """``text`` for matching: lower case, without accents or white space (`Plzeň 1` -> `plzen1`)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c) and not c.isspace())


def matches(point: domain.SupplyPoint, filter: SupplyPointFilter | None) -> bool:
    if filter is None:
        return True
    if filter.commodity is not None and point.commodity not in filter.commodity:
        return False
    if filter.contract_type is not None and point.contract_type not in filter.contract_type:
        return False
    if filter.code and folded(filter.code) not in folded(point.code):
        return False
    if filter.address_text:
        address = point.address
        text = folded(" ".join((address.street, address.house_number, address.city, address.postcode)))
        if folded(filter.address_text) not in text:
            return False
    return True


async def resolve_supply_point_connection(
    info: Info, customer_number: str, filter: SupplyPointFilter | None, first: int | None, after: str | None
) -> Connection[SupplyPoint]:
    """The customer's supply points that match ``filter``, by code; one CRM call per customer
    (the same loader as the deprecated list)."""
    points = await info.context.loaders.supply_points_by_customer.load(customer_number)
    selected = sorted((p for p in points if matches(p, filter)), key=lambda p: p.code)
    return paginate(selected, SupplyPoint.from_domain, first=first, after=after)


def selects(info: Info, name: str) -> bool:
    """Whether the field being resolved selects ``name`` directly under it (through fragments too)."""
    raw = info._raw_info

    def within(selection_set: SelectionSetNode | None) -> bool:
        for selection in selection_set.selections if selection_set is not None else ():
            if isinstance(selection, FieldNode) and selection.name.value == name:
                return True
            if isinstance(selection, InlineFragmentNode) and within(selection.selection_set):
                return True
            if isinstance(selection, FragmentSpreadNode):
                fragment = raw.fragments.get(selection.name.value)
                if fragment is not None and within(fragment.selection_set):
                    return True
        return False

    return any(within(node.selection_set) for node in raw.field_nodes)


async def resolve_supply_points(info: Info, customer_number: str) -> list[SupplyPoint]:
    """The customer's supply points. When their deposit plans are asked for too (and may be
    seen), billing's call starts now, alongside the CRM's, not after it: plans are fetched by
    customer number, known already (no waterfall)."""
    loaders = info.context.loaders
    access = info.context.access(customer_number)
    if access is not None and access.allows(Scope.VIEW_BILLING) and selects(info, "depositPlan"):
        points, _ = await asyncio.gather(
            loaders.supply_points_by_customer.load(customer_number),
            loaders.deposit_plans_by_customer.load(customer_number),
            return_exceptions=True,
        )
        if isinstance(points, BaseException):
            raise points
    else:
        points = await loaders.supply_points_by_customer.load(customer_number)
    return [SupplyPoint.from_domain(point) for point in points]


async def resolve_supply_point_node(info: Info, supply_point_id: str) -> SupplyPoint:
    point = await info.context.loaders.supply_point_by_id.load(supply_point_id)
    if point is None:
        raise NotFound
    require_access(info.context.access(point.customer_number), Scope.VIEW_SUPPLY_POINTS)
    return SupplyPoint.from_domain(point)
