"""Review of issue 9: what a back end echoes of a customer's input, and zeep's envelopes with
the WS-Security password, stay out of the logs."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import httpx
import pytest

from gateway.adapters.crm.rest import RestCrm
from gateway.cli import QUIET_LOGGERS, configure_logging
from gateway.domain.requests import RequestUpdate
from gateway.errors import BackendRejected

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
    saved = {name: logging.getLogger(name).level for name in ("", *QUIET_LOGGERS)}
    yield
    for name, level in saved.items():
        logging.getLogger(name).setLevel(level)


@pytest.mark.usefixtures("restored_levels")
def test_zeep_and_sql_stay_quiet_even_when_the_root_logs_debug() -> None:
    configure_logging()
    logging.getLogger().setLevel(logging.DEBUG)

    assert not logging.getLogger("zeep.transports").isEnabledFor(logging.DEBUG)
    assert not logging.getLogger("sqlalchemy.engine.Engine").isEnabledFor(logging.INFO)
    assert not logging.getLogger("httpx").isEnabledFor(logging.INFO)
