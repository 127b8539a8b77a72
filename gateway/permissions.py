"""Who may see what, declared in one place.

A viewer's access to a customer number is a role plus scopes. Owners hold every scope;
delegates hold the scopes the owner granted; staff read everything and change nothing.
Fields declare what they need with ``permission_classes=[requires(Scope.VIEW_BILLING)]``.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from strawberry.permission import BasePermission
from strawberry.types import Info

from gateway.domain.access import ALL_SCOPES, Scope
from gateway.errors import Forbidden, NotFound


class Role(enum.Enum):
    OWNER = "OWNER"
    DELEGATE = "DELEGATE"
    STAFF = "STAFF"


STAFF_SCOPES: frozenset[Scope] = frozenset({Scope.VIEW_BILLING, Scope.VIEW_SUPPLY_POINTS})


@dataclass(frozen=True, slots=True)
class Access:
    role: Role
    scopes: frozenset[Scope]

    def allows(self, scope: Scope | None) -> bool:
        return scope is None or scope in self.scopes


OWNER_ACCESS = Access(Role.OWNER, ALL_SCOPES)
STAFF_ACCESS = Access(Role.STAFF, STAFF_SCOPES)


def require_access(access: Access | None, scope: Scope | None = None) -> Access:
    """``NOT_FOUND`` without any access (the number's existence is never confirmed),
    ``FORBIDDEN`` when the access lacks ``scope``."""
    if access is None:
        raise NotFound
    if not access.allows(scope):
        raise Forbidden
    return access


def requires(scope: Scope) -> type[BasePermission]:
    """A permission for fields of a type that has a ``customer_number``."""

    class RequiresScope(BasePermission):
        message = "You may not see or do this."

        def has_permission(self, source: Any, info: Info[Any, Any], **kwargs: Any) -> bool:
            require_access(info.context.access(source.customer_number), scope)
            return True

    RequiresScope.__name__ = f"Requires{scope.name.title().replace('_', '')}"
    return RequiresScope
