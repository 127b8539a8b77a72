"""SoapNomination against the nomination simulator on a real socket: the NominationBackend contract."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import httpx
import pytest

from fixtures import personas
from fixtures.nomination.app import WSDL_PATH as SIMULATOR_WSDL
from fixtures.nomination.app import create_app
from fixtures.server import free_port, serve_in_thread
from gateway.adapters.nomination.protocol import NominationBackend, NominationPeriod
from gateway.adapters.nomination.soap import WSDL_PATH, SoapNomination
from gateway.domain.nomination import (
    Interval,
    NominationKind,
    NominationState,
    ProblemKind,
    Resolution,
)
from gateway.errors import BackendProtocolError, BackendUnavailable, NotFound
from gateway.nomination.intervals import PRAGUE, day_starts
from gateway.nomination.problems import NominationRejected
from tests.adapters.conformance import protocol_mismatches

USERNAME = "contract-gw"
PASSWORD = "contract-secret"
HOURLY = "3000000001"  # an odd last digit: an hourly contract
BEFORE_GATES = "2026-02-01T10:00:00+01:00"
SPRING_DAY = dt.date(2026, 3, 29)
AUTUMN_DAY = dt.date(2026, 10, 25)


@pytest.fixture(scope="module")
def nomination_url() -> Iterator[str]:
    with serve_in_thread(create_app(username=USERNAME, password=PASSWORD)) as url:
        yield url


@pytest.fixture(autouse=True)
def clean_simulator(nomination_url: str) -> Iterator[None]:
    httpx.post(f"{nomination_url}/__sim/clock", json={"now": BEFORE_GATES}).raise_for_status()
    yield
    httpx.delete(f"{nomination_url}/__sim/faults")
    httpx.delete(f"{nomination_url}/__sim/clock")


@pytest.fixture
def nomination(http: httpx.AsyncClient, nomination_url: str) -> SoapNomination:
    return SoapNomination(http=http, address=f"{nomination_url}/soap", username=USERNAME, password=PASSWORD)


def set_faults(url: str, **faults: object) -> None:
    httpx.post(f"{url}/__sim/faults", json=faults).raise_for_status()


def scaled(series: tuple[Interval, ...], factor: str) -> list[Interval]:
    return [Interval(i.start, (i.value_mw * Decimal(factor)).quantize(Decimal("0.001"))) for i in series]


def test_the_packaged_wsdl_is_the_simulators() -> None:
    assert Path(WSDL_PATH).read_bytes() == Path(SIMULATOR_WSDL).read_bytes()


def test_soap_nomination_is_a_nomination_backend(nomination: SoapNomination) -> None:
    # every operation of the Protocol, as a coroutine taking the same parameters
    assert protocol_mismatches(nomination, NominationBackend) == []


async def test_contracts_keep_order_and_give_none_without_a_contract(nomination: SoapNomination) -> None:
    teplarna, novak, hourly = await nomination.contracts([personas.TEPLARNA, personas.NOVAK, HOURLY])

    assert novak is None
    assert teplarna is not None
    assert teplarna.customer_number == personas.TEPLARNA
    assert teplarna.resolution is Resolution.QUARTER_HOUR
    assert teplarna.tolerance_percent in {Decimal(5), Decimal(10), Decimal(15)}
    assert teplarna.valid_from == dt.date(2025, 1, 1)
    assert len(teplarna.monthly_volumes) == 36
    assert teplarna.monthly_volumes[0].month == dt.date(2025, 1, 1)
    assert teplarna.contracted_mwh(dt.date(2026, 10, 1)) is not None
    assert hourly is not None
    assert hourly.resolution is Resolution.HOUR


@pytest.mark.parametrize(("day", "count"), [(dt.date(2026, 6, 10), 96), (SPRING_DAY, 92), (AUTUMN_DAY, 100)])
async def test_a_day_has_its_local_quarter_hours_as_aware_instants(
    nomination: SoapNomination, day: dt.date, count: int
) -> None:
    (refinement,) = await nomination.days([NominationPeriod(personas.TEPLARNA, day)])

    assert refinement is not None
    starts = [interval.start.astimezone(dt.UTC) for interval in refinement.contracted]
    assert len(starts) == count
    assert starts[0] == dt.datetime.combine(day, dt.time(0, 0), tzinfo=PRAGUE)
    assert all(b - a == dt.timedelta(minutes=15) for a, b in itertools.pairwise(starts))
    assert refinement.state is NominationState.DRAFT
    assert refinement.gate_closure == dt.datetime.combine(
        day - dt.timedelta(days=1), dt.time(9, 0), tzinfo=PRAGUE
    )


async def test_the_autumn_day_repeats_two_oclock_with_two_offsets(nomination: SoapNomination) -> None:
    (refinement,) = await nomination.days([NominationPeriod(personas.TEPLARNA, AUTUMN_DAY)])

    assert refinement is not None
    shown = [i.start.isoformat() for i in refinement.contracted[8:16]]
    assert shown[0] == "2026-10-25T02:00:00+02:00"
    assert shown[4] == "2026-10-25T02:00:00+01:00"


async def test_an_hourly_spring_week_has_167_hours(nomination: SoapNomination) -> None:
    (week,) = await nomination.weeks([NominationPeriod(HOURLY, dt.date(2026, 3, 23))])

    assert week is not None
    assert week.resolution is Resolution.HOUR
    assert len(week.contracted) == 167
    assert week.submitted == ()
    assert week.gate_closure == dt.datetime(2026, 3, 19, 12, 0, tzinfo=PRAGUE)


async def test_reads_outside_the_contract_or_without_one_are_none(nomination: SoapNomination) -> None:
    weeks = await nomination.weeks(
        [
            NominationPeriod(personas.TEPLARNA, dt.date(2030, 1, 7)),
            NominationPeriod(personas.NOVAK, dt.date(2026, 6, 8)),
            NominationPeriod(personas.TEPLARNA, dt.date(2026, 6, 9)),  # a Tuesday
        ]
    )
    (month,) = await nomination.months([NominationPeriod(personas.NOVAK, dt.date(2026, 6, 1))])

    assert weeks == [None, None, None]
    assert month is None


async def test_a_week_is_submitted_and_read_back_and_resubmitting_is_idempotent(
    nomination: SoapNomination,
) -> None:
    monday = dt.date(2026, 10, 19)  # holds the autumn change: 676 quarter-hours
    (week,) = await nomination.weeks([NominationPeriod(personas.TEPLARNA, monday)])
    assert week is not None
    assert len(week.contracted) == 676
    values = scaled(week.contracted, "1.01")

    receipt = await nomination.submit_week(
        customer_number=personas.TEPLARNA, week_start=monday, resolution=week.resolution, intervals=values
    )
    again = await nomination.submit_week(
        customer_number=personas.TEPLARNA, week_start=monday, resolution=week.resolution, intervals=values
    )
    (read,) = await nomination.weeks([NominationPeriod(personas.TEPLARNA, monday)])

    assert receipt.kind is NominationKind.WEEKLY
    assert again == receipt
    assert receipt.received_at == dt.datetime.fromisoformat(BEFORE_GATES)
    assert read is not None
    assert read.state is NominationState.SUBMITTED
    assert read.submission_id == receipt.submission_id
    assert list(read.submitted) == values


async def test_a_spring_day_refinement_is_read_back_beside_the_contract(nomination: SoapNomination) -> None:
    (day,) = await nomination.days([NominationPeriod(personas.TEPLARNA, SPRING_DAY)])
    assert day is not None
    values = scaled(day.contracted, "0.99")

    receipt = await nomination.submit_day(
        customer_number=personas.TEPLARNA, day=SPRING_DAY, resolution=day.resolution, intervals=values
    )
    (read,) = await nomination.days([NominationPeriod(personas.TEPLARNA, SPRING_DAY)])

    assert receipt.kind is NominationKind.DAILY
    assert read is not None
    assert list(read.refined) == values
    assert read.submission_id == receipt.submission_id


async def test_a_monthly_refinement_is_kept(nomination: SoapNomination) -> None:
    (month,) = await nomination.months([NominationPeriod(personas.TEPLARNA, dt.date(2026, 10, 1))])
    assert month is not None
    assert month.refined_mwh is None
    refined = month.contracted_mwh.quantize(Decimal(1))

    receipt = await nomination.submit_month(
        customer_number=personas.TEPLARNA, month=dt.date(2026, 10, 1), refined_mwh=refined
    )
    (read,) = await nomination.months([NominationPeriod(personas.TEPLARNA, dt.date(2026, 10, 7))])

    assert receipt.kind is NominationKind.MONTHLY
    assert read is not None
    assert read.refined_mwh == refined
    assert read.gate_closure == dt.datetime(2026, 9, 20, 12, 0, tzinfo=PRAGUE)


async def test_the_back_ends_tolerance_verdict_is_positioned_in_the_series(
    nomination: SoapNomination,
) -> None:
    (day,) = await nomination.days([NominationPeriod(personas.TEPLARNA, AUTUMN_DAY)])
    assert day is not None
    values = list(day.contracted)
    values[13] = Interval(values[13].start, values[13].value_mw * 3)  # 02:15 winter time

    with pytest.raises(NominationRejected) as rejected:
        await nomination.submit_day(
            customer_number=personas.TEPLARNA, day=AUTUMN_DAY, resolution=day.resolution, intervals=values
        )

    [problem] = rejected.value.problems
    assert problem.kind is ProblemKind.OUT_OF_TOLERANCE
    assert problem.index == 13
    assert problem.start is not None
    assert problem.start.isoformat() == "2026-10-25T02:15:00+01:00"
    assert "MIMO" not in problem.message


async def test_a_late_submission_is_refused_by_the_back_end(
    nomination: SoapNomination, nomination_url: str
) -> None:
    day = dt.date(2026, 6, 10)
    (read,) = await nomination.days([NominationPeriod(personas.TEPLARNA, day)])
    assert read is not None
    httpx.post(f"{nomination_url}/__sim/clock", json={"now": "2026-06-09T09:00:00+02:00"})

    with pytest.raises(NominationRejected) as rejected:
        await nomination.submit_day(
            customer_number=personas.TEPLARNA, day=day, resolution=read.resolution, intervals=read.contracted
        )

    assert rejected.value.problems[0].kind is ProblemKind.GATE_CLOSED


async def test_a_series_that_does_not_fit_the_day_is_refused_before_sending(
    nomination: SoapNomination, nomination_url: str
) -> None:
    httpx.delete(f"{nomination_url}/__sim/stats")
    starts = day_starts(AUTUMN_DAY, Resolution.QUARTER_HOUR)
    values = [Interval(start, Decimal(1)) for start in starts[:96]]  # a 96-period day

    with pytest.raises(NominationRejected) as rejected:
        await nomination.submit_day(
            customer_number=personas.TEPLARNA,
            day=AUTUMN_DAY,
            resolution=Resolution.QUARTER_HOUR,
            intervals=values,
        )

    assert rejected.value.problems[0].kind is ProblemKind.MISSING
    assert rejected.value.problems[0].index == 96
    assert httpx.get(f"{nomination_url}/__sim/stats").json()["total"] == 0


async def test_submitting_without_a_contract_is_not_found(nomination: SoapNomination) -> None:
    with pytest.raises(NotFound):
        await nomination.submit_month(
            customer_number=personas.NOVAK, month=dt.date(2026, 6, 1), refined_mwh=Decimal(1)
        )


async def test_ping_answers_while_nomination_is_up_and_fails_while_it_is_down(
    nomination: SoapNomination, nomination_url: str
) -> None:
    await nomination.ping()  # up: returns (raises otherwise)
    set_faults(nomination_url, mode="down")

    with pytest.raises(BackendUnavailable) as raised:
        await nomination.ping()

    assert raised.value.backend == "nomination"


async def test_wrong_credentials_are_a_protocol_error(http: httpx.AsyncClient, nomination_url: str) -> None:
    wrong = SoapNomination(http=http, address=f"{nomination_url}/soap", username=USERNAME, password="nope")

    with pytest.raises(BackendProtocolError):
        await wrong.contracts([personas.TEPLARNA])


async def test_a_down_back_end_is_unavailable_without_its_message(
    nomination: SoapNomination, nomination_url: str
) -> None:
    set_faults(nomination_url, mode="down")

    with pytest.raises(BackendUnavailable) as raised:
        await nomination.contracts([personas.TEPLARNA])

    assert raised.value.backend == "nomination"
    assert "NEDOSTUPNY" not in raised.value.message
    assert raised.value.retryable


async def test_garbage_is_a_protocol_error(nomination: SoapNomination, nomination_url: str) -> None:
    set_faults(nomination_url, mode="garbage")

    with pytest.raises(BackendProtocolError):
        await nomination.days([NominationPeriod(personas.TEPLARNA, SPRING_DAY)])


async def test_a_slow_back_end_times_out_as_unavailable(nomination_url: str) -> None:
    set_faults(nomination_url, mode="slow", operations=["Ping"])
    async with httpx.AsyncClient(timeout=0.3) as http:
        slow = SoapNomination(
            http=http, address=f"{nomination_url}/soap", username=USERNAME, password=PASSWORD
        )

        with pytest.raises(BackendUnavailable):
            await slow.ping()


async def test_a_refused_connection_is_unavailable(http: httpx.AsyncClient) -> None:
    closed = SoapNomination(
        http=http, address=f"http://127.0.0.1:{free_port()}/soap", username=USERNAME, password=PASSWORD
    )

    with pytest.raises(BackendUnavailable):
        await closed.ping()


async def test_the_shared_clients_headers_survive_the_transport() -> None:
    async with httpx.AsyncClient(headers={"X-Request-Source": "gateway"}) as http:
        SoapNomination(http=http, address="http://127.0.0.1:1/soap", username=USERNAME, password=PASSWORD)

        assert http.headers["X-Request-Source"] == "gateway"


async def test_states_follow_the_gate_closure(nomination: SoapNomination, nomination_url: str) -> None:
    submitted, empty = dt.date(2026, 4, 13), dt.date(2026, 4, 20)
    (week,) = await nomination.weeks([NominationPeriod(personas.TEPLARNA, submitted)])
    assert week is not None
    await nomination.submit_week(
        customer_number=personas.TEPLARNA,
        week_start=submitted,
        resolution=week.resolution,
        intervals=week.contracted,
    )
    httpx.post(f"{nomination_url}/__sim/clock", json={"now": "2026-04-16T12:00:00+02:00"})

    closed, late = await nomination.weeks(
        [NominationPeriod(personas.TEPLARNA, submitted), NominationPeriod(personas.TEPLARNA, empty)]
    )

    assert closed is not None
    assert closed.state is NominationState.ACCEPTED
    assert late is not None
    assert late.state is NominationState.LATE
