"""Review of issue 9: what a back end echoes of a customer's input, and zeep's envelopes with
the WS-Security password, stay out of the logs."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from graphql import GraphQLError

from gateway.adapters.crm.rest import RestCrm
from gateway.cli import configure_logging
from gateway.domain.requests import RequestUpdate
from gateway.errors import BackendRejected, NotFound
from gateway.observability.log_format import QUIET_LOGGERS, JsonFormatter, LogFormat, TextFormatter
from gateway.observability.request_record import request_id_from
from gateway.schema.error_log import log_errors

SECRET = "tajny.email@example.cz"


def echoing_crm(status: int) -> httpx.AsyncClient:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, json={"CHYBA": {"KOD": status, "TEXT": f"Neplatny e-mail {SECRET}"}})

    return httpx.AsyncClient(transport=httpx.MockTransport(answer))


@pytest.mark.parametrize("status", [400, 409, 422])
async def test_a_crm_refusal_is_logged_by_its_code_never_its_text(
    caplog: pytest.LogCaptureFixture, status: int
) -> None:
    caplog.set_level(logging.DEBUG, logger="gateway")
    async with echoing_crm(status) as http:
        crm = RestCrm(http, base_url="http://crm.test", api_key="k")
        with pytest.raises(BackendRejected):
            await crm.update_request("1000012345-0001", RequestUpdate(summary=SECRET))

    assert f"HTTP {status}" in caplog.text
    assert f"CHYBA.KOD {status}" in caplog.text
    assert SECRET not in caplog.text


@pytest.fixture
def restored_levels() -> Iterator[None]:
    root = logging.getLogger()
    saved = {name: logging.getLogger(name).level for name in ("", *QUIET_LOGGERS)}
    handlers = list(root.handlers)
    yield
    for name, level in saved.items():
        logging.getLogger(name).setLevel(level)
    root.handlers[:] = handlers  # configure_logging's stderr handler is this test's only


@pytest.mark.usefixtures("restored_levels")
@pytest.mark.parametrize("style", ["json", "text"])
def test_zeep_and_sql_stay_quiet_even_when_the_root_logs_debug(style: LogFormat) -> None:
    configure_logging(style)
    logging.getLogger().setLevel(logging.DEBUG)

    assert not logging.getLogger("zeep.transports").isEnabledFor(logging.DEBUG)
    assert not logging.getLogger("sqlalchemy.engine.Engine").isEnabledFor(logging.INFO)
    assert not logging.getLogger("httpx").isEnabledFor(logging.INFO)


def json_lines(caplog: pytest.LogCaptureFixture) -> list[dict[str, Any]]:
    lines = [JsonFormatter().format(record) for record in caplog.records]
    assert all("\n" not in line for line in lines)
    return [json.loads(line) for line in lines]


def test_a_json_line_stays_one_line_whatever_its_message_holds(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)

    logging.getLogger("gateway.test").info("crm says: %s", 'bad\n{"level": "ERROR", "message": "forged"}')

    (line,) = json_lines(caplog)
    assert line["level"] == "INFO" and line["message"].startswith("crm says: bad\n{")


def test_a_client_error_is_logged_without_a_traceback_and_a_bug_with_one(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    not_found = GraphQLError("Not found.", original_error=NotFound(), path=["node"])
    try:
        raise ValueError(SECRET)
    except ValueError as bug:
        internal = GraphQLError("boom", original_error=bug, path=["viewer"])

    log_errors([not_found], None)
    log_errors([internal], None)

    client_error, bug_line = json_lines(caplog)
    assert "exception" not in client_error and "NOT_FOUND at node" in client_error["message"]
    assert bug_line["level"] == "ERROR" and "Traceback" in bug_line["exception"]
    for record in caplog.records:  # the text format agrees
        assert ("Traceback" in TextFormatter().format(record)) is (record is caplog.records[1])


@pytest.mark.parametrize(
    "given", ["a b", "x" * 65, "id\r\ninjected", "id\x1b[31m", '"quoted"', "../etc", "", "é", None]
)
def test_a_request_id_that_could_mislead_a_log_reader_is_never_kept(given: str | None) -> None:
    chosen = request_id_from(given)

    assert chosen != given
    assert len(chosen) == 32 and chosen.isalnum()


@pytest.mark.parametrize("given", ["7f3a9c", "portal-web.1:42", "0" * 64])
def test_a_well_formed_request_id_is_kept(given: str) -> None:
    assert request_id_from(given) == given
