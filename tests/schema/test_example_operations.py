"""The operations a newcomer copies, examples/frontend/operations/*.graphql (``make codegen-check``
generates TypeScript from them), are valid against the schema, so the suite fails when the
schema moves away from them."""

from __future__ import annotations

from pathlib import Path

import pytest
from graphql import parse, validate

from gateway.schema import schema

OPERATIONS = sorted(
    (Path(__file__).resolve().parents[2] / "examples" / "frontend" / "operations").glob("*.graphql")
)


def test_there_are_example_operations() -> None:
    assert len(OPERATIONS) >= 3


@pytest.mark.parametrize("path", OPERATIONS, ids=[path.stem for path in OPERATIONS])
def test_an_example_operation_is_valid_against_the_schema(path: Path) -> None:
    errors = validate(schema._schema, parse(path.read_text()))

    assert [error.message for error in errors] == []
