"""The permission classes built by ``requires``, ``requires_any``, ``requires_role`` and the
``@public_fields`` decorator, built here at test time (the schema builds its own at import)."""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import pytest
import strawberry
from strawberry.types.base import get_object_definition

from gateway.domain.access import ALL_SCOPES, Scope
from gateway.errors import Forbidden, NotFound
from gateway.permissions import (
    PUBLIC,
    PUBLIC_FIELDS,
    Access,
    Role,
    public_fields,
    requires,
    requires_any,
    requires_role,
)

NUMBER = "1000012345"
BILLING_DELEGATE = Access(Role.DELEGATE, frozenset({Scope.VIEW_BILLING}))
REQUESTS_DELEGATE = Access(Role.DELEGATE, frozenset({Scope.SUBMIT_REQUESTS}))
OWNER = Access(Role.OWNER, ALL_SCOPES)
STAFF = Access(Role.STAFF, frozenset({Scope.VIEW_BILLING, Scope.VIEW_SUPPLY_POINTS}))


@dataclass
class Context:
    """What the checks read of a request's context: its access to a customer number."""

    grants: dict[str, Access]

    def access(self, customer_number: str) -> Access | None:
        return self.grants.get(customer_number)


def check(permission: type[Any], access: Access | None, number: str = NUMBER) -> str:
    """``allowed``, ``NOT_FOUND`` or ``FORBIDDEN`` for ``access`` to the object of ``number``."""
    info = SimpleNamespace(context=Context({NUMBER: access} if access else {}))
    try:
        assert permission().has_permission(SimpleNamespace(customer_number=number), info) is True
    except NotFound:
        return "NOT_FOUND"
    except Forbidden:
        return "FORBIDDEN"
    return "allowed"


@pytest.mark.parametrize(
    ("access", "number", "answer"),
    [
        (BILLING_DELEGATE, NUMBER, "allowed"),
        (REQUESTS_DELEGATE, NUMBER, "FORBIDDEN"),
        (BILLING_DELEGATE, "2000000000", "NOT_FOUND"),  # the object's own number decides
        (None, NUMBER, "NOT_FOUND"),
    ],
)
def test_requires_a_scope_on_the_objects_number(access: Access | None, number: str, answer: str) -> None:
    permission = requires(Scope.VIEW_BILLING)

    assert check(permission, access, number) == answer
    assert permission.__name__ == "RequiresViewBilling"
    assert permission.message == "You may not see or do this."


@pytest.mark.parametrize(
    ("access", "answer"),
    [
        (BILLING_DELEGATE, "allowed"),
        (REQUESTS_DELEGATE, "FORBIDDEN"),
        (STAFF, "allowed"),
        (OWNER, "allowed"),
        (Access(Role.OWNER, frozenset()), "FORBIDDEN"),  # the role alone is not among the grants
        (None, "NOT_FOUND"),
    ],
)
def test_requires_any_grants_one_of_its_scopes_or_roles(access: Access | None, answer: str) -> None:
    permission = requires_any(Scope.VIEW_BILLING, Role.STAFF)

    assert check(permission, access) == answer
    assert permission.__name__ == "RequiresAnyOfViewBillingOrStaff"
    assert permission.message == "You may not see or do this."


@pytest.mark.parametrize(
    ("access", "answer"),
    [(OWNER, "allowed"), (STAFF, "allowed"), (BILLING_DELEGATE, "FORBIDDEN"), (None, "NOT_FOUND")],
)
def test_requires_role_grants_only_its_roles(access: Access | None, answer: str) -> None:
    permission = requires_role(Role.OWNER, Role.STAFF)

    assert check(permission, access) == answer
    assert permission.__name__ == "RequiresOwnerOrStaff"
    assert permission.message == "You may not see or do this."


def test_public_fields_marks_every_field_public_and_keeps_its_other_metadata() -> None:
    @public_fields
    @strawberry.type
    class Money:
        amount: str
        currency: str = strawberry.field(metadata={"unit": "ISO 4217"})

    fields = {field.name: field.metadata for field in get_object_definition(Money, strict=True).fields}

    assert fields == {"amount": dict(PUBLIC), "currency": {"unit": "ISO 4217", **PUBLIC}}
    assert getattr(Money, PUBLIC_FIELDS) is True


def test_public_fields_refuses_a_class_that_is_not_a_strawberry_type() -> None:
    class Plain:
        amount: str

    with pytest.raises(TypeError):
        public_fields(Plain)
