"""The operations a newcomer copies, examples/frontend/operations/*.graphql (``make codegen-check``
generates TypeScript from them) and GraphiQL's default tabs, are valid against the schema, so
the suite fails when the schema moves away from them."""

from __future__ import annotations

from pathlib import Path

import pytest
from graphql import parse, validate

from gateway.http.graphiql import DEFAULT_TABS
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


@pytest.mark.parametrize("index", range(len(DEFAULT_TABS)))
def test_a_graphiql_default_tab_is_valid_against_the_schema(index: int) -> None:
    errors = validate(schema._schema, parse(DEFAULT_TABS[index]))

    assert [error.message for error in errors] == []


def test_graphiql_opens_on_the_login_and_the_readmes_sample_query() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()

    assert 'login(input: {login: "novak", password: "Demo-heslo-2026"})' in DEFAULT_TABS[0]
    assert "invoices(first: 5, filter: {status: [UNPAID, OVERDUE]})" in DEFAULT_TABS[1]
    assert 'customer(number: "1000012345")' in readme
    assert "invoices(first: 5, filter: {status: [UNPAID, OVERDUE]})" in readme
