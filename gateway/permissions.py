"""Who may see what, declared in one place.

A viewer's access to a customer number is a role plus scopes. Owners hold every scope;
delegates hold the scopes the owner granted; staff read everything and change nothing.
Fields declare what they need with ``permission_classes=[requires(Scope.VIEW_BILLING)]``;
``requires_any(A, B)`` takes any one of several scopes, ``requires_role(OWNER, STAFF)`` a role.

- Requests are read with VIEW_BILLING (PRODUCT.md shows them beside invoices) or
  SUBMIT_REQUESTS (a delegate that files requests sees how they go).
- The inbox and the list of who has access belong to the owner; staff read everything
  read-only, so they read these too. A delegate gets FORBIDDEN.
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


def requires_any(*scopes: Scope) -> type[BasePermission]:
    class RequiresAnyScope(BasePermission):
        message = "You may not see or do this."

        def has_permission(self, source: Any, info: Info[Any, Any], **kwargs: Any) -> bool:
            access = require_access(info.context.access(source.customer_number))
            if not any(access.allows(scope) for scope in scopes):
                raise Forbidden
            return True

    RequiresAnyScope.__name__ = "RequiresAnyOf" + "Or".join(s.name.title().replace("_", "") for s in scopes)
    return RequiresAnyScope


def requires_role(*roles: Role) -> type[BasePermission]:
    class RequiresRole(BasePermission):
        message = "You may not see or do this."

        def has_permission(self, source: Any, info: Info[Any, Any], **kwargs: Any) -> bool:
            access = require_access(info.context.access(source.customer_number))
            if access.role not in roles:
                raise Forbidden
            return True

    RequiresRole.__name__ = "Requires" + "Or".join(role.name.title() for role in roles)
    return RequiresRole


REQUEST_READERS = requires_any(Scope.VIEW_BILLING, Scope.SUBMIT_REQUESTS)
OWNER_OR_STAFF = requires_role(Role.OWNER, Role.STAFF)
