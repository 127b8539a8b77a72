"""Nomination (sjednávání) of a large consumer's contracted diagram: reading and submitting.

Every time is an ISO 8601 date-time with its UTC offset, in Europe/Prague: on the autumn
DST day 02:00-03:00 comes twice, once ``+02:00`` and once ``+01:00``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

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
from gateway.schema.node import to_global_id
from gateway.schema.supply_points import Commodity

Resolution = strawberry.enum(
    domain.Resolution, description="The length of a trading interval: a quarter-hour or an hour."
)
NominationState = strawberry.enum(
    domain.NominationState,
    description="DRAFT: nothing submitted, gate open; SUBMITTED: submitted, may still be replaced; "
    "ACCEPTED: submitted and the gate closed; LATE: the gate closed with nothing submitted.",
)
NominationKind = strawberry.enum(domain.NominationKind)
NominationErrorCode = strawberry.enum(domain.ProblemKind, name="NominationErrorCode")


@public_fields
@strawberry.type(description="One trading interval: average power in MW, and its energy.")
class NominationInterval:
    start: dt.datetime = strawberry.field(description="The interval's start, with its UTC offset.")
    value_mw: Decimal
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
@strawberry.type
class MonthlyVolume:
    month: str = strawberry.field(description="YYYY-MM")
    contracted_mwh: Decimal


@public_fields
@strawberry.type(description="The weekly values of a Monday-to-Sunday week (167 or 169 hours on DST weeks).")
class NominationWeek:
    week_start: dt.date
    resolution: Resolution  # type: ignore[valid-type]
    state: NominationState  # type: ignore[valid-type]
    gate_closure: dt.datetime = strawberry.field(description="Weekly values are accepted before this.")
    submission_id: str | None
    contracted: list[NominationInterval]
    submitted: list[NominationInterval] = strawberry.field(description="Empty until submitted.")
    contracted_mwh: Decimal
    submitted_mwh: Decimal | None

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
    date: dt.date
    resolution: Resolution  # type: ignore[valid-type]
    interval_count: int
    state: NominationState  # type: ignore[valid-type]
    gate_closure: dt.datetime
    submission_id: str | None
    contracted: list[NominationInterval]
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
    contracted_mwh: Decimal
    refined_mwh: Decimal | None
    state: NominationState  # type: ignore[valid-type]
    gate_closure: dt.datetime
    submission_id: str | None

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
    contract_number: str
    resolution: Resolution  # type: ignore[valid-type]
    tolerance_percent: Decimal = strawberry.field(
        description="Each submitted value may differ from its contracted value by this percentage of it."
    )
    valid_from: dt.date
    valid_to: dt.date
    monthly_volumes: list[MonthlyVolume]
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
    async def week(self, info: Info, start: dt.date) -> NominationWeek | None:
        week = await resolve_week(info, self.customer_number, start)
        return NominationWeek.from_domain(week) if week is not None else None

    @strawberry.field(description="The local day `date`; null outside the contract.")
    async def day(self, info: Info, date: dt.date) -> NominationDay | None:
        day = await resolve_day(info, self.customer_number, date)
        return NominationDay.from_domain(day) if day is not None else None

    @strawberry.field(description="The month `month` (YYYY-MM); null outside the contract.")
    async def month(self, info: Info, month: str) -> NominationMonth | None:
        found = await resolve_month(info, self.customer_number, month)
        return NominationMonth.from_domain(found) if found is not None else None


# -- submissions -------------------------------------------------------------------------------


@strawberry.input(description="One interval: its start with a UTC offset, and the average power in MW.")
class NominationIntervalInput:
    start: dt.datetime
    value_mw: Decimal = strawberry.field(description="Not negative, at most 3 decimals.")


def _series(intervals: list[NominationIntervalInput] | None) -> list[domain.Interval] | None:
    if intervals is None:
        return None
    return [domain.Interval(start=i.start, value_mw=i.value_mw) for i in intervals]


@strawberry.input
class SubmitWeeklyNominationInput:
    customer_number: str
    week_start: dt.date = strawberry.field(description="A Monday, Europe/Prague.")
    intervals: list[NominationIntervalInput] | None = strawberry.field(
        default=None, description="Every interval of the week, in time order. Give this or `csv`."
    )
    csv: str | None = strawberry.field(
        default=None,
        description="The week as CSV (`start,value_mw`; see the README). Give this or `intervals`.",
    )
    idempotency_key: str


@strawberry.input
class SubmitDailyRefinementInput:
    customer_number: str
    date: dt.date
    intervals: list[NominationIntervalInput] = strawberry.field(
        description="Every interval of the day, in time order."
    )
    idempotency_key: str


@strawberry.input
class SubmitMonthlyRefinementInput:
    customer_number: str
    month: str = strawberry.field(description="YYYY-MM")
    refined_mwh: Decimal
    idempotency_key: str


@public_fields
@strawberry.type(description="An accepted submission, as the nomination system confirmed it.")
class NominationSubmission:
    submission_id: str
    kind: NominationKind  # type: ignore[valid-type]
    period_start: dt.date = strawberry.field(description="The Monday, the day, or the 1st of the month.")
    received_at: dt.datetime
    interval_count: int | None
    energy_mwh: Decimal | None


@public_fields
@strawberry.type(description="Why a submission was refused, and where.")
class NominationError:
    code: NominationErrorCode  # type: ignore[valid-type]
    message: str
    position: int | None = strawberry.field(description="The 0-based index in the submitted series.")
    start: dt.datetime | None = strawberry.field(description="The start of the interval at `position`.")
    line: int | None = strawberry.field(description="The 1-based line of the CSV input.")
    field: list[str] | None = strawberry.field(description="The path of the offending input field.")


@public_fields
@strawberry.type
class SubmitNominationPayload:
    submission: NominationSubmission | None
    errors: list[NominationError]


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
        self, info: Info, input: SubmitWeeklyNominationInput
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
        self, info: Info, input: SubmitDailyRefinementInput
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
        self, info: Info, input: SubmitMonthlyRefinementInput
    ) -> SubmitNominationPayload | None:
        outcome = await submit_monthly_refinement(
            info,
            customer_number=input.customer_number,
            month=input.month,
            refined_mwh=input.refined_mwh,
            idempotency_key=input.idempotency_key,
        )
        return payload_of(outcome)
