"""The simulators as the adapter tests run them: each on its own port for a module, and each
test starting from zeroed counts and leaving no fault behind."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import httpx

from fixtures.billing.app import create_app as create_billing
from fixtures.server import serve_in_thread


def fresh(*urls: str) -> Iterator[None]:
    """One test against the simulators at ``urls``: their counts zeroed before, faults cleared after."""
    for url in urls:
        httpx.delete(f"{url}/__sim/stats")
    yield
    for url in urls:
        httpx.delete(f"{url}/__sim/faults")


def billing_on(today: dt.date, *, username: str, password: str) -> Iterator[str]:
    """The billing simulator's URL, its clock set to ``today``."""
    with serve_in_thread(create_billing(username=username, password=password)) as url:
        httpx.post(f"{url}/__sim/clock", json={"today": today.isoformat()}).raise_for_status()
        yield url
