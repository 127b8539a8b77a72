"""Every field of ``Staff`` declares the one ability it needs, and it is the one expected.

``EXPECTED`` is written by hand, not read from the code: a field added without
``requires_staff``, or with the wrong ability, fails here by name. The fields other helpers
add (search, receivables, queues, nomination status) are listed ahead of them; a listed
field not (yet) in the schema is skipped. ``tests/e2e/test_staff_roles.py`` runs each field
with a key of each role against this table and ``STAFF_ROLE_ABILITIES``.
"""

from __future__ import annotations

from graphql import GraphQLObjectType
from strawberry.types.field import StrawberryField

from gateway.permissions import PUBLIC, STAFF_ROLE_ABILITIES, VISIBILITY, StaffAbility, StaffRole
from gateway.schema import schema

PUBLIC_FIELD = None  # no ability: whoever reaches ``staff`` reads it
EXPECTED: dict[str, StaffAbility | None] = {
    "name": PUBLIC_FIELD,
    "roles": PUBLIC_FIELD,
    "searchCustomers": StaffAbility.SEARCH_CUSTOMERS,
    "overdueInvoices": StaffAbility.RECEIVABLES,
    "receivables": StaffAbility.RECEIVABLES,
    "requestQueue": StaffAbility.REQUEST_QUEUE,
    "nominationStatus": StaffAbility.NOMINATION_STATUS,
    "auditLog": StaffAbility.AUDIT_LOG,
}
NOT_DECLARED = "no requires_staff and not PUBLIC"


def staff_type() -> GraphQLObjectType:
    staff = schema._schema.get_type("Staff")
    assert isinstance(staff, GraphQLObjectType)
    return staff


def declared_ability(name: str) -> StaffAbility | str | None:
    """The ability a ``Staff`` field's ``requires_staff`` names; None when it is PUBLIC."""
    definition = staff_type().fields[name].extensions["strawberry-definition"]
    assert isinstance(definition, StrawberryField)
    abilities = [getattr(permission, "required", None) for permission in definition.permission_classes]
    named = [ability for ability in abilities if isinstance(ability, StaffAbility)]
    if len(named) == 1 and len(abilities) == 1:
        return named[0]
    if not abilities and definition.metadata.get(VISIBILITY) == PUBLIC[VISIBILITY]:
        return PUBLIC_FIELD
    return NOT_DECLARED


def staff_fields() -> list[str]:
    return list(staff_type().fields)


def test_every_staff_field_needs_the_ability_the_table_expects() -> None:
    declared = {name: declared_ability(name) for name in staff_fields()}

    assert declared == {name: EXPECTED.get(name, "not in EXPECTED") for name in declared}


def test_the_fields_of_this_branch_are_there() -> None:
    assert {"name", "roles", "auditLog"} <= set(staff_fields())


def test_a_field_without_a_declaration_is_told_apart() -> None:
    # ``staff`` itself (on Query) has a permission, but not requires_staff
    query = schema._schema.query_type
    assert query is not None
    definition = query.fields["staff"].extensions["strawberry-definition"]
    abilities = [getattr(permission, "required", None) for permission in definition.permission_classes]

    assert abilities == [None]


def test_every_ability_some_field_needs_is_granted_by_some_role_and_auditors_only_read_the_log() -> None:
    granted = set().union(*STAFF_ROLE_ABILITIES.values())

    assert {ability for ability in EXPECTED.values() if ability is not None} <= granted
    assert STAFF_ROLE_ABILITIES[StaffRole.AUDITOR] == {StaffAbility.AUDIT_LOG}
    assert all(
        StaffAbility.READ_CUSTOMERS in STAFF_ROLE_ABILITIES[role]
        for role in StaffRole
        if role is not StaffRole.AUDITOR
    )
