"""One access line per request, as JSON: its id (the client's or a new one, answered in
``X-Request-ID``), the operation, the user's id, each back-end attempt and the errors' codes;
and every other line the request writes carries the same id."""

from __future__ import annotations

import json
import logging
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from starlette.applications import Starlette

from gateway.cli import log_format
from gateway.config import Settings
from gateway.observability.log_format import JsonFormatter, TextFormatter
from gateway.store.db import transaction
from gateway.store.models import User
from tests.e2e.client import GraphQLClient, set_faults

OVERVIEW = """
query Overview($number: String!) {
  customer(number: $number) { name invoices(first: 3) { totalCount } }
}
"""
NODE = 'query Node { node(id: "SW52b2ljZTpub3BlOm5vcGU=") { id } }'
NOVAK = "1000012345"


def json_lines(caplog: pytest.LogCaptureFixture, logger: str | None = None) -> list[dict[str, Any]]:
    """The server side's records as the JSON formatter writes them (one object per line)."""
    formatter = JsonFormatter()
    lines = []
    for record in caplog.records:
        if record.name.startswith("httpx") or (logger is not None and record.name != logger):
            continue
        text = formatter.format(record)
        assert "\n" not in text
        lines.append(json.loads(text))
    return lines


async def user_id(app: Starlette, login: str) -> int:
    async with transaction(app.state.services.store) as db:
        found: int = (await db.execute(select(User.id).where(User.login == login))).scalar_one()
    return found


async def post(client: httpx.AsyncClient, gql: GraphQLClient, query: str, **headers: str) -> httpx.Response:
    return await client.post(
        "/graphql", json={"query": query, "variables": {"number": NOVAK}}, headers={**gql.headers, **headers}
    )


async def test_a_request_is_one_json_line_with_its_id_operation_user_and_back_end_calls(
    app: Starlette, client: httpx.AsyncClient, gql: GraphQLClient, caplog: pytest.LogCaptureFixture
) -> None:
    # given
    await gql.login("novak")
    caplog.set_level(logging.INFO)

    # when: the client names the request
    response = await post(client, gql, OVERVIEW, **{"X-Request-ID": "portal-7f3a.1:2"})

    # then: the id is kept and answered
    assert response.headers["X-Request-ID"] == "portal-7f3a.1:2"
    (line,) = json_lines(caplog, "gateway.access")
    assert line["request_id"] == "portal-7f3a.1:2"
    assert line["level"] == "INFO" and line["status"] == 200 and line["route"] == "/graphql"
    assert line["operation"] == "Overview" and line["operation_type"] == "query"
    assert line["user_id"] == await user_id(app, "novak")
    assert "codes" not in line  # no error
    calls = {(c["backend"], c["operation"], c["outcome"]) for c in line["backend_calls"]}
    assert calls == {("crm", "customers", "ok"), ("billing", "invoice_pages", "ok")}
    assert all(c["ms"] >= 0 for c in line["backend_calls"])
    assert line["cache"] == {"miss": 2}
    assert line["duration_ms"] > 0
    assert "novak" not in json.dumps(line) and NOVAK not in json.dumps(line)


async def test_errors_and_retries_are_in_the_line_and_every_line_of_the_request_has_its_id(
    client: httpx.AsyncClient,
    gql: GraphQLClient,
    caplog: pytest.LogCaptureFixture,
    simulators: dict[str, str],
) -> None:
    # given
    await gql.login("novak")
    set_faults(simulators["billing"], mode="down")
    caplog.set_level(logging.INFO)

    # when
    response = await post(client, gql, OVERVIEW)

    # then: a request id was made up and answered
    request_id = response.headers["X-Request-ID"]
    assert len(request_id) == 32
    lines = json_lines(caplog)
    (access,) = [line for line in lines if line["logger"] == "gateway.access"]
    assert access["codes"] == ["BACKEND_UNAVAILABLE"]
    billing = [c["outcome"] for c in access["backend_calls"] if c["backend"] == "billing"]
    assert billing == ["unavailable"] * 3  # each attempt
    # the adapter's warnings and the error line belong to the same request
    assert {line["logger"] for line in lines} >= {"gateway.access", "gateway.graphql"}
    assert {line.get("request_id") for line in lines} == {request_id}
    assert not any("exception" in line for line in lines)


@pytest.mark.parametrize("given", ["two words", "x" * 65, "line\nbreak", "-leading-dash", ""])
async def test_a_malformed_or_overlong_request_id_is_replaced(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture, given: str
) -> None:
    caplog.set_level(logging.INFO)

    response = await client.get("/healthz", headers={"X-Request-ID": given.replace("\n", "%0A")})

    assert response.headers["X-Request-ID"] != given
    assert len(response.headers["X-Request-ID"]) == 32
    (line,) = json_lines(caplog, "gateway.access")
    assert line["request_id"] == response.headers["X-Request-ID"]


async def test_the_text_format_shows_the_same_fields_on_one_line(
    client: httpx.AsyncClient, gql: GraphQLClient, caplog: pytest.LogCaptureFixture
) -> None:
    await gql.login("novak")
    caplog.set_level(logging.INFO)

    await post(client, gql, NODE)

    (record,) = [r for r in caplog.records if r.name == "gateway.access"]
    text = TextFormatter().format(record)
    assert "\n" not in text
    assert '"POST /graphql" 200' in text
    assert "operation=Node" in text and "codes=NOT_FOUND" in text and "user_id=" in text


def test_logs_are_json_for_serve_and_text_for_the_demo_unless_set() -> None:
    assert log_format(Settings(), "serve") == "json"
    assert log_format(Settings(), "demo") == "text"
    assert log_format(Settings(log_format="text"), "serve") == "text"
    assert log_format(Settings(log_format="json"), "demo") == "json"
