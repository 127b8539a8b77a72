"""How GraphQL errors are logged, on a tiny schema: a bug with its traceback at ERROR, a
client's error in one line without one, and never the document's literals."""

from __future__ import annotations

import hashlib
import logging

import pytest
import strawberry

from gateway.errors import BackendUnavailable, NotFound
from gateway.schema.error_log import GatewaySchema

SECRET = "Tajne-Heslo-987"


@strawberry.type
class Query:
    @strawberry.field
    def broken(self, note: str) -> int:
        raise RuntimeError("a bug")

    @strawberry.field
    def missing(self, note: str) -> int | None:
        raise NotFound

    @strawberry.field
    def billing(self) -> int | None:
        raise BackendUnavailable("billing")


schema = GatewaySchema(query=Query)


def gateway_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name.startswith(("gateway", "strawberry"))]


async def test_a_bug_is_logged_at_error_with_its_traceback_and_without_the_document(
    caplog: pytest.LogCaptureFixture,
) -> None:
    document = f'query Broken {{ broken(note: "{SECRET}") }}'

    await schema.execute(document)

    (record,) = gateway_records(caplog)
    assert record.levelno == logging.ERROR
    assert record.exc_info is not None and isinstance(record.exc_info[1], RuntimeError)
    assert "INTERNAL at broken" in record.getMessage()
    assert hashlib.sha256(document.encode()).hexdigest() in record.getMessage()
    assert SECRET not in caplog.text


async def test_client_errors_of_one_request_are_one_line_without_a_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)

    await schema.execute(f'query Mixed {{ a: missing(note: "{SECRET}") b: missing(note: "x") billing }}')

    (record,) = gateway_records(caplog)
    assert record.levelno == logging.WARNING  # a back end failed: worth an operator's look
    assert record.exc_info is None
    assert record.getMessage().endswith(
        "answered NOT_FOUND at a, NOT_FOUND at b, BACKEND_UNAVAILABLE at billing"
    )
    assert record.getMessage().startswith("operation Mixed (document sha256 ")
    assert SECRET not in caplog.text


async def test_a_validation_failure_is_logged_without_the_literal_it_quotes(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)

    result = await schema.execute(f'query Typo {{ missing(nte: "{SECRET}") }}')

    assert result.errors and SECRET in str(result.errors[0])  # graphql-core quotes it to the client
    (record,) = gateway_records(caplog)
    assert record.levelno == logging.INFO
    assert "GRAPHQL_VALIDATION_FAILED at 1:" in record.getMessage()
    assert SECRET not in caplog.text
