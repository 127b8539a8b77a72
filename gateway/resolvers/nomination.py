"""Resolvers for nomination: reading the contract and its periods, and the three submissions.

A submission is checked here, with the gateway's clock and gate-closure rules, before any
call that submits: the gate first, then the series (offsets, grid, gaps, duplicates,
precision, signs), then the tolerance against the contracted values. Only what passes is
sent; the nomination system's own verdict comes back as the same positioned problems.

Submissions are idempotent per user and ``idempotencyKey``: an accepted submission is
recorded in the account store, and the same key with the same input answers it again
without calling the back end; the same key with other input is ``BAD_USER_INPUT``. A
refused submission is not recorded, so the key may be used again for corrected values.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from gateway.adapters.nomination.protocol import NominationPeriod
from gateway.context import Info
from gateway.domain.access import Scope
from gateway.domain.customers import Segment
from gateway.domain.nomination import (
    DailyRefinement,
    Interval,
    MonthlyRefinement,
    NominationContract,
    NominationKind,
    NominationProblem,
    ProblemKind,
    SubmissionReceipt,
    WeeklyNomination,
)
from gateway.errors import BadUserInput, NotFound
from gateway.nomination.csv_input import CsvSeries, week_problem_with_lines
from gateway.nomination.intervals import energy_mwh
from gateway.nomination.problems import NominationRejected
from gateway.nomination.validation import (
    daily_gate_closure,
    daily_problem,
    gate_problem,
    monthly_gate_closure,
    monthly_problem,
    weekly_gate_closure,
    weekly_problem,
)
from gateway.permissions import require_access
from gateway.store.db import transaction
from gateway.store.idempotency import (
    ClaimState,
    claim_idempotency_key,
    complete_idempotency_key,
    release_idempotency_key,
    request_hash,
)

MAX_KEY_LENGTH = 128


# -- reading ---------------------------------------------------------------------------------


async def resolve_nomination_contract(info: Info, customer_number: str) -> NominationContract | None:
    """The contract of a large consumer; ``None`` for any other segment (or no contract)."""
    customer = await info.context.loaders.customer_by_number.load(customer_number)
    if customer is None or customer.segment is not Segment.LARGE:
        return None
    return await info.context.loaders.nomination_contract_by_customer.load(customer_number)


async def resolve_week(info: Info, customer_number: str, start: dt.date) -> WeeklyNomination | None:
    if start.weekday() != 0:
        raise BadUserInput(f"A nomination week starts on a Monday; {start} is a {start:%A}.")
    return await info.context.loaders.nomination_week_by_period.load(NominationPeriod(customer_number, start))


async def resolve_day(info: Info, customer_number: str, day: dt.date) -> DailyRefinement | None:
    return await info.context.loaders.nomination_day_by_period.load(NominationPeriod(customer_number, day))


MONTH = re.compile(r"((?:19|2[0-9])[0-9]{2})-(0[1-9]|1[0-2])")  # the years a Date may name: 1900-2999


def parse_month(text: str) -> dt.date:
    """``"2026-10"`` -> the first day of that month; ``BadUserInput`` otherwise."""
    matched = MONTH.fullmatch(text)
    if matched is None:
        raise BadUserInput(f"{text!r} is not a month from 1900-01 to 2999-12 written YYYY-MM.")
    return dt.date(int(matched[1]), int(matched[2]), 1)


async def resolve_month(info: Info, customer_number: str, month: str) -> MonthlyRefinement | None:
    return await info.context.loaders.nomination_month_by_period.load(
        NominationPeriod(customer_number, parse_month(month))
    )


# -- submitting ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SubmissionOutcome:
    """An accepted submission (``receipt``) or why it was refused (``problems``)."""

    kind: NominationKind
    period_start: dt.date
    receipt: SubmissionReceipt | None = None
    interval_count: int | None = None
    energy_mwh: Decimal | None = None
    problems: tuple[NominationProblem, ...] = ()
    from_csv: bool = False

    def as_record(self) -> dict[str, Any]:
        assert self.receipt is not None
        return {
            "kind": self.kind.value,
            "period_start": self.period_start.isoformat(),
            "submission_id": self.receipt.submission_id,
            "received_at": self.receipt.received_at.isoformat(),
            "interval_count": self.interval_count,
            "energy_mwh": str(self.energy_mwh) if self.energy_mwh is not None else None,
        }

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> SubmissionOutcome:
        kind = NominationKind(record["kind"])
        energy = record.get("energy_mwh")
        return cls(
            kind=kind,
            period_start=dt.date.fromisoformat(record["period_start"]),
            receipt=SubmissionReceipt(
                submission_id=record["submission_id"],
                kind=kind,
                received_at=dt.datetime.fromisoformat(record["received_at"]),
            ),
            interval_count=record.get("interval_count"),
            energy_mwh=Decimal(energy) if energy is not None else None,
        )


def _refused(
    kind: NominationKind, period_start: dt.date, problem: NominationProblem, *, from_csv: bool = False
) -> SubmissionOutcome:
    return SubmissionOutcome(kind=kind, period_start=period_start, problems=(problem,), from_csv=from_csv)


async def _contract(info: Info, customer_number: str) -> NominationContract:
    contract = await info.context.loaders.nomination_contract_by_customer.load(customer_number)
    if contract is None:
        raise NotFound("This customer number has no nomination contract.")
    return contract


async def _idempotent(
    info: Info,
    *,
    operation: str,
    customer_number: str,
    idempotency_key: str,
    arguments: dict[str, Any],
    run: Callable[[], Awaitable[SubmissionOutcome]],
) -> SubmissionOutcome:
    """Authorise, then run ``run`` once per (user, key): replay an accepted result."""
    require_access(info.context.access(customer_number), Scope.MANAGE_NOMINATION)
    viewer = info.context.viewer
    if viewer is None:  # staff never hold MANAGE_NOMINATION, so this is unreachable
        raise NotFound
    if not 0 < len(idempotency_key) <= MAX_KEY_LENGTH:
        raise BadUserInput(f"`idempotencyKey` must have 1 to {MAX_KEY_LENGTH} characters.")
    services = info.context.services
    fingerprint = request_hash(operation, arguments)
    async with transaction(services.store) as session:
        claim = await claim_idempotency_key(
            session,
            user_id=viewer.user_id,
            key=idempotency_key,
            operation=operation,
            request_hash=fingerprint,
            now=services.clock(),
        )
    if claim.state is ClaimState.MISMATCH:
        raise BadUserInput("This `idempotencyKey` was already used for a different submission.")
    if claim.state is ClaimState.IN_PROGRESS:
        raise BadUserInput("A submission with this `idempotencyKey` is still running; retry shortly.")
    if claim.state is ClaimState.REPLAY:
        assert claim.record.response is not None
        if services.metrics is not None:
            services.metrics.idempotent_replays.labels(operation=operation).inc()
        return SubmissionOutcome.from_record(claim.record.response)
    try:
        outcome = await run()
    except Exception:
        async with transaction(services.store) as session:
            await release_idempotency_key(session, user_id=viewer.user_id, key=idempotency_key)
        raise
    async with transaction(services.store) as session:
        if outcome.receipt is None:
            await release_idempotency_key(session, user_id=viewer.user_id, key=idempotency_key)
        else:
            await complete_idempotency_key(
                session,
                user_id=viewer.user_id,
                key=idempotency_key,
                response=outcome.as_record(),
                now=services.clock(),
            )
    return outcome


def _series_arguments(intervals: Sequence[Interval] | None) -> list[list[str]] | None:
    if intervals is None:
        return None
    return [[interval.start.isoformat(), str(interval.value_mw)] for interval in intervals]


async def submit_weekly_nomination(
    info: Info,
    *,
    customer_number: str,
    week_start: dt.date,
    intervals: Sequence[Interval] | None,
    csv: str | None,
    idempotency_key: str,
) -> SubmissionOutcome:
    if (intervals is None) == (csv is None):
        raise BadUserInput("Give the week's values either as `intervals` or as `csv`, not both.")

    async def run() -> SubmissionOutcome:
        kind = NominationKind.WEEKLY
        services = info.context.services
        now = services.clock()
        gate = gate_problem(
            kind=kind, deadline=weekly_gate_closure(week_start, services.gate_closure), now=now
        )
        if gate is not None:
            return _refused(kind, week_start, gate)
        if week_start.weekday() != 0:
            return _refused(
                kind,
                week_start,
                NominationProblem(
                    ProblemKind.OUT_OF_RANGE,
                    f"A nomination week starts on a Monday; {week_start} is a {week_start:%A}.",
                ),
            )
        contract = await _contract(info, customer_number)
        located: CsvSeries | None = None
        if csv is not None:
            located, problem = week_problem_with_lines(
                csv, week_start=week_start, resolution=contract.resolution
            )
            if problem is not None:
                return _refused(kind, week_start, problem, from_csv=True)
            assert located is not None
            series: Sequence[Interval] = located.intervals
        else:
            assert intervals is not None
            series = intervals
        week = await info.context.loaders.nomination_week_by_period.load(
            NominationPeriod(customer_number, week_start)
        )
        if week is None:
            return _refused(kind, week_start, _outside_contract(week_start))
        problem = weekly_problem(
            contract=contract,
            week_start=week_start,
            series=series,
            contracted=week.contracted,
            now=now,
            rules=services.gate_closure,
        )
        try:
            if problem is not None:
                raise NominationRejected([problem])
            receipt = await services.backends.nomination.submit_week(
                customer_number=customer_number,
                week_start=week_start,
                resolution=contract.resolution,
                intervals=series,
            )
        except NominationRejected as rejected:
            first = rejected.problems[0]
            return _refused(
                kind, week_start, located.locate(first) if located else first, from_csv=bool(located)
            )
        return SubmissionOutcome(
            kind=kind,
            period_start=week_start,
            receipt=receipt,
            interval_count=len(series),
            energy_mwh=energy_mwh(series, contract.resolution),
        )

    return await _idempotent(
        info,
        operation="submitWeeklyNomination",
        customer_number=customer_number,
        idempotency_key=idempotency_key,
        arguments={
            "customer": customer_number,
            "week": week_start.isoformat(),
            "intervals": _series_arguments(intervals),
            "csv": csv,
        },
        run=run,
    )


def _outside_contract(start: dt.date) -> NominationProblem:
    return NominationProblem(
        ProblemKind.OUT_OF_RANGE, f"The period starting {start} is outside the contract."
    )


async def submit_daily_refinement(
    info: Info, *, customer_number: str, day: dt.date, intervals: Sequence[Interval], idempotency_key: str
) -> SubmissionOutcome:
    async def run() -> SubmissionOutcome:
        kind = NominationKind.DAILY
        services = info.context.services
        now = services.clock()
        gate = gate_problem(kind=kind, deadline=daily_gate_closure(day, services.gate_closure), now=now)
        if gate is not None:
            return _refused(kind, day, gate)
        contract = await _contract(info, customer_number)
        read = await info.context.loaders.nomination_day_by_period.load(
            NominationPeriod(customer_number, day)
        )
        if read is None:
            return _refused(kind, day, _outside_contract(day))
        problem = daily_problem(
            contract=contract,
            day=day,
            series=intervals,
            contracted=read.contracted,
            now=now,
            rules=services.gate_closure,
        )
        try:
            if problem is not None:
                raise NominationRejected([problem])
            receipt = await services.backends.nomination.submit_day(
                customer_number=customer_number, day=day, resolution=contract.resolution, intervals=intervals
            )
        except NominationRejected as rejected:
            return _refused(kind, day, rejected.problems[0])
        return SubmissionOutcome(
            kind=kind,
            period_start=day,
            receipt=receipt,
            interval_count=len(intervals),
            energy_mwh=energy_mwh(intervals, contract.resolution),
        )

    return await _idempotent(
        info,
        operation="submitDailyRefinement",
        customer_number=customer_number,
        idempotency_key=idempotency_key,
        arguments={
            "customer": customer_number,
            "day": day.isoformat(),
            "intervals": _series_arguments(intervals),
        },
        run=run,
    )


async def submit_monthly_refinement(
    info: Info, *, customer_number: str, month: str, refined_mwh: Decimal, idempotency_key: str
) -> SubmissionOutcome:
    first = parse_month(month)

    async def run() -> SubmissionOutcome:
        kind = NominationKind.MONTHLY
        services = info.context.services
        now = services.clock()
        gate = gate_problem(kind=kind, deadline=monthly_gate_closure(first, services.gate_closure), now=now)
        if gate is not None:
            return _refused(kind, first, gate)
        contract = await _contract(info, customer_number)
        problem = monthly_problem(
            contract=contract, month=first, refined_mwh=refined_mwh, now=now, rules=services.gate_closure
        )
        try:
            if problem is not None:
                raise NominationRejected([problem])
            receipt = await services.backends.nomination.submit_month(
                customer_number=customer_number, month=first, refined_mwh=refined_mwh
            )
        except NominationRejected as rejected:
            return _refused(kind, first, rejected.problems[0])
        return SubmissionOutcome(kind=kind, period_start=first, receipt=receipt, energy_mwh=refined_mwh)

    return await _idempotent(
        info,
        operation="submitMonthlyRefinement",
        customer_number=customer_number,
        idempotency_key=idempotency_key,
        arguments={"customer": customer_number, "month": first.isoformat(), "mwh": str(refined_mwh)},
        run=run,
    )
