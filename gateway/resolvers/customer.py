"""Resolvers for reaching a customer number."""

from __future__ import annotations

from gateway.context import Info
from gateway.permissions import require_access
from gateway.schema.customer import Customer


def resolve_customer(info: Info, number: str) -> Customer:
    require_access(info.context.access(number))
    return Customer.of(number)
