"""Nomination (sjednávání) of a large consumer's contracted diagram: reading and submitting.

Every time is an ISO 8601 date-time with its UTC offset, in Europe/Prague: on the autumn
DST day 02:00-03:00 comes twice, once ``+02:00`` and once ``+01:00``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

import strawberry

from gateway.context import Info
from gateway.domain import nomination as domain
from gateway.nomination.intervals import energy_mwh
from gateway.permissions import LoggedIn, public_fields
from gateway.resolvers.nomination import (
    SubmissionOutcome,
    resolve_day,
    resolve_month,
    resolve_week,
    submit_daily_refinement,
    submit_monthly_refinement,
    submit_weekly_nomination,
)
from gateway.schema.common import described_enum, localized
from gateway.schema.node import to_global_id
from gateway.schema.supply_points import Commodity

Resolution = described_enum(
    domain.Resolution,
    description="The length of a trading interval: a quarter-hour or an hour.",
    values={
        "QUARTER_HOUR": "Quarter-hour intervals: 96 a day (92 or 100 on DST days).",
        "HOUR": "Hourly intervals: 24 a day (23 or 25 on DST days).",
    },
)
NominationState = described_enum(
    domain.NominationState,
    description="DRAFT: nothing submitted, gate open; SUBMITTED: submitted, may still be replaced; "
    "ACCEPTED: submitted and the gate closed; LATE: the gate closed with nothing submitted.",
    values={
        "DRAFT": "Nothing submitted yet; the gate is open.",
        "SUBMITTED": "Submitted; may still be replaced until the gate closes.",
        "ACCEPTED": "Submitted, and the gate closed: final.",
        "LATE": "The gate closed with nothing submitted: the contracted values apply.",
    },
)
NominationKind = described_enum(
    domain.NominationKind,
    description="Which kind of submission.",
    values={
        "WEEKLY": "A week's values (Monday to Monday).",
        "DAILY": "A day's refinement.",
        "MONTHLY": "A month's refined volume.",
    },
)
NominationErrorCode = described_enum(
    domain.ProblemKind,
    name="NominationErrorCode",
    description="Why a nomination submission was refused.",
    values={
        "MISSING_OFFSET": (
            "A start has no UTC offset; it is required (it tells the two autumn 02:00 hours apart)."
        ),
        "MISSING": "An interval of the period is missing (`start` says which).",
        "DUPLICATE": "Two intervals start at the same moment (on the autumn DST day, check the offset).",
        "MISALIGNED": "An interval does not start on the contract's quarter-hour or hour grid.",
        "OUT_OF_RANGE": "An interval (or month) lies outside the period or the contract.",
        "NEGATIVE": "A value is negative.",
        "NOT_A_NUMBER": "A value is not a finite number.",
        "TOO_MANY_DECIMALS": "A value has more than 3 decimals.",
        "OUT_OF_TOLERANCE": (
            "A value differs from its contracted value by more than the contract's tolerance."
        ),
        "GATE_CLOSED": "The period's gate closure has passed: it can no longer be submitted.",
        "MALFORMED_CSV": (
            "The CSV cannot be read (header, delimiter, a line's fields, "
            "a start that is not ISO 8601, text that is not UTF-8)."
        ),
    },
)


@public_fields
@strawberry.type(description="One trading interval: average power in MW, and its energy.")
class NominationInterval:
    start: dt.datetime = strawberry.field(description="The interval's start, with its UTC offset.")
    value_mw: Decimal = strawberry.field(
        description="The average power over the interval, in MW (decimal string, up to 3 decimals)."
    )
    energy_mwh: Decimal = strawberry.field(description="valueMw x the interval's length in hours.")


def intervals_of(
    series: tuple[domain.Interval, ...], resolution: domain.Resolution
) -> list[NominationInterval]:
    return [
        NominationInterval(start=i.start, value_mw=i.value_mw, energy_mwh=i.value_mw * resolution.hours)
        for i in series
    ]


def _total(series: tuple[domain.Interval, ...], resolution: domain.Resolution) -> Decimal | None:
    return energy_mwh(series, resolution) if series else None


@public_fields
@strawberry.type(description="The contracted energy of one month.")
class MonthlyVolume:
    month: str = strawberry.field(description="YYYY-MM")
    contracted_mwh: Decimal = strawberry.field(description="MWh (decimal string).")


@public_fields
@strawberry.type(description="The weekly values of a Monday-to-Sunday week (167 or 169 hours on DST weeks).")
class NominationWeek:
    week_start: dt.date = strawberry.field(description="The week's Monday (Europe/Prague).")
    resolution: Resolution = strawberry.field(description="The length of each interval.")  # type: ignore[valid-type]
    state: NominationState = strawberry.field(description="Where the week's nomination stands.")  # type: ignore[valid-type]
    gate_closure: dt.datetime = strawberry.field(description="Weekly values are accepted before this.")
    submission_id: str | None = strawberry.field(
        description="The accepted submission's ID; null until submitted."
    )
    contracted: list[NominationInterval] = strawberry.field(
        description="The contracted values of the week, in time order."
    )
    submitted: list[NominationInterval] = strawberry.field(description="Empty until submitted.")
    contracted_mwh: Decimal = strawberry.field(
        description="The week's contracted energy, MWh (decimal string)."
    )
    submitted_mwh: Decimal | None = strawberry.field(
        description="The submitted energy, MWh; null until submitted."
    )

    @classmethod
    def from_domain(cls, week: domain.WeeklyNomination) -> NominationWeek:
        return cls(
            week_start=week.week_start,
            resolution=week.resolution,
            state=week.state,
            gate_closure=week.gate_closure,
            submission_id=week.submission_id,
            contracted=intervals_of(week.contracted, week.resolution),
            submitted=intervals_of(week.submitted, week.resolution),
            contracted_mwh=energy_mwh(week.contracted, week.resolution),
            submitted_mwh=_total(week.submitted, week.resolution),
        )


@public_fields
@strawberry.type(description="The daily refinement of one local day (92, 96 or 100 quarter-hours).")
class NominationDay:
    date: dt.date = strawberry.field(description="The local day (Europe/Prague).")
    resolution: Resolution = strawberry.field(description="The length of each interval.")  # type: ignore[valid-type]
    interval_count: int = strawberry.field(
        description=(
            "Intervals in the day: 96 quarter-hours (92 on the spring DST "
            "day, 100 on the autumn one), or 24 hours (23, 25)."
        )
    )
    state: NominationState = strawberry.field(description="Where the day's refinement stands.")  # type: ignore[valid-type]
    gate_closure: dt.datetime = strawberry.field(
        description="Refinements of this day are accepted before this moment (with its UTC offset)."
    )
    submission_id: str | None = strawberry.field(
        description="The accepted refinement's ID; null until refined."
    )
    contracted: list[NominationInterval] = strawberry.field(
        description="The contracted values of the day, in time order."
    )
    weekly: list[NominationInterval] = strawberry.field(description="The submitted weekly values of the day.")
    refined: list[NominationInterval] = strawberry.field(description="Empty until refined.")

    @classmethod
    def from_domain(cls, day: domain.DailyRefinement) -> NominationDay:
        return cls(
            date=day.day,
            resolution=day.resolution,
            interval_count=len(day.contracted),
            state=day.state,
            gate_closure=day.gate_closure,
            submission_id=day.submission_id,
            contracted=intervals_of(day.contracted, day.resolution),
            weekly=intervals_of(day.weekly, day.resolution),
            refined=intervals_of(day.refined, day.resolution),
        )


@public_fields
@strawberry.type(description="A month's refined volume against the contracted one.")
class NominationMonth:
    month: str = strawberry.field(description="YYYY-MM")
    contracted_mwh: Decimal = strawberry.field(
        description="The month's contracted energy, MWh (decimal string)."
    )
    refined_mwh: Decimal | None = strawberry.field(description="The refined energy, MWh; null until refined.")
    state: NominationState = strawberry.field(description="Where the month's refinement stands.")  # type: ignore[valid-type]
    gate_closure: dt.datetime = strawberry.field(
        description="The refinement is accepted before this moment (with its UTC offset)."
    )
    submission_id: str | None = strawberry.field(
        description="The accepted refinement's ID; null until refined."
    )

    @classmethod
    def from_domain(cls, month: domain.MonthlyRefinement) -> NominationMonth:
        return cls(
            month=f"{month.month:%Y-%m}",
            contracted_mwh=month.contracted_mwh,
            refined_mwh=month.refined_mwh,
            state=month.state,
            gate_closure=month.gate_closure,
            submission_id=month.submission_id,
        )


@public_fields
@strawberry.type(description="A large consumer's nomination contract and its periods.")
class NominationContract:
    customer_number: strawberry.Private[str]
    contract_number: str = strawberry.field(description="The nomination contract's number.")
    resolution: Resolution = strawberry.field(description="The length of every interval of this contract.")  # type: ignore[valid-type]
    tolerance_percent: Decimal = strawberry.field(
        description="Each submitted value may differ from its contracted value by this percentage of it."
    )
    valid_from: dt.date = strawberry.field(description="The contract's first day (Europe/Prague).")
    valid_to: dt.date = strawberry.field(description="The contract's last day (Europe/Prague).")
    monthly_volumes: list[MonthlyVolume] = strawberry.field(
        description="The contracted energy of each month of the contract."
    )
    commodity: Commodity | None = strawberry.field(  # type: ignore[valid-type]
        description="What the contracted diagram nominates: gas or electricity."
    )
    supply_point_ids: list[strawberry.ID] = strawberry.field(
        description="The supply points the contract covers (global IDs); a year of the diagram is "
        "their expected annual consumption."
    )

    @classmethod
    def from_domain(cls, contract: domain.NominationContract) -> NominationContract:
        return cls(
            commodity=contract.commodity,
            supply_point_ids=[to_global_id("SupplyPoint", i) for i in contract.supply_point_ids],
            customer_number=contract.customer_number,
            contract_number=contract.contract_number,
            resolution=contract.resolution,
            tolerance_percent=contract.tolerance_percent,
            valid_from=contract.valid_from,
            valid_to=contract.valid_to,
            monthly_volumes=[
                MonthlyVolume(month=f"{v.month:%Y-%m}", contracted_mwh=v.contracted_mwh)
                for v in contract.monthly_volumes
            ],
        )

    @strawberry.field(description="The week starting on `start`, a Monday; null outside the contract.")
    async def week(
        self,
        info: Info,
        start: Annotated[dt.date, strawberry.argument(description="The week's Monday (Europe/Prague).")],
    ) -> NominationWeek | None:
        week = await resolve_week(info, self.customer_number, start)
        return NominationWeek.from_domain(week) if week is not None else None

    @strawberry.field(description="The local day `date`; null outside the contract.")
    async def day(
        self,
        info: Info,
        date: Annotated[dt.date, strawberry.argument(description="A local day (Europe/Prague).")],
    ) -> NominationDay | None:
        day = await resolve_day(info, self.customer_number, date)
        return NominationDay.from_domain(day) if day is not None else None

    @strawberry.field(description="The month `month` (YYYY-MM); null outside the contract.")
    async def month(
        self, info: Info, month: Annotated[str, strawberry.argument(description="A month, `YYYY-MM`.")]
    ) -> NominationMonth | None:
        found = await resolve_month(info, self.customer_number, month)
        return NominationMonth.from_domain(found) if found is not None else None


# -- submissions -------------------------------------------------------------------------------


@strawberry.input(description="One interval: its start with a UTC offset, and the average power in MW.")
class NominationIntervalInput:
    start: dt.datetime = strawberry.field(
        description="The interval's start, ISO 8601 with its UTC offset (`2026-03-23T00:15:00+01:00`)."
    )
    value_mw: Decimal = strawberry.field(description="Not negative, at most 3 decimals.")


def _series(intervals: list[NominationIntervalInput] | None) -> list[domain.Interval] | None:
    if intervals is None:
        return None
    return [domain.Interval(start=i.start, value_mw=i.value_mw) for i in intervals]


@strawberry.input(
    description=(
        "A week's values (Monday 00:00 to the next Monday 00:00, Europe/Prague), as a list or as CSV."
    )
)
class SubmitWeeklyNominationInput:
    customer_number: str = strawberry.field(description="The large consumer's 10-digit customer number.")
    week_start: dt.date = strawberry.field(description="A Monday, Europe/Prague.")
    intervals: list[NominationIntervalInput] | None = strawberry.field(
        default=None, description="Every interval of the week, in time order. Give this or `csv`."
    )
    csv: str | None = strawberry.field(
        default=None,
        description="The week as CSV (`start,value_mw`; see the README). Give this or `intervals`.",
    )
    idempotency_key: str = strawberry.field(
        description=(
            "Your unique key for this submission (at most 128 characters): a "
            "retry with the same key answers the first result and submits "
            "nothing again."
        )
    )


@strawberry.input(description="The refined values of one local day.")
class SubmitDailyRefinementInput:
    customer_number: str = strawberry.field(description="The large consumer's 10-digit customer number.")
    date: dt.date = strawberry.field(description="The local day (Europe/Prague).")
    intervals: list[NominationIntervalInput] = strawberry.field(
        description="Every interval of the day, in time order."
    )
    idempotency_key: str = strawberry.field(
        description=(
            "Your unique key for this submission (at most 128 characters): a "
            "retry with the same key answers the first result and submits "
            "nothing again."
        )
    )


@strawberry.input(description="The refined energy of one month.")
class SubmitMonthlyRefinementInput:
    customer_number: str = strawberry.field(description="The large consumer's 10-digit customer number.")
    month: str = strawberry.field(description="YYYY-MM")
    refined_mwh: Decimal = strawberry.field(
        description="The month's energy in MWh (not negative, at most 3 decimals)."
    )
    idempotency_key: str = strawberry.field(
        description=(
            "Your unique key for this submission (at most 128 characters): a "
            "retry with the same key answers the first result and submits "
            "nothing again."
        )
    )


@public_fields
@strawberry.type(description="An accepted submission, as the nomination system confirmed it.")
class NominationSubmission:
    submission_id: str = strawberry.field(description="The nomination system's ID of the submission.")
    kind: NominationKind = strawberry.field(description="Weekly, daily or monthly.")  # type: ignore[valid-type]
    period_start: dt.date = strawberry.field(description="The Monday, the day, or the 1st of the month.")
    received_at: dt.datetime = strawberry.field(
        description="When the nomination system received it, with its UTC offset."
    )
    interval_count: int | None = strawberry.field(
        description="How many intervals were submitted; null for a monthly refinement."
    )
    energy_mwh: Decimal | None = strawberry.field(
        description="The energy submitted, MWh (decimal string); null for none."
    )


@public_fields
@strawberry.type(description="Why a submission was refused, and where.")
class NominationError:
    code: NominationErrorCode = strawberry.field(description="What is wrong, for a program to switch on.")  # type: ignore[valid-type]
    message: strawberry.Private[str]  # in English, as raised: said in the request's language below
    position: int | None = strawberry.field(
        description="The interval's position in the series, counted from 0: the same number as in "
        '`field` (`input.intervals.3`) and in `message` ("position 3"). Null when the problem is '
        "not about one interval."
    )
    start: dt.datetime | None = strawberry.field(
        description="The start of the interval at `position` (for MISSING: the start expected there)."
    )
    line: int | None = strawberry.field(
        description="The CSV file's line, counted from 1 as an editor does (the header is line 1); "
        "null for the typed `intervals` list."
    )
    field: list[str] | None = strawberry.field(
        description='The path of the offending input field (`["input", "intervals", "3", '
        '"valueMw"]`, or `["input", "csv"]`).'
    )

    @strawberry.field(
        name="message",
        description="For people, in the request's language (Accept-Language: Czech by default, or "
        "English); names the interval by its position (from 0) and start, and a CSV problem by its "
        'line ("Line 5: ...").',
    )
    def localized_message(self) -> str:
        return localized(self.message, self.code)


@public_fields
@strawberry.type(description="What a nomination submission answers.")
class SubmitNominationPayload:
    submission: NominationSubmission | None = strawberry.field(
        description="The accepted submission; null when `errors` is not empty."
    )
    errors: list[NominationError] = strawberry.field(
        description="Why it was refused (the first problem found, positioned); empty on success."
    )


VALUE_PROBLEMS = frozenset(
    {
        domain.ProblemKind.NEGATIVE,
        domain.ProblemKind.NOT_A_NUMBER,
        domain.ProblemKind.TOO_MANY_DECIMALS,
        domain.ProblemKind.OUT_OF_TOLERANCE,
    }
)
PERIOD_FIELD = {
    domain.NominationKind.WEEKLY: "weekStart",
    domain.NominationKind.DAILY: "date",
    domain.NominationKind.MONTHLY: "month",
}


def _field_path(outcome: SubmissionOutcome, problem: domain.NominationProblem) -> list[str]:
    if problem.kind is domain.ProblemKind.GATE_CLOSED:
        return ["input", PERIOD_FIELD[outcome.kind]]
    if outcome.kind is domain.NominationKind.MONTHLY:
        return ["input", "refinedMwh"] if problem.kind in VALUE_PROBLEMS else ["input", "month"]
    if outcome.from_csv:
        return ["input", "csv"]
    if problem.index is None:
        return ["input", PERIOD_FIELD[outcome.kind]]
    leaf = "valueMw" if problem.kind in VALUE_PROBLEMS else "start"
    return ["input", "intervals", str(problem.index), leaf]


def payload_of(outcome: SubmissionOutcome) -> SubmitNominationPayload:
    receipt = outcome.receipt
    return SubmitNominationPayload(
        submission=NominationSubmission(
            submission_id=receipt.submission_id,
            kind=outcome.kind,
            period_start=outcome.period_start,
            received_at=receipt.received_at,
            interval_count=outcome.interval_count,
            energy_mwh=outcome.energy_mwh,
        )
        if receipt is not None
        else None,
        errors=[
            NominationError(
                code=problem.kind,
                message=problem.message,
                position=problem.index,
                start=problem.start,
                line=problem.line,
                field=_field_path(outcome, problem),
            )
            for problem in outcome.problems
        ],
    )


@strawberry.type
class NominationMutation:
    @strawberry.mutation(
        permission_classes=[LoggedIn],
        description="Submit a week's values (the owner, or a delegate with MANAGE_NOMINATION). "
        "Idempotent per `idempotencyKey`.",
    )
    async def submit_weekly_nomination(
        self,
        info: Info,
        input: Annotated[
            SubmitWeeklyNominationInput,
            strawberry.argument(description="The week's values, as a list or CSV."),
        ],
    ) -> SubmitNominationPayload | None:
        outcome = await submit_weekly_nomination(
            info,
            customer_number=input.customer_number,
            week_start=input.week_start,
            intervals=_series(input.intervals),
            csv=input.csv,
            idempotency_key=input.idempotency_key,
        )
        return payload_of(outcome)

    @strawberry.mutation(
        permission_classes=[LoggedIn],
        description="Submit the refinement of one day. Idempotent per `idempotencyKey`.",
    )
    async def submit_daily_refinement(
        self,
        info: Info,
        input: Annotated[SubmitDailyRefinementInput, strawberry.argument(description="The day's values.")],
    ) -> SubmitNominationPayload | None:
        outcome = await submit_daily_refinement(
            info,
            customer_number=input.customer_number,
            day=input.date,
            intervals=_series(input.intervals) or [],
            idempotency_key=input.idempotency_key,
        )
        return payload_of(outcome)

    @strawberry.mutation(
        permission_classes=[LoggedIn],
        description="Submit a month's refined MWh. Idempotent per `idempotencyKey`.",
    )
    async def submit_monthly_refinement(
        self,
        info: Info,
        input: Annotated[
            SubmitMonthlyRefinementInput, strawberry.argument(description="The month's energy.")
        ],
    ) -> SubmitNominationPayload | None:
        outcome = await submit_monthly_refinement(
            info,
            customer_number=input.customer_number,
            month=input.month,
            refined_mwh=input.refined_mwh,
            idempotency_key=input.idempotency_key,
        )
        return payload_of(outcome)
