"""Nomination (sjednávání) of a large consumer's contracted diagram.

Values are average power in MW per trading interval (a quarter-hour or an hour, as the
contract says); the energy of an interval is ``value_mw`` times its length in hours.
Every start is an aware datetime; compare and key them by instant (UTC), never by
Europe/Prague wall time, because the repeated 02:00-03:00 hour of the autumn DST change
holds two intervals with the same wall time.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from decimal import Decimal

from gateway.domain.supply_points import Commodity


class Resolution(enum.Enum):
    QUARTER_HOUR = "QUARTER_HOUR"
    HOUR = "HOUR"

    @property
    def step(self) -> dt.timedelta:
        return dt.timedelta(minutes=15) if self is Resolution.QUARTER_HOUR else dt.timedelta(hours=1)

    @property
    def hours(self) -> Decimal:
        """The length of one interval in hours: MWh = MW x this."""
        return Decimal("0.25") if self is Resolution.QUARTER_HOUR else Decimal(1)


class NominationState(enum.Enum):
    DRAFT = "DRAFT"  # nothing submitted yet; the gate is open
    SUBMITTED = "SUBMITTED"  # submitted; the gate is open, so it may still be replaced
    ACCEPTED = "ACCEPTED"  # submitted and the gate has closed: these values are binding
    LATE = "LATE"  # the gate closed with nothing submitted: the contracted values apply


class NominationKind(enum.Enum):
    WEEKLY = "WEEKLY"
    DAILY = "DAILY"
    MONTHLY = "MONTHLY"


@dataclass(frozen=True, slots=True)
class Interval:
    start: dt.datetime  # aware; any UTC offset, the instant is what counts
    value_mw: Decimal


@dataclass(frozen=True, slots=True)
class MonthlyVolume:
    month: dt.date  # the first day of the month
    contracted_mwh: Decimal


@dataclass(frozen=True, slots=True)
class NominationContract:
    customer_number: str
    contract_number: str
    resolution: Resolution
    tolerance_percent: Decimal  # the allowed deviation from each contracted value, +/-
    valid_from: dt.date
    valid_to: dt.date  # inclusive
    monthly_volumes: tuple[MonthlyVolume, ...]  # in month order
    commodity: Commodity | None = None  # what the diagram nominates
    supply_point_ids: tuple[str, ...] = ()  # the supply points the contract covers

    def contracted_mwh(self, month: dt.date) -> Decimal | None:
        first = month.replace(day=1)
        return next((v.contracted_mwh for v in self.monthly_volumes if v.month == first), None)


@dataclass(frozen=True, slots=True)
class WeeklyNomination:
    customer_number: str
    week_start: dt.date  # a Monday, Europe/Prague
    resolution: Resolution
    contracted: tuple[Interval, ...]  # the contracted diagram: 672 quarter-hours (668, 676 on DST weeks)
    submitted: tuple[Interval, ...]  # empty until weekly values are submitted
    state: NominationState
    gate_closure: dt.datetime
    submission_id: str | None = None


@dataclass(frozen=True, slots=True)
class DailyRefinement:
    customer_number: str
    day: dt.date  # Europe/Prague
    resolution: Resolution
    contracted: tuple[Interval, ...]
    weekly: tuple[Interval, ...]  # the submitted weekly values for this day; empty if none
    refined: tuple[Interval, ...]  # empty until a refinement is submitted
    state: NominationState
    gate_closure: dt.datetime
    submission_id: str | None = None


@dataclass(frozen=True, slots=True)
class MonthlyRefinement:
    customer_number: str
    month: dt.date  # the first day of the month
    contracted_mwh: Decimal
    refined_mwh: Decimal | None  # None until a refinement is submitted
    state: NominationState
    gate_closure: dt.datetime
    submission_id: str | None = None


class ProblemKind(enum.Enum):
    """Why a submitted series (or one of its values) is refused."""

    MISSING_OFFSET = "MISSING_OFFSET"  # a start time without a UTC offset
    MISSING = "MISSING"  # an expected interval is not there
    DUPLICATE = "DUPLICATE"  # an interval given twice
    MISALIGNED = "MISALIGNED"  # a start off the quarter-hour (or hour) grid
    OUT_OF_RANGE = "OUT_OF_RANGE"  # a start outside the day, week or month submitted
    NEGATIVE = "NEGATIVE"
    NOT_A_NUMBER = "NOT_A_NUMBER"  # NaN or infinity, or unreadable text in CSV
    TOO_MANY_DECIMALS = "TOO_MANY_DECIMALS"
    OUT_OF_TOLERANCE = "OUT_OF_TOLERANCE"
    GATE_CLOSED = "GATE_CLOSED"
    MALFORMED_CSV = "MALFORMED_CSV"


@dataclass(frozen=True, slots=True)
class NominationProblem:
    """One positioned reason to refuse a submission, written for the client.

    ``index`` is the 0-based position in the submitted series, ``start`` the interval
    start there (or the expected one, for ``MISSING``), ``line`` the 1-based CSV line.
    """

    kind: ProblemKind
    message: str
    index: int | None = None
    start: dt.datetime | None = None
    line: int | None = None


@dataclass(frozen=True, slots=True)
class SubmissionReceipt:
    """What the nomination system answers to an accepted submission.

    Submitting the same values again is idempotent: the same receipt comes back.
    """

    submission_id: str
    kind: NominationKind
    received_at: dt.datetime


@dataclass(frozen=True, slots=True)
class ConsumerWeekStatus:
    """One large consumer the nomination system expects weekly values from."""

    customer_number: str
    customer_name: str
    eic: str  # its participant code (27X...)
    contract_number: str
    submitted: bool
    submission_id: str | None
    submitted_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class WeekStatus:
    """Who of the roster has submitted a week's values, and when the week's gate closes."""

    week_start: dt.date  # a Monday
    gate_closure: dt.datetime
    gate_open: bool  # as the nomination system judged it when it answered
    expected: int
    submitted: int
    consumers: tuple[ConsumerWeekStatus, ...]
