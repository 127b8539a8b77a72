"""Resolvers for a supply point's meter readings and consumption: one billing call per 100 points."""

from __future__ import annotations

from itertools import groupby

from gateway.context import Info
from gateway.domain import billing as domain
from gateway.schema.metering import ConsumptionPeriod, MeterReading
from gateway.schema.pagination import Connection, paginate


async def resolve_readings(
    info: Info, supply_point_id: str, *, first: int | None, after: str | None
) -> Connection[MeterReading]:
    readings = await info.context.loaders.meter_readings_by_supply_point.load(supply_point_id)
    return paginate(readings, MeterReading.from_domain, first=first, after=after)


async def resolve_consumption(
    info: Info,
    supply_point_id: str,
    *,
    granularity: domain.ConsumptionGranularity,
    first: int | None,
    after: str | None,
) -> Connection[ConsumptionPeriod]:
    """Oldest first, as a chart's x axis runs; one node per period with its registers."""
    uses = await info.context.loaders.consumption_by_supply_point.load(supply_point_id)
    chosen = sorted(
        (use for use in uses if use.granularity is granularity),
        key=lambda use: (use.period_from, use.period_to),
    )
    periods = [list(group) for _, group in groupby(chosen, key=lambda use: (use.period_from, use.period_to))]
    return paginate(periods, ConsumptionPeriod.from_domain, first=first, after=after)
