"""The per-client request budget over HTTP: charged per operation, RATE_LIMITED with
``retryAfter`` when spent, readable without spending it on a document."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from gateway.app import create_app
from gateway.config import Settings
from tests.e2e.client import GraphQLClient, error_codes
from tests.e2e.conftest import SettableClock

NOW = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)
VIEWER = "{ viewer { login } }"  # 1 + 2 points
INFO = "{ rateLimitInfo { limit remaining resetInSeconds } }"  # 1 + 4 points
PAGE = "{ viewer { customers { invoices(first: 10) { edges { node { number } } } } } }"


@pytest.fixture
async def budgeted(settings: Settings, clock: SettableClock) -> AsyncIterator[GraphQLClient]:
    """A user's budget of 20 points regaining 1 a second (an address's: 100, 5 a second), at a
    fixed time: only the test moves it."""
    clock.set(NOW)
    app = create_app(
        settings.model_copy(update={"rate_limit_points": 20, "rate_limit_refill": 1.0}), clock=clock
    )
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://gateway.test") as client,
    ):
        yield GraphQLClient(client)


async def test_a_spent_budget_answers_rate_limited_with_when_to_retry(
    budgeted: GraphQLClient, clock: SettableClock
) -> None:
    # given: 6 x 3 points of 20 spent
    await budgeted.login("novak")
    for _ in range(6):
        assert error_codes(await budgeted.execute(VIEWER)) == []

    # when
    refused = await budgeted.execute(VIEWER)
    clock.set(NOW + dt.timedelta(seconds=1))
    later = await budgeted.execute(VIEWER)

    # then
    assert error_codes(refused) == ["RATE_LIMITED"]
    assert refused["errors"][0]["extensions"]["retryAfter"] == 1.0  # 1 point missing, 1 a second
    assert refused["errors"][0]["extensions"]["retryable"] is True
    assert refused.get("data") is None
    assert later["data"] == {"viewer": {"login": "novak"}}


async def test_a_client_reads_what_is_left_of_its_budget(budgeted: GraphQLClient) -> None:
    # given
    await budgeted.login("novak")
    await budgeted.execute(VIEWER)

    # when
    info = await budgeted.execute(INFO)

    # then: 20 - 3 - 5 left, back to full in 8 s
    assert info["data"]["rateLimitInfo"] == {"limit": 20, "remaining": 12, "resetInSeconds": 8.0}


async def test_the_cost_of_a_document_is_read_without_running_it(
    budgeted: GraphQLClient, simulators: dict[str, str]
) -> None:
    # given
    for base in simulators.values():
        httpx.delete(f"{base}/__sim/stats")

    # when
    cost = await budgeted.execute("query($q: String!) { queryCost(query: $q) }", {"q": PAGE})
    unparsable = await budgeted.execute('{ queryCost(query: "{ viewer { ") }')

    # then: viewer, customers, invoices; edges, node, number under a page of 10; the request
    assert cost["data"] == {"queryCost": 1 + 3 + 10 * 3}
    assert error_codes(unparsable) == ["BAD_USER_INPUT"]
    assert all(not calls(base) for base in simulators.values())


def calls(base: str) -> int:
    stats: dict[str, Any] = httpx.get(f"{base}/__sim/stats").json()
    return sum(value for value in stats.values() if isinstance(value, int))


async def test_concurrent_requests_never_spend_more_than_the_budget(budgeted: GraphQLClient) -> None:
    # given: anonymous, the address's 100 points; each request 1 + 1
    typename = "{ __typename }"

    # when
    answers = await asyncio.gather(*(budgeted.execute(typename) for _ in range(80)))

    # then
    assert sum(error_codes(answer) == [] for answer in answers) == 50
    assert sum(error_codes(answer) == ["RATE_LIMITED"] for answer in answers) == 30


async def test_staff_are_budgeted_per_key(budgeted: GraphQLClient) -> None:
    budgeted.headers["X-API-Key"] = "demo-staff-key"

    answers = [await budgeted.execute(VIEWER) for _ in range(7)]

    assert [error_codes(answer) for answer in answers[:6]] == [[]] * 6
    assert error_codes(answers[6]) == ["RATE_LIMITED"]


async def test_the_default_budget_is_reported_on_an_ordinary_app(gql: GraphQLClient) -> None:
    info = await gql.execute(INFO)

    assert info["data"]["rateLimitInfo"]["limit"] == 50_000 * 5  # anonymous: the address's budget
