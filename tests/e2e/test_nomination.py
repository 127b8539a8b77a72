"""Nomination end to end: teplarna reads and submits its diagram through the gateway.

The gateway's clock (``Services.clock``) and the simulator's clock (``/__sim/clock``) are
both fixed, so every gate closure is decided the same way on both sides.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from fixtures import personas
from gateway.domain.access import Scope
from gateway.store.access import grant_delegate
from gateway.store.accounts import find_user_by_login
from gateway.store.db import transaction
from tests.e2e.client import GraphQLClient, error_codes
from tests.e2e.conftest import SettableClock

BEFORE_GATES = dt.datetime(2026, 2, 1, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))

READ = """
query Read($number: String!, $week: Date!, $day: Date!, $month: String!) {
  customer(number: $number) {
    segment
    nomination {
      contractNumber resolution tolerancePercent validFrom validTo
      monthlyVolumes { month contractedMwh }
      week(start: $week) { weekStart state gateClosure contractedMwh contracted { start valueMw energyMwh } }
      day(date: $day) { date intervalCount state gateClosure contracted { start valueMw } }
      month(month: $month) { month contractedMwh refinedMwh state gateClosure }
    }
  }
}
"""

NOMINATION_ONLY = """
query Nomination($number: String!) { customer(number: $number) { segment nomination { contractNumber } } }
"""

WEEK = """
query Week($number: String!, $week: Date!) {
  customer(number: $number) { nomination { tolerancePercent week(start: $week) {
    state submissionId contracted { start valueMw } submitted { start valueMw }
  } } }
}
"""

DAY = """
query Day($number: String!, $day: Date!) {
  customer(number: $number) { nomination { day(date: $day) {
    state submissionId intervalCount contracted { start valueMw } refined { start valueMw }
  } } }
}
"""

MONTH = """
query Month($number: String!, $month: String!) {
  customer(number: $number) {
    nomination { month(month: $month) { state contractedMwh refinedMwh submissionId } }
  }
}
"""

PAYLOAD = """
  submission { submissionId kind periodStart receivedAt intervalCount energyMwh }
  errors { code message position start line field }
"""

SUBMIT_WEEK = f"""
mutation SubmitWeek($input: SubmitWeeklyNominationInput!) {{
  submitWeeklyNomination(input: $input) {{ {PAYLOAD} }}
}}
"""

SUBMIT_DAY = f"""
mutation SubmitDay($input: SubmitDailyRefinementInput!) {{
  submitDailyRefinement(input: $input) {{ {PAYLOAD} }}
}}
"""

SUBMIT_MONTH = f"""
mutation SubmitMonth($input: SubmitMonthlyRefinementInput!) {{
  submitMonthlyRefinement(input: $input) {{ {PAYLOAD} }}
}}
"""


@dataclasses.dataclass
class Clocks:
    """The gateway's and the simulator's "now", moved together."""

    gateway: SettableClock
    simulator: str

    @property
    def now(self) -> dt.datetime:
        return self.gateway()

    def set(self, now: dt.datetime) -> None:
        self.gateway.set(now)
        httpx.post(f"{self.simulator}/__sim/clock", json={"now": now.isoformat()}).raise_for_status()


@pytest.fixture
def clocks(clock: SettableClock, simulators: dict[str, str]) -> Iterator[Clocks]:
    clocks = Clocks(clock, simulators["nomination"])
    clocks.set(BEFORE_GATES)
    yield clocks
    httpx.delete(f"{simulators['nomination']}/__sim/clock")


@pytest.fixture
async def teplarna(gql: GraphQLClient, clocks: Clocks) -> GraphQLClient:
    await gql.login("teplarna")
    return gql


def sim_calls(simulators: dict[str, str]) -> dict[str, int]:
    calls: dict[str, int] = httpx.get(f"{simulators['nomination']}/__sim/stats").json()["calls"]
    return calls


def scaled(intervals: list[dict[str, str]], factor: str) -> list[dict[str, str]]:
    return [
        {
            "start": i["start"],
            "valueMw": str((Decimal(i["valueMw"]) * Decimal(factor)).quantize(Decimal("0.001"))),
        }
        for i in intervals
    ]


async def contracted_week(client: GraphQLClient, week: str) -> list[dict[str, str]]:
    result = await client.execute(WEEK, {"number": personas.TEPLARNA, "week": week})
    intervals: list[dict[str, str]] = result["data"]["customer"]["nomination"]["week"]["contracted"]
    return intervals


async def contracted_day(client: GraphQLClient, day: str) -> list[dict[str, str]]:
    result = await client.execute(DAY, {"number": personas.TEPLARNA, "day": day})
    intervals: list[dict[str, str]] = result["data"]["customer"]["nomination"]["day"]["contracted"]
    return intervals


def week_input(week: str, intervals: list[dict[str, str]], key: str) -> dict[str, Any]:
    return {
        "input": {
            "customerNumber": personas.TEPLARNA,
            "weekStart": week,
            "intervals": intervals,
            "idempotencyKey": key,
        }
    }


def day_input(day: str, intervals: list[dict[str, str]], key: str) -> dict[str, Any]:
    return {
        "input": {
            "customerNumber": personas.TEPLARNA,
            "date": day,
            "intervals": intervals,
            "idempotencyKey": key,
        }
    }


def month_input(month: str, mwh: str, key: str, number: str = personas.TEPLARNA) -> dict[str, Any]:
    return {"input": {"customerNumber": number, "month": month, "refinedMwh": mwh, "idempotencyKey": key}}


async def test_teplarna_reads_its_contract_a_spring_week_and_an_autumn_day(teplarna: GraphQLClient) -> None:
    # when
    result = await teplarna.execute(
        READ, {"number": personas.TEPLARNA, "week": "2026-03-23", "day": "2026-10-25", "month": "2026-10"}
    )

    # then
    assert "errors" not in result, result
    customer = result["data"]["customer"]
    assert customer["segment"] == "LARGE"
    nomination = customer["nomination"]
    assert nomination["resolution"] == "QUARTER_HOUR"
    assert Decimal(nomination["tolerancePercent"]) in {Decimal(5), Decimal(10), Decimal(15)}
    assert len(nomination["monthlyVolumes"]) == 36
    week = nomination["week"]
    assert len(week["contracted"]) == 668  # 167 hours: the spring change
    assert week["gateClosure"] == "2026-03-19T12:00:00+01:00"
    first = week["contracted"][0]
    assert Decimal(first["energyMwh"]) == Decimal(first["valueMw"]) * Decimal("0.25")
    day = nomination["day"]
    assert day["intervalCount"] == 100
    assert day["gateClosure"] == "2026-10-24T09:00:00+02:00"
    assert day["contracted"][8]["start"] == "2026-10-25T02:00:00+02:00"
    assert day["contracted"][12]["start"] == "2026-10-25T02:00:00+01:00"
    month = nomination["month"]
    assert month["gateClosure"] == "2026-09-20T12:00:00+02:00"
    assert Decimal(month["contractedMwh"]) == Decimal(
        next(v["contractedMwh"] for v in nomination["monthlyVolumes"] if v["month"] == "2026-10")
    )


async def test_a_household_customer_has_no_nomination(gql: GraphQLClient, clocks: Clocks) -> None:
    # given
    await gql.login("novak")

    # when
    read = await gql.execute(NOMINATION_ONLY, {"number": personas.NOVAK})
    submitted = await gql.execute(SUBMIT_MONTH, month_input("2026-06", "100", "novak-1", personas.NOVAK))

    # then
    assert read["data"]["customer"] == {"segment": "HOUSEHOLD", "nomination": None}
    assert error_codes(submitted) == ["NOT_FOUND"]


@pytest.mark.parametrize(
    ("week", "day", "month", "week_count", "day_count"),
    [
        ("2026-06-08", "2026-06-10", "2026-06", 672, 96),
        ("2026-03-23", "2026-03-29", "2026-03", 668, 92),
        ("2026-10-19", "2026-10-25", "2026-10", 676, 100),
    ],
    ids=["ordinary", "spring-dst", "autumn-dst"],
)
async def test_the_three_submissions_are_accepted_and_read_back(
    teplarna: GraphQLClient, *, week: str, day: str, month: str, week_count: int, day_count: int
) -> None:
    # given
    weekly = scaled(await contracted_week(teplarna, week), "1.02")
    refined = scaled(await contracted_day(teplarna, day), "0.98")
    read_month = await teplarna.execute(MONTH, {"number": personas.TEPLARNA, "month": month})
    contracted_mwh = Decimal(read_month["data"]["customer"]["nomination"]["month"]["contractedMwh"])

    # when
    by_week = await teplarna.execute(SUBMIT_WEEK, week_input(week, weekly, f"w-{week}"))
    by_day = await teplarna.execute(SUBMIT_DAY, day_input(day, refined, f"d-{day}"))
    by_month = await teplarna.execute(
        SUBMIT_MONTH,
        month_input(month, str((contracted_mwh * Decimal("1.01")).quantize(Decimal(1))), f"m-{month}"),
    )

    # then
    for result, kind, count in (
        (by_week["data"]["submitWeeklyNomination"], "WEEKLY", week_count),
        (by_day["data"]["submitDailyRefinement"], "DAILY", day_count),
        (by_month["data"]["submitMonthlyRefinement"], "MONTHLY", None),
    ):
        assert result["errors"] == []
        assert result["submission"]["kind"] == kind
        assert result["submission"]["intervalCount"] == count
        assert result["submission"]["submissionId"].startswith("NOM")
    week_after = await teplarna.execute(WEEK, {"number": personas.TEPLARNA, "week": week})
    day_after = await teplarna.execute(DAY, {"number": personas.TEPLARNA, "day": day})
    month_after = await teplarna.execute(MONTH, {"number": personas.TEPLARNA, "month": month})
    read_week = week_after["data"]["customer"]["nomination"]["week"]
    assert read_week["state"] == "SUBMITTED"
    assert read_week["submitted"] == weekly
    assert (
        read_week["submissionId"] == by_week["data"]["submitWeeklyNomination"]["submission"]["submissionId"]
    )
    read_day = day_after["data"]["customer"]["nomination"]["day"]
    assert read_day["intervalCount"] == day_count
    assert read_day["refined"] == refined
    read_month_after = month_after["data"]["customer"]["nomination"]["month"]
    assert read_month_after["state"] == "SUBMITTED"
    assert read_month_after["refinedMwh"] is not None


async def test_a_late_daily_refinement_is_refused_before_the_back_end_is_called(
    teplarna: GraphQLClient, clocks: Clocks, simulators: dict[str, str]
) -> None:
    # given the gate of 2026-06-11 closed at 09:00 the day before
    refined = await contracted_day(teplarna, "2026-06-11")
    clocks.set(dt.datetime.fromisoformat("2026-06-10T09:00:00+02:00"))
    await teplarna.login("teplarna")  # sessions expire on the same clock
    httpx.delete(f"{simulators['nomination']}/__sim/stats")

    # when
    result = await teplarna.execute(SUBMIT_DAY, day_input("2026-06-11", refined, "late-1"))

    # then
    payload = result["data"]["submitDailyRefinement"]
    assert payload["submission"] is None
    [error] = payload["errors"]
    assert error["code"] == "GATE_CLOSED"
    assert error["field"] == ["input", "date"]
    assert "2026-06-10T09:00+02:00" in error["message"]
    assert "SubmitDay" not in sim_calls(simulators)


async def test_a_late_weekly_submission_is_refused(teplarna: GraphQLClient, clocks: Clocks) -> None:
    weekly = await contracted_week(teplarna, "2026-03-23")
    clocks.set(dt.datetime.fromisoformat("2026-03-19T12:00:00+01:00"))
    await teplarna.login("teplarna")

    result = await teplarna.execute(SUBMIT_WEEK, week_input("2026-03-23", weekly, "late-week"))

    assert [e["code"] for e in result["data"]["submitWeeklyNomination"]["errors"]] == ["GATE_CLOSED"]


async def test_an_out_of_tolerance_value_on_the_repeated_hour_is_positioned(
    teplarna: GraphQLClient, simulators: dict[str, str]
) -> None:
    # given the week of the autumn change, with 02:15 winter time on Sunday far off
    weekly = await contracted_week(teplarna, "2026-10-19")
    position = 6 * 96 + 13
    assert weekly[position]["start"] == "2026-10-25T02:15:00+01:00"
    weekly[position] = {
        "start": weekly[position]["start"],
        "valueMw": str(Decimal(weekly[position]["valueMw"]) * 2),
    }
    httpx.delete(f"{simulators['nomination']}/__sim/stats")

    # when
    result = await teplarna.execute(SUBMIT_WEEK, week_input("2026-10-19", weekly, "tolerance-1"))

    # then
    [error] = result["data"]["submitWeeklyNomination"]["errors"]
    assert error["code"] == "OUT_OF_TOLERANCE"
    assert error["position"] == position
    assert error["start"] == "2026-10-25T02:15:00+01:00"
    assert error["field"] == ["input", "intervals", str(position), "valueMw"]
    assert "SubmitWeek" not in sim_calls(simulators)


async def test_an_out_of_tolerance_monthly_value_is_refused(teplarna: GraphQLClient) -> None:
    result = await teplarna.execute(SUBMIT_MONTH, month_input("2026-07", "1", "month-far-off"))

    [error] = result["data"]["submitMonthlyRefinement"]["errors"]
    assert error["code"] == "OUT_OF_TOLERANCE"
    assert error["field"] == ["input", "refinedMwh"]


async def test_a_spring_day_sent_as_96_wall_clock_quarter_hours_is_refused_at_the_first_duplicate(
    teplarna: GraphQLClient,
) -> None:
    # given a naive client: every wall-clock quarter-hour, +01:00 before 03:00 and +02:00 after
    naive = []
    for minutes in range(0, 24 * 60, 15):
        hour, minute = divmod(minutes, 60)
        offset = "+01:00" if hour < 3 else "+02:00"
        naive.append({"start": f"2026-03-29T{hour:02d}:{minute:02d}:00{offset}", "valueMw": "10"})

    # when
    result = await teplarna.execute(SUBMIT_DAY, day_input("2026-03-29", naive, "naive-spring"))

    # then: 02:00+01:00 is 03:00+02:00, so 03:00+02:00 comes twice
    [error] = result["data"]["submitDailyRefinement"]["errors"]
    assert error["code"] == "DUPLICATE"
    assert error["position"] == 12
    assert error["field"] == ["input", "intervals", "12", "start"]


async def test_a_week_as_csv_is_accepted_and_a_bad_line_is_named(teplarna: GraphQLClient) -> None:
    # given
    weekly = await contracted_week(teplarna, "2026-06-15")
    lines = ["start;value_mw", *(f'{i["start"]};"{i["valueMw"].replace(".", ",")}"' for i in weekly)]
    broken = [*lines[:11], "2026-06-15T02:30:00+02:00;abc", *lines[12:]]

    # when
    accepted = await teplarna.execute(SUBMIT_WEEK, _csv_input("2026-06-15", "\n".join(lines), "csv-1"))
    refused = await teplarna.execute(SUBMIT_WEEK, _csv_input("2026-06-15", "\n".join(broken), "csv-2"))

    # then
    payload = accepted["data"]["submitWeeklyNomination"]
    assert payload["errors"] == []
    assert payload["submission"]["intervalCount"] == 672
    [error] = refused["data"]["submitWeeklyNomination"]["errors"]
    assert error["code"] == "MALFORMED_CSV"
    assert error["line"] == 12
    assert error["field"] == ["input", "csv"]


def _csv_input(week: str, csv: str, key: str) -> dict[str, Any]:
    return {
        "input": {"customerNumber": personas.TEPLARNA, "weekStart": week, "csv": csv, "idempotencyKey": key}
    }


async def test_a_delegate_without_manage_nomination_is_forbidden(
    app: Starlette, gql: GraphQLClient, clocks: Clocks
) -> None:
    # given poradce may see teplarna's invoices only
    async with transaction(app.state.services.store) as session:
        owner = await find_user_by_login(session, login="teplarna")
        assert owner is not None
        await grant_delegate(
            session,
            owner_user_id=owner.id,
            delegate_login="poradce",
            customer_number=personas.TEPLARNA,
            scopes=[Scope.VIEW_BILLING],
            expires_at=None,
            consent_text="Teplárna souhlasí.",
            now=dt.datetime.now(dt.UTC),
        )
    await gql.login("poradce")

    # when
    read = await gql.execute(NOMINATION_ONLY, {"number": personas.TEPLARNA})
    submitted = await gql.execute(SUBMIT_MONTH, month_input("2026-08", "100", "poradce-1"))

    # then: reading and submitting both need the scope
    assert error_codes(read) == ["FORBIDDEN"]
    assert read["data"]["customer"]["nomination"] is None
    assert error_codes(submitted) == ["FORBIDDEN"]
    assert submitted["data"]["submitMonthlyRefinement"] is None


async def test_a_stranger_gets_not_found(gql: GraphQLClient, clocks: Clocks) -> None:
    await gql.login("novak")

    submitted = await gql.execute(SUBMIT_MONTH, month_input("2026-08", "100", "novak-2"))

    assert error_codes(submitted) == ["NOT_FOUND"]


async def test_a_submission_is_idempotent_per_key(
    teplarna: GraphQLClient, simulators: dict[str, str], client: httpx.AsyncClient
) -> None:
    # given
    read = await teplarna.execute(MONTH, {"number": personas.TEPLARNA, "month": "2026-05"})
    mwh = str(Decimal(read["data"]["customer"]["nomination"]["month"]["contractedMwh"]).quantize(Decimal(1)))
    httpx.delete(f"{simulators['nomination']}/__sim/stats")

    # when
    first = await teplarna.execute(SUBMIT_MONTH, month_input("2026-05", mwh, "same-key"))
    again = await teplarna.execute(SUBMIT_MONTH, month_input("2026-05", mwh, "same-key"))
    other = await teplarna.execute(SUBMIT_MONTH, month_input("2026-05", str(Decimal(mwh) + 1), "same-key"))

    # then
    assert first["data"]["submitMonthlyRefinement"]["errors"] == []
    assert again["data"] == first["data"]
    assert sim_calls(simulators).get("SubmitMonth") == 1
    assert error_codes(other) == ["BAD_USER_INPUT"]
    replays = 'gateway_idempotent_replays_total{operation="submitMonthlyRefinement"} 1.0'
    assert replays in (await client.get("/metrics")).text


COVERAGE = """
query Coverage($number: String!) {
  customer(number: $number) {
    supplyPoints { id commodity expectedAnnualConsumptionKwh }
    nomination { commodity supplyPointIds monthlyVolumes { month contractedMwh } }
  }
}
"""


async def test_the_contract_says_what_it_nominates_and_a_year_of_it_is_the_points_expected_use(
    gql: GraphQLClient,
) -> None:
    await gql.login("teplarna")

    result = await gql.execute(COVERAGE, {"number": personas.TEPLARNA})

    customer = result["data"]["customer"]
    nomination = customer["nomination"]
    gas = [p for p in customer["supplyPoints"] if p["commodity"] == "GAS"]
    assert nomination["commodity"] == "GAS"
    assert nomination["supplyPointIds"] == [p["id"] for p in gas]
    year = sum(
        Decimal(v["contractedMwh"]) for v in nomination["monthlyVolumes"] if v["month"].startswith("2026")
    )
    expected = Decimal(sum(p["expectedAnnualConsumptionKwh"] for p in gas)) / 1000
    assert abs(year - expected) / expected < Decimal("0.001")
