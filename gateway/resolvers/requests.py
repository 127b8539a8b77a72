"""Resolvers for customer requests."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from gateway.context import Info
from gateway.domain import requests as domain
from gateway.domain.access import Scope
from gateway.errors import BadUserInput, Forbidden, NotFound
from gateway.permissions import require_access
from gateway.schema.node import from_global_id
from gateway.schema.pagination import Connection, paginate
from gateway.schema.requests import CustomerRequest, RequestFilter

PRAGUE = ZoneInfo("Europe/Prague")
READ_SCOPES = (Scope.VIEW_BILLING, Scope.SUBMIT_REQUESTS)


def _matches(request: domain.CustomerRequest, filter: RequestFilter, supply_point_id: str | None) -> bool:
    created = request.created_at.astimezone(PRAGUE).date()
    return (
        (filter.closed is None or request.state.is_closed is filter.closed)
        and (not filter.states or request.state in filter.states)
        and (not filter.kinds or request.kind in filter.kinds)
        and (filter.created_from is None or created >= filter.created_from)
        and (filter.created_to is None or created <= filter.created_to)
        and (supply_point_id is None or request.supply_point_id == supply_point_id)
    )


def _supply_point_id(filter: RequestFilter) -> str | None:
    if filter.supply_point_id is None:
        return None
    try:
        return from_global_id(filter.supply_point_id, expected="SupplyPoint")[1]
    except NotFound:
        raise BadUserInput("`supplyPointId` is not a supply point's ID.") from None


async def resolve_requests(
    info: Info, customer_number: str, filter: RequestFilter | None, first: int | None, after: str | None
) -> Connection[CustomerRequest]:
    requests = await info.context.loaders.requests_by_customer.load(customer_number)
    if filter is not None:
        if filter.created_from and filter.created_to and filter.created_from > filter.created_to:
            raise BadUserInput("`createdFrom` is later than `createdTo`.")
        point = _supply_point_id(filter)
        requests = [r for r in requests if _matches(r, filter, point)]
    newest_first = sorted(requests, key=lambda r: (r.created_at, r.id), reverse=True)
    return paginate(newest_first, CustomerRequest.from_domain, first=first, after=after)


async def resolve_request_node(info: Info, request_id: str) -> CustomerRequest:
    request = await info.context.loaders.request_by_id.load(request_id)
    if request is None:
        raise NotFound
    access = require_access(info.context.access(request.customer_number))
    if not any(access.allows(scope) for scope in READ_SCOPES):
        raise Forbidden
    return CustomerRequest.from_domain(request)
