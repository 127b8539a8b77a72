"""What a portal user may do with a customer number: the scopes an owner grants."""

from __future__ import annotations

import enum


class Scope(enum.StrEnum):
    VIEW_BILLING = "VIEW_BILLING"
    VIEW_SUPPLY_POINTS = "VIEW_SUPPLY_POINTS"
    SUBMIT_REQUESTS = "SUBMIT_REQUESTS"
    MANAGE_NOMINATION = "MANAGE_NOMINATION"


ALL_SCOPES: frozenset[Scope] = frozenset(Scope)
