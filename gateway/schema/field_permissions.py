"""Field permissions beyond one scope (``gateway.permissions.requires``), declared on fields the same way.

- ``requires_any(A, B)``: any one of the scopes will do. Requests are read with
  ``VIEW_BILLING`` (PRODUCT.md shows them beside invoices) or ``SUBMIT_REQUESTS`` (a delegate
  that files requests sees how they go).
- ``requires_role(OWNER, STAFF)``: the inbox and the list of who has access belong to the
  owner; staff read everything read-only, so they read these too. A delegate gets FORBIDDEN.

Both answer NOT_FOUND without any access to the customer number, like ``requires``.
"""

from __future__ import annotations

from typing import Any

from strawberry.permission import BasePermission
from strawberry.types import Info

from gateway.domain.access import Scope
from gateway.errors import Forbidden
from gateway.permissions import Role, require_access


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
