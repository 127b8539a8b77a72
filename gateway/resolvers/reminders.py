"""Resolvers for dunning reminders (upomínky)."""

from __future__ import annotations

from gateway.context import Info
from gateway.domain.access import Scope
from gateway.errors import NotFound
from gateway.permissions import require_access
from gateway.schema.billing import Reminder
from gateway.schema.pagination import Connection, paginate


async def resolve_reminders(
    info: Info, customer_number: str, first: int | None, after: str | None
) -> Connection[Reminder]:
    reminders = await info.context.loaders.reminders_by_customer.load(customer_number)
    newest_first = sorted(reminders, key=lambda r: (r.issue_date, r.id), reverse=True)
    return paginate(newest_first, Reminder.from_domain, first=first, after=after)


async def resolve_reminder_node(info: Info, customer_number: str, reminder_id: str) -> Reminder:
    require_access(info.context.access(customer_number), Scope.VIEW_BILLING)
    reminders = await info.context.loaders.reminders_by_customer.load(customer_number)
    reminder = next((r for r in reminders if r.id == reminder_id), None)
    if reminder is None:
        raise NotFound
    return Reminder.from_domain(reminder)
