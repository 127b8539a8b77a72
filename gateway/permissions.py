"""Who may see what, declared on every field.

A viewer's access to a customer number is a role plus scopes. Owners hold every scope;
delegates hold the scopes the owner granted; staff read everything and change nothing
(a staff key whose roles lack ``READ_CUSTOMERS`` reads no customer: ``Context.access``).
Every field of the schema declares who may read it (``Customer``, its overview and the node
types field by field), one of:

- ``permission_classes=[requires(Scope.VIEW_BILLING)]``: that scope on the object's customer
  number; ``requires_any(A, B, Role.STAFF)`` any one of several scopes or roles;
  ``requires_role(OWNER, STAFF)`` a role;
- ``permission_classes=[LoggedIn]`` (root fields): a portal user or staff, else UNAUTHENTICATED;
- ``metadata=PUBLIC``: no check of its own, whoever may see the object it belongs to may read
  it (on the roots: anyone); a value type (money, an address, a page, a mutation's payload)
  declares that once for all its fields with ``@public_fields``.

``tests/schema/test_permissions.py`` walks the schema and fails on a field that declares none.
The checks are synchronous and read only the request's context: they run per field per object.

- Requests are read with VIEW_BILLING (PRODUCT.md shows them beside invoices) or
  SUBMIT_REQUESTS (a delegate that files requests sees how they go).
- The inbox and the list of who has access belong to the owner; staff read everything
  read-only, so they read these too. A delegate gets FORBIDDEN.
- The customer's name and permanent address (personal data) need VIEW_SUPPLY_POINTS, which
  already shows the supply points' addresses and invoice recipient: a billing-only delegate
  does not see them. The overview's quick request types (what the supply points offer and
  the customer files most) need SUBMIT_REQUESTS or VIEW_SUPPLY_POINTS.
- The nomination contract needs MANAGE_NOMINATION (or staff): no other scope covers it.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Final, TypeVar

from strawberry.permission import BasePermission
from strawberry.types import Info
from strawberry.types.base import get_object_definition

from gateway.domain.access import ALL_SCOPES, Scope
from gateway.errors import Forbidden, NotFound


class Role(enum.Enum):
    OWNER = "OWNER"
    DELEGATE = "DELEGATE"
    STAFF = "STAFF"


STAFF_SCOPES: frozenset[Scope] = frozenset({Scope.VIEW_BILLING, Scope.VIEW_SUPPLY_POINTS})


class StaffRole(enum.Enum):
    """What a staff API key is for; a key holds one or more (``gateway api-key create --role``)."""

    SUPPORT = "SUPPORT"
    FINANCE = "FINANCE"
    OPERATIONS = "OPERATIONS"
    AUDITOR = "AUDITOR"


class StaffAbility(enum.Enum):
    """What a ``Staff`` field needs; each role grants some (``STAFF_ROLE_ABILITIES``)."""

    READ_CUSTOMERS = "READ_CUSTOMERS"  # customer(number), node(s), and Customer reached through staff
    SEARCH_CUSTOMERS = "SEARCH_CUSTOMERS"
    REQUEST_QUEUE = "REQUEST_QUEUE"
    RECEIVABLES = "RECEIVABLES"  # overdue invoices and the receivables summary
    NOMINATION_STATUS = "NOMINATION_STATUS"
    AUDIT_LOG = "AUDIT_LOG"


_SUPPORT = frozenset({StaffAbility.READ_CUSTOMERS, StaffAbility.SEARCH_CUSTOMERS, StaffAbility.REQUEST_QUEUE})
STAFF_ROLE_ABILITIES: Mapping[StaffRole, frozenset[StaffAbility]] = MappingProxyType(
    {
        StaffRole.SUPPORT: _SUPPORT,
        StaffRole.FINANCE: _SUPPORT | {StaffAbility.RECEIVABLES},
        StaffRole.OPERATIONS: _SUPPORT | {StaffAbility.NOMINATION_STATUS},
        StaffRole.AUDITOR: frozenset({StaffAbility.AUDIT_LOG}),
    }
)
"""The one table of what each staff role may do: SUPPORT reads customers, searches and the
request queue; FINANCE adds receivables and overdue lists; OPERATIONS adds nomination status;
AUDITOR reads the audit trail and nothing else."""


def staff_abilities(roles: frozenset[StaffRole]) -> frozenset[StaffAbility]:
    return frozenset().union(*(STAFF_ROLE_ABILITIES[role] for role in roles))


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


def requires_any(*grants: Scope | Role) -> type[BasePermission]:
    """Any one of ``grants``: a scope the access holds, or its role."""
    scopes = frozenset(grant for grant in grants if isinstance(grant, Scope))
    roles = frozenset(grant for grant in grants if isinstance(grant, Role))

    class RequiresAny(BasePermission):
        message = "You may not see or do this."

        def has_permission(self, source: Any, info: Info[Any, Any], **kwargs: Any) -> bool:
            access = require_access(info.context.access(source.customer_number))
            if access.role not in roles and scopes.isdisjoint(access.scopes):
                raise Forbidden
            return True

    RequiresAny.__name__ = "RequiresAnyOf" + "Or".join(g.name.title().replace("_", "") for g in grants)
    return RequiresAny


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


def requires_staff(ability: StaffAbility) -> type[BasePermission]:
    """A permission for the fields of ``Staff``: the key's roles must grant ``ability``
    (FORBIDDEN otherwise)."""

    class RequiresStaffAbility(BasePermission):
        message = "You may not see or do this."
        required: Final = ability  # what tests/schema/test_staff_abilities.py reads back

        def has_permission(self, source: Any, info: Info[Any, Any], **kwargs: Any) -> bool:
            staff = info.context.staff
            if staff is None or ability not in staff_abilities(staff.roles):
                raise Forbidden
            return True

    RequiresStaffAbility.__name__ = f"RequiresStaff{ability.name.title().replace('_', '')}"
    return RequiresStaffAbility


class LoggedIn(BasePermission):
    """A portal user or staff: UNAUTHENTICATED for anyone else, saying so when the credential
    presented did not resolve (``Context.require_identity``)."""

    message = "You need to log in."

    def has_permission(self, source: Any, info: Info[Any, Any], **kwargs: Any) -> bool:
        info.context.require_identity()
        return True


class NoRejectedCredential(BasePermission):
    """Anyone, anonymous included, except a caller whose credential did not resolve: it is
    told (UNAUTHENTICATED) instead of silently answered as anonymous."""

    message = "You need to log in."

    def has_permission(self, source: Any, info: Info[Any, Any], **kwargs: Any) -> bool:
        info.context.refuse_rejected_credential()
        return True


REQUEST_READERS = requires_any(Scope.VIEW_BILLING, Scope.SUBMIT_REQUESTS)
OWNER_OR_STAFF = requires_role(Role.OWNER, Role.STAFF)

VISIBILITY: Final = "visibility"
PUBLIC: Final[Mapping[str, str]] = MappingProxyType({VISIBILITY: "public"})
"""Field metadata (``strawberry.field(metadata=PUBLIC)``): no check of its own; whoever may see
the object may read the field. Costs nothing at run time."""

PUBLIC_FIELDS: Final = "__public_fields__"
_T = TypeVar("_T")


def public_fields(cls: _T) -> _T:
    """Mark every field of a value type ``PUBLIC`` (under ``@strawberry.type``): its fields are
    exactly as visible as the field that reached it. Not for ``Customer``, its overview or a
    node type: there each field decides."""
    definition = get_object_definition(cls, strict=True)
    for field in definition.fields:
        field.metadata = MappingProxyType({**field.metadata, **PUBLIC})
    setattr(cls, PUBLIC_FIELDS, True)
    return cls
