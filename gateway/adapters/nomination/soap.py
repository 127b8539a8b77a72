"""The nomination system over SOAP: zeep builds and sends the requests, lxml reads the replies.

Start-up loads the pinned WSDL (``nomination.wsdl`` beside this module, an identical copy
of the service's) once, synchronously, and never fetches one. ``gateway.adapters.soap`` does
the sending (zeep's ``AsyncTransport`` on the app's shared ``httpx.AsyncClient``, a WS-Security
UsernameToken) and the reading of replies; this module keeps the nomination operations and
mappings: lxml maps the raw replies to domain objects.

Legacy periods: a day's values are numbered ``POR`` 1..N from local midnight (N = 92, 96
or 100 quarter-hours; 23, 24 or 25 hours); period p starts p-1 steps after midnight,
stepping in UTC (``gateway.nomination.intervals.day_starts``). Legacy times are
Europe/Prague wall times ``YYYYMMDDHHMM``; numbers have a decimal comma.

Failures become ``gateway.errors`` only:

    connect error, timeout, HTTP 5xx, transient fault (1000, 1001)   BackendUnavailable
    malformed XML, unexpected shape, any other fault                 BackendProtocolError
    fault 2001 no nomination contract                                None (reads), NotFound (submissions)
    fault 1300 bad parameter on a read (period outside the contract) None
    fault 1300 on the week status (not a Monday)                     BackendRejected
    fault 1300 on a submission, any other client fault               BackendRejected
    a refused submission (VYSLEDEK/KOD other than 0)                 NominationRejected, positioned

The back end's own fault text is logged, never passed on.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
from lxml import etree

from gateway.adapters.nomination.protocol import NominationPeriod
from gateway.adapters.soap import (
    FaultTable,
    SoapBackend,
    SoapService,
    legacy_date,
    legacy_decimal,
    legacy_decimal_text,
    mapped,
)
from gateway.domain.nomination import (
    ConsumerWeekStatus,
    DailyRefinement,
    Interval,
    MonthlyRefinement,
    MonthlyVolume,
    NominationContract,
    NominationKind,
    NominationProblem,
    NominationState,
    ProblemKind,
    Resolution,
    SubmissionReceipt,
    WeeklyNomination,
    WeekStatus,
)
from gateway.domain.supply_points import Commodity
from gateway.errors import BackendProtocolError, BackendRejected, NotFound
from gateway.nomination.intervals import (
    day_starts,
    describe,
    first_series_problem,
    local_datetime,
    week_starts,
)
from gateway.nomination.problems import NominationRejected

log = logging.getLogger(__name__)

BACKEND = "nomination"
WSDL_PATH = Path(__file__).with_name("nomination.wsdl")
NS = "http://sjednavani.energo.cz/ws/NOM/v1"
BINDING = f"{{{NS}}}NomBinding"

BAD_PARAMETER = 1300
NO_CONTRACT = 2001

RESOLUTION_BY_MINUTES = {15: Resolution.QUARTER_HOUR, 60: Resolution.HOUR}
STATE_BY_CODE = {
    1: NominationState.DRAFT,
    2: NominationState.SUBMITTED,
    3: NominationState.ACCEPTED,
    4: NominationState.LATE,
}
ACCEPTED = 0
# VYSLEDEK/KOD of a refused submission -> the problem the client reads.
PROBLEM_BY_CODE = {
    2101: (ProblemKind.GATE_CLOSED, "The nomination system closed this period's gate."),
    2102: (ProblemKind.OUT_OF_TOLERANCE, "A value is outside the contract's tolerance."),
    2103: (ProblemKind.MISSING, "The series does not have the intervals the period has."),
    2104: (ProblemKind.NEGATIVE, "A value is negative."),
    2105: (ProblemKind.TOO_MANY_DECIMALS, "A value has more than 3 decimal places."),
    2106: (ProblemKind.OUT_OF_RANGE, "The period is outside the contract."),
    2107: (ProblemKind.NOT_A_NUMBER, "A value is not a number."),
}


class NoContractError(Exception):
    """Fault 2001, or 1300 on a read. Never leaves this module."""


FAULTS: FaultTable = {
    NO_CONTRACT: NoContractError,
    BAD_PARAMETER: lambda _: BackendRejected(BACKEND, "The nomination system did not accept this period."),
}
SOAP = SoapBackend(BACKEND, NS, BINDING, WSDL_PATH, FAULTS)


# -- reading replies ----------------------------------------------------------------------


def _q(name: str) -> str:
    return f"{{{NS}}}{name}"


def _text(node: etree._Element, name: str) -> str:
    value = node.findtext(_q(name))
    if value is None or not value.strip():
        raise ValueError(f"missing {name}")
    return value.strip()


def _opt_text(node: etree._Element, name: str) -> str | None:
    value = node.findtext(_q(name))
    return value.strip() or None if value is not None else None


def _month(value: str) -> dt.date:
    if len(value) != 6 or not value.isdigit():
        raise ValueError(f"not a YYYYMM month: {value!r}")
    return dt.date(int(value[:4]), int(value[4:]), 1)


def _time(value: str) -> dt.datetime:
    """A legacy Prague wall time; the earlier instant of an ambiguous one (the legacy format
    cannot tell the two 02:xx of the fall-back night apart)."""
    if len(value) != 12 or not value.isdigit():
        raise ValueError(f"not a YYYYMMDDHHMM time: {value!r}")
    return local_datetime(legacy_date(value[:8]), dt.time(int(value[8:10]), int(value[10:])))


def _resolution(node: etree._Element) -> Resolution:
    return RESOLUTION_BY_MINUTES[int(_text(node, "ROZLISENI"))]


COMMODITY_BY_CODE = {"P": Commodity.GAS, "E": Commodity.ELECTRICITY}


def contract_from(node: etree._Element) -> NominationContract:
    return NominationContract(
        customer_number=_text(node, "ZAK_CISLO"),
        contract_number=_text(node, "CIS_SML"),
        resolution=_resolution(node),
        tolerance_percent=legacy_decimal(_text(node, "TOLERANCE")),
        valid_from=legacy_date(_text(node, "PLATNOST_OD")),
        valid_to=legacy_date(_text(node, "PLATNOST_DO")),
        monthly_volumes=tuple(
            MonthlyVolume(
                month=_month(_text(m, "OBDOBI")), contracted_mwh=legacy_decimal(_text(m, "SML_MWH"))
            )
            for m in node.iterchildren(_q("MESIC"))
        ),
        commodity=COMMODITY_BY_CODE[commodity] if (commodity := node.findtext(_q("KOMODITA"))) else None,
        supply_point_ids=tuple(_text(om, "OM_ID") for om in node.iterchildren(_q("OM"))),
    )


class DaySeries:
    """One ``DEN`` of a reply: contracted, weekly (NOM) and refined (UPR) intervals."""

    def __init__(self, node: etree._Element, resolution: Resolution) -> None:
        self.day = legacy_date(_text(node, "DATUM"))
        starts = day_starts(self.day, resolution)
        periods = list(node.iterchildren(_q("H")))
        if int(_text(node, "POCET_PER")) != len(starts) or len(periods) != len(starts):
            raise ValueError(f"{self.day} has {len(periods)} periods, expected {len(starts)}")
        columns: dict[str, list[Interval]] = {"SML": [], "NOM": [], "UPR": []}
        for number, (start, period) in enumerate(zip(starts, periods, strict=True), 1):
            if int(_text(period, "POR")) != number:
                raise ValueError(f"{self.day}: period {number} is numbered {_text(period, 'POR')}")
            for column, series in columns.items():
                value = _opt_text(period, column)
                if value is not None:
                    series.append(Interval(start, legacy_decimal(value)))
        self.contracted = tuple(columns["SML"])
        self.weekly = _whole(columns["NOM"], len(starts), self.day)
        self.refined = _whole(columns["UPR"], len(starts), self.day)


def _whole(series: list[Interval], count: int, day: dt.date) -> tuple[Interval, ...]:
    if series and len(series) != count:
        raise ValueError(f"{day}: {len(series)} of {count} periods have values")
    return tuple(series)


def _period_state(answer: etree._Element) -> tuple[NominationState, dt.datetime, str | None]:
    node = answer.find(_q("OBDOBI_STAV"))
    if node is None:
        raise ValueError("missing OBDOBI_STAV")
    return (
        STATE_BY_CODE[int(_text(node, "STAV"))],
        _time(_text(node, "UZAVERKA")),
        _opt_text(node, "ID_PODANI"),
    )


def week_from(customer_number: str, week_start: dt.date, answer: etree._Element) -> WeeklyNomination:
    resolution = _resolution(answer)
    state, gate_closure, submission_id = _period_state(answer)
    days = [DaySeries(node, resolution) for node in answer.iterchildren(_q("DEN"))]
    if [d.day for d in days] != [week_start + dt.timedelta(days=n) for n in range(7)]:
        raise ValueError("the week's days are not Monday to Sunday")
    weekly = [d.weekly for d in days]
    if any(weekly) and not all(weekly):
        raise ValueError("weekly values for some days only")
    return WeeklyNomination(
        customer_number=customer_number,
        week_start=week_start,
        resolution=resolution,
        contracted=tuple(i for d in days for i in d.contracted),
        submitted=tuple(i for series in weekly for i in series),
        state=state,
        gate_closure=gate_closure,
        submission_id=submission_id,
    )


def day_from(customer_number: str, day: dt.date, answer: etree._Element) -> DailyRefinement:
    resolution = _resolution(answer)
    state, gate_closure, submission_id = _period_state(answer)
    node = answer.find(_q("DEN"))
    if node is None:
        raise ValueError("missing DEN")
    series = DaySeries(node, resolution)
    if series.day != day:
        raise ValueError(f"asked for {day}, got {series.day}")
    return DailyRefinement(
        customer_number=customer_number,
        day=day,
        resolution=resolution,
        contracted=series.contracted,
        weekly=series.weekly,
        refined=series.refined,
        state=state,
        gate_closure=gate_closure,
        submission_id=submission_id,
    )


def month_from(customer_number: str, month: dt.date, answer: etree._Element) -> MonthlyRefinement:
    state, gate_closure, submission_id = _period_state(answer)
    refined = _opt_text(answer, "UPR_MWH")
    return MonthlyRefinement(
        customer_number=customer_number,
        month=month,
        contracted_mwh=legacy_decimal(_text(answer, "SML_MWH")),
        refined_mwh=legacy_decimal(refined) if refined is not None else None,
        state=state,
        gate_closure=gate_closure,
        submission_id=submission_id,
    )


GATE = {"O": True, "U": False}  # BRANA: otevřena, uzavřena
SUBMITTED_STATES = frozenset({NominationState.SUBMITTED, NominationState.ACCEPTED})


def consumer_status_from(node: etree._Element) -> ConsumerWeekStatus:
    received = _opt_text(node, "CAS_PRIJETI")
    return ConsumerWeekStatus(
        customer_number=_text(node, "ZAK_CISLO"),
        customer_name=_text(node, "NAZEV"),
        eic=_text(node, "EIC"),
        contract_number=_text(node, "CIS_SML"),
        submitted=STATE_BY_CODE[int(_text(node, "STAV"))] in SUBMITTED_STATES,
        submission_id=_opt_text(node, "ID_PODANI"),
        submitted_at=_time(received) if received is not None else None,
    )


def week_status_from(week_start: dt.date, answer: etree._Element) -> WeekStatus:
    if legacy_date(_text(answer, "DAT_OD")) != week_start:
        raise ValueError("the status is of another week")
    consumers = tuple(consumer_status_from(node) for node in answer.iterchildren(_q("ODBERATEL")))
    expected, submitted = int(_text(answer, "POCET_OCEKAVANO")), int(_text(answer, "POCET_PODANO"))
    if expected != len(consumers) or submitted != sum(c.submitted for c in consumers):
        raise ValueError("the counts do not match the consumers listed")
    return WeekStatus(
        week_start=week_start,
        gate_closure=_time(_text(answer, "UZAVERKA")),
        gate_open=GATE[_text(answer, "BRANA")],
        expected=expected,
        submitted=submitted,
        consumers=consumers,
    )


def receipt_from(
    answer: etree._Element, kind: NominationKind, days: Sequence[tuple[dt.date, Sequence[Interval]]]
) -> SubmissionReceipt:
    """An accepted submission's receipt, or ``NominationRejected`` positioned in the series
    (``days``: the submitted intervals of each day, in order)."""
    node = answer.find(_q("VYSLEDEK"))
    if node is None:
        raise BackendProtocolError(BACKEND)
    code, problem_day, problem_period = mapped(
        BACKEND,
        "result",
        lambda: (
            int(_text(node, "KOD")),
            _opt_text(node, "CHYBA_DATUM"),
            _opt_text(node, "CHYBA_POR"),
        ),
    )
    if code == ACCEPTED:
        return mapped(
            BACKEND,
            "receipt",
            lambda: SubmissionReceipt(
                submission_id=_text(node, "ID_PODANI"),
                kind=kind,
                received_at=_time(_text(node, "CAS_PRIJETI")),
            ),
        )
    if code not in PROBLEM_BY_CODE:
        log.warning("nomination refused a submission with the unknown code %s", code)
        raise BackendProtocolError(BACKEND)
    problem_kind, message = PROBLEM_BY_CODE[code]
    index, start = _position(days, problem_day, problem_period)
    if start is not None:
        message = f"{message} (interval {index + 1 if index is not None else '?'}, {describe(start)})"
    log.info("nomination refused a %s submission: %s", kind.value, code)
    raise NominationRejected([NominationProblem(problem_kind, message, index=index, start=start)])


def _position(
    days: Sequence[tuple[dt.date, Sequence[Interval]]], day_text: str | None, period_text: str | None
) -> tuple[int | None, dt.datetime | None]:
    """The 0-based index in the whole submitted series of the legacy (CHYBA_DATUM, CHYBA_POR)."""
    if day_text is None or period_text is None or not period_text.isdigit():
        return None, None
    offset = 0
    for day, intervals in days:
        if f"{day:%Y%m%d}" == day_text:
            position = int(period_text) - 1
            start = intervals[position].start if 0 <= position < len(intervals) else None
            return offset + position, start
        offset += len(intervals)
    return None, None


# -- the adapter ---------------------------------------------------------------------------


def split_days(
    intervals: Sequence[Interval], days: Sequence[dt.date], resolution: Resolution
) -> list[tuple[dt.date, tuple[Interval, ...]]]:
    """The series cut into local days, after checking it holds exactly their intervals."""
    expected = [start for day in days for start in day_starts(day, resolution)]
    problem = first_series_problem(intervals, expected, resolution)
    if problem is not None:
        raise NominationRejected([problem])
    result: list[tuple[dt.date, tuple[Interval, ...]]] = []
    position = 0
    for day in days:
        count = len(day_starts(day, resolution))
        result.append((day, tuple(intervals[position : position + count])))
        position += count
    return result


def _periods(intervals: Sequence[Interval]) -> list[dict[str, Any]]:
    return [{"POR": n, "MW": legacy_decimal_text(i.value_mw)} for n, i in enumerate(intervals, 1)]


class SoapNomination:
    """``NominationBackend`` on the nomination system's SOAP service at ``address``.

    ``http`` belongs to the app, which closes it; its timeout is the calls' timeout.
    """

    def __init__(self, *, http: httpx.AsyncClient, address: str, username: str, password: str) -> None:
        self._soap = SoapService(SOAP, http=http, address=address, username=username, password=password)

    async def _read(self, operation: str, **params: Any) -> etree._Element | None:
        """A read's answer; ``None`` without a contract or for a period the system refuses."""
        try:
            return await self._soap.call(operation, **params)
        except (NoContractError, BackendRejected):
            return None

    # -- reads

    async def contracts(self, customer_numbers: Sequence[str]) -> list[NominationContract | None]:
        async def one(number: str) -> NominationContract | None:
            answer = await self._read("GetContract", ZAK_CISLO=number)
            if answer is None:
                return None
            node = answer.find(_q("SMLOUVA"))
            if node is None:
                raise BackendProtocolError(BACKEND)
            return mapped(BACKEND, "contract", lambda: contract_from(node))

        return list(await asyncio.gather(*(one(number) for number in customer_numbers)))

    async def weeks(self, periods: Sequence[NominationPeriod]) -> list[WeeklyNomination | None]:
        async def one(period: NominationPeriod) -> WeeklyNomination | None:
            if period.start.weekday() != 0:
                return None
            answer = await self._read(
                "GetWeek", ZAK_CISLO=period.customer_number, DAT_OD=f"{period.start:%Y%m%d}"
            )
            if answer is None:
                return None
            return mapped(BACKEND, "week", lambda: week_from(period.customer_number, period.start, answer))

        return list(await asyncio.gather(*(one(period) for period in periods)))

    async def days(self, periods: Sequence[NominationPeriod]) -> list[DailyRefinement | None]:
        async def one(period: NominationPeriod) -> DailyRefinement | None:
            answer = await self._read(
                "GetDay", ZAK_CISLO=period.customer_number, DATUM=f"{period.start:%Y%m%d}"
            )
            if answer is None:
                return None
            return mapped(BACKEND, "day", lambda: day_from(period.customer_number, period.start, answer))

        return list(await asyncio.gather(*(one(period) for period in periods)))

    async def months(self, periods: Sequence[NominationPeriod]) -> list[MonthlyRefinement | None]:
        async def one(period: NominationPeriod) -> MonthlyRefinement | None:
            month = period.start.replace(day=1)
            answer = await self._read("GetMonth", ZAK_CISLO=period.customer_number, OBDOBI=f"{month:%Y%m}")
            if answer is None:
                return None
            return mapped(BACKEND, "month", lambda: month_from(period.customer_number, month, answer))

        return list(await asyncio.gather(*(one(period) for period in periods)))

    async def week_statuses(self, week_starts: Sequence[dt.date]) -> list[WeekStatus]:
        async def one(week_start: dt.date) -> WeekStatus:
            answer = await self._soap.call("GetWeekStatus", DAT_OD=f"{week_start:%Y%m%d}")
            return mapped(BACKEND, "week status", lambda: week_status_from(week_start, answer))

        return list(await asyncio.gather(*(one(start) for start in week_starts)))

    # -- submissions

    async def _submit(self, operation: str, **params: Any) -> etree._Element:
        try:
            return await self._soap.call(operation, **params)
        except NoContractError:
            raise NotFound("This customer number has no nomination contract.") from None

    async def submit_week(
        self,
        *,
        customer_number: str,
        week_start: dt.date,
        resolution: Resolution,
        intervals: Sequence[Interval],
    ) -> SubmissionReceipt:
        week_starts(week_start, resolution)  # ValueError unless a Monday
        days = split_days(intervals, [week_start + dt.timedelta(days=n) for n in range(7)], resolution)
        answer = await self._submit(
            "SubmitWeek",
            ZAK_CISLO=customer_number,
            DAT_OD=f"{week_start:%Y%m%d}",
            DEN=[{"DATUM": f"{day:%Y%m%d}", "H": _periods(values)} for day, values in days],
        )
        return receipt_from(answer, NominationKind.WEEKLY, days)

    async def submit_day(
        self, *, customer_number: str, day: dt.date, resolution: Resolution, intervals: Sequence[Interval]
    ) -> SubmissionReceipt:
        days = split_days(intervals, [day], resolution)
        answer = await self._submit(
            "SubmitDay", ZAK_CISLO=customer_number, DATUM=f"{day:%Y%m%d}", H=_periods(days[0][1])
        )
        return receipt_from(answer, NominationKind.DAILY, days)

    async def submit_month(
        self, *, customer_number: str, month: dt.date, refined_mwh: Decimal
    ) -> SubmissionReceipt:
        answer = await self._submit(
            "SubmitMonth",
            ZAK_CISLO=customer_number,
            OBDOBI=f"{month:%Y%m}",
            MWH=legacy_decimal_text(refined_mwh),
        )
        return receipt_from(answer, NominationKind.MONTHLY, [])

    async def ping(self) -> None:
        answer = await self._soap.call("Ping")
        if answer.findtext(_q("CAS")) is None:
            raise BackendProtocolError(BACKEND)
