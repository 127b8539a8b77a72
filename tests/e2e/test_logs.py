"""Secrets and noise stay out of the logs: documents by name and hash, URLs without their
signatures, client errors in one line without a traceback."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import socket
import threading

import httpx
import pytest

from fixtures.server import free_port
from gateway.app import create_app
from gateway.cli import server_options
from gateway.config import Settings
from gateway.observability.log_format import JsonFormatter, TextFormatter
from tests.e2e.client import GraphQLClient, error_codes, set_faults
from tests.e2e.test_documents import novak_documents
from tests.e2e.test_login_throttling import serve_in_thread_with

SECRET = "Tajne-Heslo-987"
# A typo in a field name: fails validation, and graphql-core's message quotes the input.
MISTYPED_LOGIN = f'mutation Login {{ login(input: {{login: "novak", pasword: "{SECRET}"}}) {{ token }} }}'
INLINE_LOGIN = f'mutation Login {{ login(input: {{login: "novak", password: "{SECRET}"}}) {{ token }} }}'
NOVAK = "1000012345"
INVOICES = """
query Invoices($n: String!, $first: Int) { customer(number: $n) { invoices(first: $first) { totalCount } } }
"""
NODE = 'query Node { node(id: "SW52b2ljZTpub3BlOm5vcGU=") { id } }'


def everything_logged(caplog: pytest.LogCaptureFixture) -> str:
    """Every record the server side wrote, formatted with its traceback, in both formats, the
    access line's fields included (the test's own httpx client logs the URLs it requests: not
    the gateway's log)."""
    formatters = (logging.Formatter(), TextFormatter(), JsonFormatter())
    return "\n".join(
        formatter.format(r)
        for r in caplog.records
        if not r.name.startswith("httpx")
        for formatter in formatters
    )


async def test_an_inline_password_is_never_logged(
    gql: GraphQLClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)

    # when: a login that fails validation, then enough wrong logins to be throttled
    mistyped = await gql.execute(MISTYPED_LOGIN)
    for _ in range(6):
        last = await gql.execute(INLINE_LOGIN)

    # then
    assert error_codes(mistyped) == ["GRAPHQL_VALIDATION_FAILED"] * len(mistyped["errors"])
    assert error_codes(last) == ["RATE_LIMITED"]
    assert SECRET not in everything_logged(caplog)
    digest = hashlib.sha256(MISTYPED_LOGIN.encode()).hexdigest()
    assert any(f"operation Login (document sha256 {digest})" in r.getMessage() for r in caplog.records)


async def test_a_signed_document_link_is_logged_without_its_signature(
    gql: GraphQLClient, caplog: pytest.LogCaptureFixture
) -> None:
    # given
    document = (await novak_documents(gql))["invoices"]["edges"][0]["node"]["document"]
    signature = document["signedUrl"].partition("sig=")[2]
    gql.http.cookies.clear()
    caplog.set_level(logging.INFO)

    # when
    response = await gql.http.get(document["signedUrl"])

    # then
    assert response.status_code == 200
    assert signature not in everything_logged(caplog)
    (access,) = [r.getMessage() for r in caplog.records if r.name == "gateway.access"]
    assert f'"GET {document["url"]}?sig=-" 200' in access


async def test_client_errors_are_one_line_each_without_a_traceback(
    gql: GraphQLClient, caplog: pytest.LogCaptureFixture, simulators: dict[str, str]
) -> None:
    # given
    await gql.login("novak")
    caplog.set_level(logging.INFO)

    # when: NOT_FOUND, BAD_USER_INPUT, a parse and a validation failure, BACKEND_UNAVAILABLE
    answers = [
        await gql.execute(NODE),
        await gql.execute(INVOICES, {"n": NOVAK, "first": 500}),
        await gql.execute("{ viewer { login }"),
        await gql.execute("{ viewer { nope } }"),
    ]
    set_faults(simulators["billing"], mode="down")
    answers.append(await gql.execute(INVOICES, {"n": NOVAK, "first": 1}))

    # then
    codes = [error_codes(answer)[0] for answer in answers]
    assert codes == [
        "NOT_FOUND",
        "BAD_USER_INPUT",
        "GRAPHQL_PARSE_FAILED",
        "GRAPHQL_VALIDATION_FAILED",
        "BACKEND_UNAVAILABLE",
    ]
    records = [r for r in caplog.records if r.name.startswith(("gateway", "strawberry"))]
    assert all(r.exc_info is None and r.levelno <= logging.WARNING for r in records)
    assert "Traceback" not in everything_logged(caplog)
    errors = [r.getMessage() for r in records if r.name == "gateway.graphql"]
    for code in codes:
        assert sum(code in line for line in errors) == 1, errors
    assert gql.headers["Authorization"].removeprefix("Bearer ") not in everything_logged(caplog)


async def test_a_get_requests_document_and_variables_stay_out_of_the_access_log(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)

    await client.get(
        "/graphql",
        params={
            "query": "query Mine($n: String!) { customer(number: $n) { name } }",
            "variables": '{"n": "1000012345"}',
            "operationName": "Mine",
        },
    )

    (line,) = [r.getMessage() for r in caplog.records if r.name == "gateway.access"]
    assert '"GET /graphql?query=-&variables=-&operationName=Mine" 200' in line
    assert "1000012345" not in everything_logged(caplog)


async def test_a_client_gone_before_its_body_arrived_is_one_499_line_without_a_traceback(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    # given: the gateway under uvicorn (a disconnect needs a real socket)
    caplog.set_level(logging.INFO)
    access_line = threading.Event()

    def note(record: logging.LogRecord) -> bool:
        access_line.set()
        return True

    access_log = logging.getLogger("gateway.access")
    access_log.addFilter(note)
    options = {**server_options(settings), "port": free_port(), "log_config": None}
    try:
        with serve_in_thread_with(create_app(settings), options):
            # when: a client announces a body of 1,000 bytes, sends 10 and hangs up
            with socket.create_connection((options["host"], options["port"])) as client:
                client.sendall(
                    b"POST /graphql HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\n"
                    b"Content-Length: 1000\r\n\r\n" + b'{"query":"'
                )
            await asyncio.to_thread(access_line.wait, 5)
    finally:
        access_log.removeFilter(note)

    # then: one access line saying 499, nothing at ERROR, no traceback
    access = [r for r in caplog.records if r.name == "gateway.access"]
    assert [r.getMessage().split('" ')[1].split()[0] for r in access] == ["499"]
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert "Traceback" not in everything_logged(caplog)
