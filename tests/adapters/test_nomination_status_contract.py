"""SoapNomination's week status (``week_statuses``) against the nomination simulator on a real socket."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import httpx
import pytest

from fixtures import personas
from fixtures.nomination.app import create_app
from fixtures.nomination.contracts import ROSTER
from fixtures.server import serve_in_thread
from gateway.adapters.nomination.protocol import NominationPeriod
from gateway.adapters.nomination.soap import SoapNomination
from gateway.domain.nomination import Interval
from gateway.errors import BackendProtocolError, BackendRejected, BackendUnavailable
from gateway.nomination.intervals import PRAGUE

USERNAME = "status-gw"
PASSWORD = "status-secret"
NOW = "2026-02-01T10:00:00+01:00"  # a Sunday: the week of 2026-02-09 is still open
OPEN_WEEK = dt.date(2026, 2, 9)
CLOSED_WEEK = dt.date(2026, 1, 26)


@pytest.fixture(scope="module")
def nomination_url() -> Iterator[str]:
    with serve_in_thread(create_app(username=USERNAME, password=PASSWORD)) as url:
        yield url


@pytest.fixture(autouse=True)
def clean_simulator(nomination_url: str) -> Iterator[None]:
    httpx.post(f"{nomination_url}/__sim/clock", json={"now": NOW}).raise_for_status()
    httpx.delete(f"{nomination_url}/__sim/stats")
    yield
    httpx.delete(f"{nomination_url}/__sim/faults")
    httpx.delete(f"{nomination_url}/__sim/clock")


@pytest.fixture
def nomination(http: httpx.AsyncClient, nomination_url: str) -> SoapNomination:
    return SoapNomination(http=http, address=f"{nomination_url}/soap", username=USERNAME, password=PASSWORD)


async def test_an_open_week_lists_the_roster_none_submitted_and_its_gate(nomination: SoapNomination) -> None:
    [status] = await nomination.week_statuses([OPEN_WEEK])

    assert status.week_start == OPEN_WEEK
    assert status.gate_closure == dt.datetime(2026, 2, 5, 12, 0, tzinfo=PRAGUE)
    assert status.gate_open is True
    assert (status.expected, status.submitted) == (len(ROSTER), 0)
    assert [c.customer_number for c in status.consumers] == list(ROSTER)
    teplarna = status.consumers[0]
    assert teplarna.customer_name == "Teplárna Dolní Město a.s."
    assert teplarna.eic.startswith("27XS3000045678") and len(teplarna.eic) == 16
    assert teplarna.contract_number.startswith("SJ-045678-")
    assert not any(c.submitted or c.submitted_at or c.submission_id for c in status.consumers)


async def test_a_submitted_week_shows_who_submitted_and_when(nomination: SoapNomination) -> None:
    # given: teplarna submits its contracted values for the open week
    [contracted] = await nomination.weeks([NominationPeriod(personas.TEPLARNA, OPEN_WEEK)])
    assert contracted is not None
    receipt = await nomination.submit_week(
        customer_number=personas.TEPLARNA,
        week_start=OPEN_WEEK,
        resolution=contracted.resolution,
        intervals=[Interval(i.start, i.value_mw) for i in contracted.contracted],
    )

    # when
    [status] = await nomination.week_statuses([OPEN_WEEK])

    # then
    assert (status.expected, status.submitted) == (len(ROSTER), 1)
    teplarna = next(c for c in status.consumers if c.customer_number == personas.TEPLARNA)
    assert teplarna.submitted and teplarna.submission_id == receipt.submission_id
    assert teplarna.submitted_at == receipt.received_at
    assert not any(c.submitted for c in status.consumers if c is not teplarna)


async def test_a_closed_week_says_so(nomination: SoapNomination) -> None:
    [status] = await nomination.week_statuses([CLOSED_WEEK])

    assert status.gate_open is False
    assert status.gate_closure == dt.datetime(2026, 1, 22, 12, 0, tzinfo=PRAGUE)


async def test_weeks_outside_every_contract_expect_no_one(nomination: SoapNomination) -> None:
    [status] = await nomination.week_statuses([dt.date(2030, 1, 7)])

    assert (status.expected, status.submitted, status.consumers) == (0, 0, ())


async def test_the_system_refuses_a_start_that_is_no_monday(nomination: SoapNomination) -> None:
    with pytest.raises(BackendRejected):
        await nomination.week_statuses([dt.date(2026, 2, 10)])


async def test_several_weeks_in_one_batch_keep_their_order(nomination: SoapNomination) -> None:
    statuses = await nomination.week_statuses([OPEN_WEEK, CLOSED_WEEK])

    assert [s.week_start for s in statuses] == [OPEN_WEEK, CLOSED_WEEK]


async def test_a_down_system_is_unavailable_and_garbage_a_protocol_error(
    nomination: SoapNomination, nomination_url: str
) -> None:
    httpx.post(f"{nomination_url}/__sim/faults", json={"mode": "down", "operations": ["GetWeekStatus"]})
    with pytest.raises(BackendUnavailable):
        await nomination.week_statuses([OPEN_WEEK])

    httpx.post(f"{nomination_url}/__sim/faults", json={"mode": "garbage", "operations": ["GetWeekStatus"]})
    with pytest.raises(BackendProtocolError):
        await nomination.week_statuses([OPEN_WEEK])

    calls = httpx.get(f"{nomination_url}/__sim/stats").json()["calls"]
    assert calls["GetWeekStatus"] >= 2


def test_the_legacy_filter_lists_those_that_have_not_submitted(nomination_url: str) -> None:
    envelope = (
        '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" '
        'xmlns:n="http://sjednavani.energo.cz/ws/NOM/v1" '
        'xmlns:w="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd">'
        "<s:Header><w:Security><w:UsernameToken>"
        f"<w:Username>{USERNAME}</w:Username><w:Password>{PASSWORD}</w:Password>"
        "</w:UsernameToken></w:Security></s:Header>"
        "<s:Body><n:GetWeekStatus><n:DAT_OD>20260209</n:DAT_OD><n:PODANO>N</n:PODANO>"
        "</n:GetWeekStatus></s:Body></s:Envelope>"
    )
    answer = httpx.post(
        f"{nomination_url}/soap",
        content=envelope.encode(),
        headers={
            "Content-Type": "text/xml; charset=utf-8",
            "SOAPAction": '"http://sjednavani.energo.cz/ws/NOM/v1/GetWeekStatus"',
        },
    )
    assert answer.status_code == 200, answer.text
    assert "<n:BRANA>O</n:BRANA>" in answer.text
    expected = int(re.search(r"<n:POCET_OCEKAVANO>(\d+)<", answer.text)[1])  # type: ignore[index]
    submitted = int(re.search(r"<n:POCET_PODANO>(\d+)<", answer.text)[1])  # type: ignore[index]
    assert expected == len(ROSTER)
    assert answer.text.count("<n:ODBERATEL>") == expected - submitted  # the counts stay the roster's
    assert "<n:ID_PODANI>" not in answer.text
