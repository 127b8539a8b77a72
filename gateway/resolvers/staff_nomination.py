"""``Staff.nominationStatus``: decode the week, ask the nomination system for its status, audit
the consumers it reveals.

The week is any day of it; without one, the coming week (the one after today's, Europe/Prague),
whose values are due next. The gate closes at the earlier of the nomination system's deadline and
the gateway's own (``GATEWAY_NOMINATION_WEEKLY_GATE``), since the portal refuses values after
either: that is the deadline a consumer meets.
"""

from __future__ import annotations

import datetime as dt

from gateway.context import Info
from gateway.domain.nomination import ConsumerWeekStatus
from gateway.errors import BadUserInput
from gateway.nomination.intervals import PRAGUE, UTC
from gateway.nomination.validation import weekly_gate_closure
from gateway.schema.customer import Customer
from gateway.schema.staff_nomination import NominationConsumerStatus, NominationStatus

WEEKS_BACK = 52  # the nomination system keeps a year of weekly status for the dashboards
WEEKS_AHEAD = 12  # and plans a quarter ahead


def coming_week(today: dt.date) -> dt.date:
    """The Monday after ``today``'s week."""
    return today + dt.timedelta(days=7 - today.weekday())


def week_of(day: dt.date | None, *, today: dt.date) -> dt.date:
    """The Monday of ``day``'s week (the coming week without one); ``BadUserInput`` for a week
    outside the range the status covers."""
    coming = coming_week(today)
    if day is None:
        return coming
    monday = day - dt.timedelta(days=day.weekday())
    earliest = coming - dt.timedelta(weeks=WEEKS_BACK)
    latest = coming + dt.timedelta(weeks=WEEKS_AHEAD)
    if not earliest <= monday <= latest:
        raise BadUserInput(
            f"`week` must be a day of a week from {earliest} to {latest} (up to {WEEKS_BACK} weeks "
            f"before and {WEEKS_AHEAD} after the coming week, {coming}); {day} is not."
        )
    return monday


def _consumer(status: ConsumerWeekStatus) -> NominationConsumerStatus:
    return NominationConsumerStatus(
        customer=Customer.of(status.customer_number),  # staff may see every customer number
        customer_number=status.customer_number,
        customer_name=status.customer_name,
        eic=status.eic,
        contract_number=status.contract_number,
        submitted=status.submitted,
        submitted_at=status.submitted_at.astimezone(PRAGUE) if status.submitted_at else None,
    )


async def resolve_nomination_status(info: Info, week: dt.date | None) -> NominationStatus:
    services = info.context.services
    now = services.clock()
    week_start = week_of(week, today=now.astimezone(PRAGUE).date())
    status = await info.context.loaders.nomination_week_status_by_start.load(week_start)
    info.context.staff_reads.update(c.customer_number for c in status.consumers)
    closure = min(
        status.gate_closure,
        weekly_gate_closure(week_start, services.gate_closure),
        key=lambda t: t.astimezone(UTC),
    ).astimezone(PRAGUE)
    consumers = sorted(status.consumers, key=lambda c: (c.submitted, c.customer_number))
    return NominationStatus(
        week_start=week_start,
        gate_closure=closure,
        gate_open=status.gate_open and now.astimezone(UTC) < closure.astimezone(UTC),
        expected=status.expected,
        submitted=status.submitted,
        consumers=[_consumer(c) for c in consumers],
    )
