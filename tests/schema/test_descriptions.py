"""Every type, field, argument, input field and enum value of the schema is described, for a
front-end developer who knows the portal but not the back ends."""

from __future__ import annotations

import enum

import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
)

from gateway.schema import schema
from gateway.schema.artifact import REGENERATE
from gateway.schema.common import described_enum

# graphql-core's own scalars and directives come described; the introspection types are the spec's.
BUILT_IN = {"String", "Int", "Float", "Boolean", "ID"}


def _undescribed(named: GraphQLNamedType) -> list[str]:
    missing = [] if (named.description or "").strip() else [named.name]
    if isinstance(named, GraphQLObjectType | GraphQLInterfaceType):
        for name, field in named.fields.items():
            if not (field.description or "").strip():
                missing.append(f"{named.name}.{name}")
            missing += [
                f"{named.name}.{name}({arg}:)"
                for arg, argument in field.args.items()
                if not (argument.description or "").strip()
            ]
    elif isinstance(named, GraphQLInputObjectType):
        missing += [
            f"{named.name}.{name}"
            for name, field in named.fields.items()
            if not (field.description or "").strip()
        ]
    elif isinstance(named, GraphQLEnumType):
        missing += [
            f"{named.name}.{name}"
            for name, value in named.values.items()
            if not (value.description or "").strip()
        ]
    elif isinstance(named, GraphQLUnionType):
        pass  # its members are types of their own
    return missing


def undescribed(graphql_schema: GraphQLSchema) -> list[str]:
    """Every schema coordinate without a description, sorted."""
    missing: list[str] = []
    for name, named in graphql_schema.type_map.items():
        if name.startswith("__") or name in BUILT_IN:
            continue
        missing += _undescribed(named)
    for directive in graphql_schema.directives:
        if not (directive.description or "").strip():
            missing.append(f"@{directive.name}")
        missing += [
            f"@{directive.name}({arg}:)"
            for arg, a in directive.args.items()
            if not (a.description or "").strip()
        ]
    return sorted(missing)


def test_every_type_field_argument_and_enum_value_is_described() -> None:
    missing = undescribed(schema._schema)

    assert not missing, (
        f"{len(missing)} schema elements have no description; describe each (then `{REGENERATE}`):\n"
        + "\n".join(missing)
    )


def test_the_walk_finds_what_is_missing() -> None:
    from graphql import build_schema  # noqa: PLC0415

    sdl = """
    "Described."
    type Query {
      "Described."
      a("Described." x: Int, y: Int): E
      b: Int
    }
    "Described."
    enum E { "Described." ONE TWO }
    input I { "Described." p: Int }
    """

    assert undescribed(build_schema(sdl)) == ["E.TWO", "I", "Query.a(y:)", "Query.b"]


def test_an_enum_value_left_undescribed_fails_where_the_enum_is_made() -> None:
    class Colour(enum.Enum):
        RED = "RED"
        BLUE = "BLUE"

    with pytest.raises(TypeError, match=r"describe \['BLUE'\], drop \['GREEN'\]"):
        described_enum(Colour, description="A colour.", values={"RED": "Red.", "GREEN": "Green."})
