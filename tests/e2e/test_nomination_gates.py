"""The gateway refuses late nominations by the gate closures configured in its settings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import httpx
import pytest

from gateway.config import Settings
from tests.e2e.client import GraphQLClient
from tests.e2e.conftest import SettableClock
from tests.e2e.test_nomination import SUBMIT_DAY, contracted_day, day_input, sim_calls

DAY = "2026-06-11"
TWO_DAYS_BEFORE_AT_NINE = dt.datetime.fromisoformat("2026-06-09T09:00:00+02:00")  # open by default


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The e2e settings with the daily refinement closing two days before, not one."""
    return Settings(**{**settings.model_dump(), "nomination_daily_gate": "2 09:00"})


@pytest.fixture
def simulator_clock(clock: SettableClock, simulators: dict[str, str]) -> Iterator[None]:
    clock.set(TWO_DAYS_BEFORE_AT_NINE)
    httpx.post(
        f"{simulators['nomination']}/__sim/clock", json={"now": TWO_DAYS_BEFORE_AT_NINE.isoformat()}
    ).raise_for_status()
    yield
    httpx.delete(f"{simulators['nomination']}/__sim/clock")


@pytest.mark.usefixtures("simulator_clock")
async def test_a_configured_daily_gate_closes_earlier_than_the_default(
    gql: GraphQLClient, simulators: dict[str, str]
) -> None:
    # given: the back end itself would still take the refinement (its gate: 09:00 the day before)
    await gql.login("teplarna")
    refined = await contracted_day(gql, DAY)
    httpx.delete(f"{simulators['nomination']}/__sim/stats")

    # when
    result = await gql.execute(SUBMIT_DAY, day_input(DAY, refined, "configured-gate"))

    # then
    payload = result["data"]["submitDailyRefinement"]
    assert payload["submission"] is None
    [error] = payload["errors"]
    assert error["code"] == "GATE_CLOSED"
    assert "2026-06-09T09:00+02:00" in error["message"]
    assert "SubmitDay" not in sim_calls(simulators)
