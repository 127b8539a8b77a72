"""Resolvers for deposit plans (zálohy)."""

from __future__ import annotations

from gateway.context import Info
from gateway.domain.access import Scope
from gateway.errors import NotFound
from gateway.permissions import require_access
from gateway.schema.billing import DepositPlan


async def resolve_deposit_plans(info: Info, customer_number: str) -> list[DepositPlan]:
    plans = await info.context.loaders.deposit_plans_by_customer.load(customer_number)
    return [DepositPlan.from_domain(plan) for plan in plans]


async def resolve_deposit_plan_node(info: Info, customer_number: str, plan_id: str) -> DepositPlan:
    require_access(info.context.access(customer_number), Scope.VIEW_BILLING)
    plans = await info.context.loaders.deposit_plans_by_customer.load(customer_number)
    plan = next((plan for plan in plans if plan.id == plan_id), None)
    if plan is None:
        raise NotFound
    return DepositPlan.from_domain(plan)


async def resolve_supply_point_deposit_plan(
    info: Info, customer_number: str, supply_point_id: str
) -> DepositPlan | None:
    """The plan of one supply point: one billing call per customer, however many points ask."""
    plans = await info.context.loaders.deposit_plans_by_customer.load(customer_number)
    plan = next((plan for plan in plans if plan.supply_point_id == supply_point_id), None)
    return DepositPlan.from_domain(plan) if plan is not None else None
