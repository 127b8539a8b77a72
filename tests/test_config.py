"""Settings: the nomination gate closures are read from the environment."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest
from pydantic import ValidationError

from gateway.app import create_app
from gateway.config import Settings
from gateway.nomination.validation import DEFAULT_GATE_CLOSURE, GateClosureRules


def test_the_default_gates_are_the_documented_ones() -> None:
    assert Settings().gate_closure == DEFAULT_GATE_CLOSURE
    documented = GateClosureRules.parse(weekly="4 12:00", daily="1 09:00", monthly="20 12:00")
    assert documented == DEFAULT_GATE_CLOSURE


def test_the_gates_are_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    # given
    monkeypatch.setenv("GATEWAY_NOMINATION_WEEKLY_GATE", "3 18:30")
    monkeypatch.setenv("GATEWAY_NOMINATION_DAILY_GATE", " 2 7:05 ")
    monkeypatch.setenv("GATEWAY_NOMINATION_MONTHLY_GATE", "15 00:00")

    # when
    rules = Settings().gate_closure

    # then
    assert rules == GateClosureRules(
        weekly_days_before=3,
        weekly_time=dt.time(18, 30),
        daily_days_before=2,
        daily_time=dt.time(7, 5),
        monthly_day_of_month_before=15,
        monthly_time=dt.time(0, 0),
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("nomination_weekly_gate", "Thursday 12:00"),
        ("nomination_weekly_gate", "4"),
        ("nomination_weekly_gate", "4 24:00"),
        ("nomination_daily_gate", "1 9:60"),
        ("nomination_daily_gate", "-1 09:00"),
        ("nomination_daily_gate", "29 09:00"),
        ("nomination_monthly_gate", "0 12:00"),
        ("nomination_monthly_gate", "31 12:00"),  # February has no 31st
    ],
)
def test_a_malformed_gate_stops_the_gateway_at_start(name: str, value: str) -> None:
    with pytest.raises(ValidationError, match=name):
        Settings(**{name: value})  # type: ignore[arg-type]


def test_outside_demo_mode_the_demo_secret_key_is_refused() -> None:
    with pytest.raises(ValueError, match="GATEWAY_SECRET_KEY"):
        create_app(Settings(demo=False))


@pytest.mark.parametrize(
    "settings",
    [Settings(demo=False, secret_key="a-real-secret-of-our-own"), Settings(demo=True)],
    ids=["own-key", "demo"],
)
async def test_with_a_key_of_its_own_or_in_demo_mode_the_gateway_serves(settings: Settings) -> None:
    app = create_app(settings)

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://gateway.test") as http:
        response = await http.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_trusted_proxies_are_none_by_default_and_read_as_a_comma_separated_list(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert Settings().trusted_proxies == []

    monkeypatch.setenv("GATEWAY_TRUSTED_PROXIES", "127.0.0.1, 10.0.0.0/8,::1")

    assert [str(network) for network in Settings().trusted_proxies] == [
        "127.0.0.1/32",
        "10.0.0.0/8",
        "::1/128",
    ]


def test_a_trusted_proxy_that_is_no_address_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GATEWAY_TRUSTED_PROXIES", "proxy.example.cz")

    with pytest.raises(ValidationError):
        Settings()
