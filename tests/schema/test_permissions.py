"""Every field says who may read it: the schema walk that tells "declared" from "forgotten".

A field declares with permission classes (``requires``, ``requires_any``, ``requires_role``,
``LoggedIn``, ...) or with ``metadata=PUBLIC`` (no check of its own: whoever may see the object).
The walk starts at the roots (``Query``, ``Mutation``), ``Customer`` and every ``Node`` type and
follows every object type a field reaches (through lists, unions, interfaces and connections):
payloads and value types declare too, usually once for all their fields (``@public_fields``).
"""

from __future__ import annotations

from collections.abc import Iterable

import strawberry
from graphql import (
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    get_named_type,
)
from strawberry.types.base import StrawberryObjectDefinition
from strawberry.types.field import StrawberryField

from gateway.domain.access import Scope
from gateway.permissions import PUBLIC, PUBLIC_FIELDS, VISIBILITY, public_fields, requires
from gateway.schema import schema
from gateway.schema.node import Node

BACKREF = "strawberry-definition"
# Where scopes differ field by field: each field decides, none inherits a type-wide PUBLIC.
FIELD_BY_FIELD = ("Customer", "AccountOverview")


def declared(field: GraphQLField) -> bool:
    definition = field.extensions[BACKREF]
    assert isinstance(definition, StrawberryField)
    return bool(definition.permission_classes) or definition.metadata.get(VISIBILITY) == PUBLIC[VISIBILITY]


def node_types(graphql_schema: strawberry.Schema) -> list[GraphQLObjectType]:
    node = graphql_schema._schema.get_type("Node")
    assert isinstance(node, GraphQLInterfaceType)
    return list(graphql_schema._schema.get_implementations(node).objects)


def reachable(graphql_schema: GraphQLSchema, starts: Iterable[GraphQLObjectType]) -> list[GraphQLObjectType]:
    """Every object type reachable from ``starts`` through the types of their fields."""
    seen: dict[str, GraphQLObjectType] = {}
    pending = list(starts)
    while pending:
        current = pending.pop()
        if current.name in seen:
            continue
        seen[current.name] = current
        for field in current.fields.values():
            named = get_named_type(field.type)
            if isinstance(named, GraphQLObjectType):
                pending.append(named)
            elif isinstance(named, GraphQLUnionType):
                pending.extend(named.types)
            elif isinstance(named, GraphQLInterfaceType):
                pending.extend(graphql_schema.get_implementations(named).objects)
    return list(seen.values())


def undeclared(types: Iterable[GraphQLObjectType]) -> list[str]:
    return sorted(
        f"{graphql_type.name}.{name}"
        for graphql_type in types
        for name, field in graphql_type.fields.items()
        if not declared(field)
    )


def walk(graphql_schema: strawberry.Schema) -> list[GraphQLObjectType]:
    core = graphql_schema._schema
    starts = [core.query_type, core.mutation_type, core.get_type("Customer"), *node_types(graphql_schema)]
    return reachable(core, [t for t in starts if isinstance(t, GraphQLObjectType)])


def test_every_field_reachable_from_the_roots_customer_and_the_node_types_declares_who_may_read_it() -> None:
    # given
    types = walk(schema)

    # when
    missing = undeclared(types)

    # then
    assert {
        "Query",
        "Mutation",
        "Customer",
        "Invoice",
        "SupplyPoint",
        "Money",
        "AccountOverview",
        "NominationWeek",
        "LoginPayload",
    } <= {t.name for t in types}
    assert missing == [], "declare who may read these (gateway/permissions.py)"


def test_customer_its_overview_and_the_node_types_declare_field_by_field() -> None:
    boundaries = [schema._schema.get_type(name) for name in FIELD_BY_FIELD] + [*node_types(schema)]

    type_wide = [
        graphql_type.name
        for graphql_type in boundaries
        if isinstance(graphql_type, GraphQLObjectType)
        and isinstance(definition := graphql_type.extensions.get(BACKREF), StrawberryObjectDefinition)
        and getattr(definition.origin, PUBLIC_FIELDS, False)
    ]

    assert len(boundaries) > len(FIELD_BY_FIELD)
    assert type_wide == []


# A tiny schema: the walk must tell a forgotten field from a declared one, deep down too.


@public_fields
@strawberry.type
class Amount:
    value: int


@strawberry.type
class Detail:
    note: str
    amount: Amount = strawberry.field(metadata=PUBLIC)


@strawberry.type
class Bill(Node):
    customer_number: strawberry.Private[str]
    number: str = strawberry.field(metadata=PUBLIC)
    secret: str
    detail: Detail = strawberry.field(permission_classes=[requires(Scope.VIEW_BILLING)])


@strawberry.type
class Customer(Node):
    bills: list[Bill] = strawberry.field(metadata=PUBLIC)


@strawberry.type
class TinyQuery:
    customer: Customer | None = strawberry.field(metadata=PUBLIC)
    node: Node | None = strawberry.field(metadata=PUBLIC)
    forgotten: int


def test_the_walk_finds_a_forgotten_field_however_deep_it_is() -> None:
    tiny = strawberry.Schema(query=TinyQuery, types=[Bill])

    missing = undeclared(walk(tiny))

    assert missing == ["Bill.secret", "Detail.note", "TinyQuery.forgotten"]
