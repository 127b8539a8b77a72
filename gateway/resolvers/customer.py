"""Resolvers for reaching a customer number."""

from __future__ import annotations

from gateway.context import Info
from gateway.errors import NotFound
from gateway.permissions import Role, require_access
from gateway.schema.customer import Customer


async def resolve_customer(info: Info, number: str) -> Customer:
    """A user's grant implies the number exists (registration proved it); staff may ask
    for any number, so for them it must exist in the CRM, or NOT_FOUND as for anyone."""
    access = require_access(info.context.access(number))
    if access.role is Role.STAFF and await info.context.loaders.customer_by_number.load(number) is None:
        raise NotFound
    return Customer.of(number)
