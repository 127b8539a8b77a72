"""``GET /metrics`` and the resilience policy seen from outside: the breaker opens on a
back end that keeps failing, refuses without calling it, and closes after a good probe."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from prometheus_client import generate_latest
from prometheus_client.parser import text_string_to_metric_families
from pydantic import SecretStr
from starlette.applications import Starlette

from gateway.adapters.connect import open_backends
from gateway.app import create_app
from gateway.config import Settings
from gateway.http.persisted_queries import document_hash
from gateway.metrics import MAX_OPERATION_NAMES, Metrics
from tests.e2e.client import GraphQLClient, error_codes, set_faults
from tests.e2e.simulators import own_simulators

OVERVIEW = """
query Overview($number: String!) {
  customer(number: $number) { name invoices(first: 3) { totalCount } }
}
"""
NOVAK = "1000012345"


def samples(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def breaker_state(metrics: Metrics, backend: str) -> float:
    found = samples(generate_latest(metrics.registry).decode())
    return found[("gateway_breaker_state", frozenset({("backend", backend)}))]


def billing_calls(simulators: dict[str, str]) -> int:
    calls: dict[str, int] = httpx.get(f"{simulators['billing']}/__sim/stats").json()["calls"]
    return calls.get("GetInvoiceList", 0)


async def test_metrics_count_requests_back_end_calls_cache_and_breaker(
    client: httpx.AsyncClient, gql: GraphQLClient
) -> None:
    # given: the same overview twice (a miss, then a whole answer kept), and another document
    # reading the same data (an answer not kept: its data from the back-end cache)
    await gql.login("novak")
    await gql.execute(OVERVIEW, {"number": NOVAK})
    await gql.execute(OVERVIEW, {"number": NOVAK})
    await gql.execute(OVERVIEW.replace("{ name", "{ number name"), {"number": NOVAK})

    # when
    response = await client.get("/metrics")

    # then
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    found = samples(response.text)
    assert found[("gateway_requests_total", frozenset({("operation", "Overview"), ("outcome", "ok")}))] == 3
    assert found[("gateway_response_cache_lookups_total", frozenset({("result", "miss")}))] == 2
    assert found[("gateway_response_cache_lookups_total", frozenset({("result", "hit")}))] == 1
    assert ("gateway_request_duration_seconds_count", frozenset({("operation", "Overview")})) in found
    calls = frozenset({("backend", "billing"), ("operation", "invoice_pages"), ("outcome", "ok")})
    assert found[("gateway_backend_calls_total", calls)] == 1
    lookups = {("backend", "billing"), ("operation", "invoice_pages")}
    assert found[("gateway_cache_lookups_total", frozenset({*lookups, ("result", "miss")}))] == 1
    assert found[("gateway_cache_lookups_total", frozenset({*lookups, ("result", "hit")}))] == 1
    assert found[("gateway_breaker_state", frozenset({("backend", "billing")}))] == 0


class MonotonicClock:
    """Monotonic seconds for the breakers, standing still until the test moves them."""

    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


async def test_the_breaker_opens_on_repeated_failure_and_closes_after_a_probe(
    settings: Settings, simulators: dict[str, str]
) -> None:
    # given: a breaker that opens after two failures and probes after 10 s of its own clock
    tuned = settings.model_copy(
        update={"retry_attempts": 1, "breaker_failure_threshold": 2, "breaker_reset_seconds": 10.0}
    )
    breakers, clock = Metrics(), MonotonicClock()
    async with open_backends(tuned, metrics=breakers, clock=clock) as backends:
        app = create_app(tuned, backends=backends)
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://gateway.test") as http,
        ):
            gql = GraphQLClient(http)
            await gql.login("novak")
            httpx.delete(f"{simulators['billing']}/__sim/stats")
            set_faults(simulators["billing"], mode="down")

            # given: two failed requests open the breaker
            for _ in range(2):
                failed = await gql.execute(OVERVIEW, {"number": NOVAK})
                assert error_codes(failed) == ["BACKEND_UNAVAILABLE"]
            assert billing_calls(simulators) == 2

            # when: open, billing is not called, and the client is told to retry; the CRM part answers
            clock.now += 9.9
            refused = await gql.execute(OVERVIEW, {"number": NOVAK})
            assert billing_calls(simulators) == 2
            assert refused["data"]["customer"]["name"]
            assert refused["errors"][0]["extensions"] == {
                "code": "BACKEND_UNAVAILABLE",
                "retryable": True,
                "backend": "billing",
            }
            assert breaker_state(breakers, "billing") == 2

            # then: billing recovers; once the reset time has passed one probe closes the breaker
            httpx.delete(f"{simulators['billing']}/__sim/faults")
            clock.now += 0.1
            recovered = await gql.execute(OVERVIEW, {"number": NOVAK})
            assert "errors" not in recovered
            assert billing_calls(simulators) == 3
            assert breaker_state(breakers, "billing") == 0
            state = samples((await http.get("/metrics")).text)
        partial = frozenset({("operation", "Overview"), ("outcome", "partial")})
        assert state[("gateway_requests_total", partial)] == 3


def request_labels(text: str) -> set[str]:
    return {dict(labels)["operation"] for name, labels in samples(text) if name == "gateway_requests_total"}


async def test_invalid_documents_never_claim_an_operation_label(
    client: httpx.AsyncClient, gql: GraphQLClient
) -> None:
    # given: more made-up names than there are labels, in documents that do not validate
    for n in range(MAX_OPERATION_NAMES + 10):
        assert error_codes(await gql.execute(f"query Junk{n} {{ nope }}")) == ["GRAPHQL_VALIDATION_FAILED"]
    await gql.execute("query Typo { viewer { login }")  # does not even parse

    # when
    await gql.execute("query Real { viewer { login } }")

    # then
    labels = request_labels((await client.get("/metrics")).text)
    assert labels == {"other", "Real"}


# The request it files for novak stays out of other modules.
simulators = own_simulators()


@pytest.fixture
async def manifest_app(settings: Settings, tmp_path: Path) -> AsyncIterator[Starlette]:
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({document_hash(OVERVIEW): OVERVIEW}))
    app = create_app(settings.model_copy(update={"persisted_manifest": manifest}))
    async with app.router.lifespan_context(app):
        yield app


async def test_a_persisted_operation_keeps_its_label_whatever_else_clients_send(
    manifest_app: Starlette,
) -> None:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(manifest_app), base_url="http://gateway.test"
    ) as http:
        gql = GraphQLClient(http)
        await gql.login("novak")
        # given: every free label taken by valid documents with made-up names
        for n in range(MAX_OPERATION_NAMES + 10):
            assert "errors" not in await gql.execute(f"query Junk{n} {{ viewer {{ login }} }}")

        # when
        await gql.execute(OVERVIEW, {"number": NOVAK})

        # then
        found = samples((await http.get("/metrics")).text)
        assert (
            found[("gateway_requests_total", frozenset({("operation", "Overview"), ("outcome", "ok")}))] == 1
        )
        assert "Junk205" not in request_labels((await http.get("/metrics")).text)


async def test_metrics_need_the_bearer_token_when_one_is_set(settings: Settings) -> None:
    app = create_app(settings.model_copy(update={"metrics_token": SecretStr("scrape-me-7f3a")}))
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://gateway.test") as http,
    ):
        anonymous = await http.get("/metrics")
        wrong = await http.get("/metrics", headers={"Authorization": "Bearer scrape-me-7f3b"})
        right = await http.get("/metrics", headers={"Authorization": "Bearer scrape-me-7f3a"})

    for refused in (anonymous, wrong):
        assert refused.status_code == 401
        assert refused.headers["www-authenticate"] == "Bearer"
        assert refused.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert right.status_code == 200
    assert "gateway_requests_total" in right.text


SUBMIT = """
mutation Submit($input: SubmitRequestInput!) {
  submitRequest(input: $input) { replayed request { id } }
}
"""
WRONG_LOGIN = 'mutation Login { login(input: {login: "novak", password: "wrong-password"}) { token } }'


async def test_what_an_on_call_needs_is_counted_from_real_requests(
    settings: Settings, simulators: dict[str, str]
) -> None:
    # given: a gateway whose billing breaker opens after two failures
    app = create_app(settings.model_copy(update={"breaker_failure_threshold": 2}))
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://gateway.test") as http,
    ):
        gql = GraphQLClient(http)
        await gql.login("novak")

        # when: the overview twice (a miss, then a hit of the back-end cache: another document, so
        # the response cache does not answer it whole), then again a minute later with billing down
        await gql.execute(OVERVIEW, {"number": NOVAK})
        await gql.execute("# the same reads, another document\n" + OVERVIEW, {"number": NOVAK})
        cache = app.state.cache
        cached_at = cache.clock()
        cache.clock = lambda: cached_at + 60
        set_faults(simulators["billing"], mode="down")
        stale = await gql.execute(OVERVIEW, {"number": NOVAK})
        # and: one request filed twice under one key, and wrong passwords until throttled
        submission = {
            "customerNumber": NOVAK,
            "idempotencyKey": f"metrics-{uuid.uuid4()}",
            "request": {"freeText": {"subject": "Dotaz", "text": "metrics"}},
        }
        first = await gql.execute(SUBMIT, {"input": submission})
        again = await gql.execute(SUBMIT, {"input": submission})
        anonymous = GraphQLClient(http)
        throttled = [error_codes(await anonymous.execute(WRONG_LOGIN)) for _ in range(8)]
        found = samples((await http.get("/metrics")).text)

    # then
    assert stale["extensions"]["stale"][0]["backend"] == "billing"
    assert first["data"]["submitRequest"]["replayed"] is False
    assert again["data"]["submitRequest"]["replayed"] is True
    assert ["RATE_LIMITED"] in throttled

    def value(name: str, **labels: str) -> float:
        return found.get((name, frozenset(labels.items())), 0.0)

    # cache hit ratio per kind: invoices (billing) and the customer (master data)
    assert value("gateway_cache_hits_total", kind="billing") == 1
    assert value("gateway_cache_misses_total", kind="billing") == 2  # the first and the stale one
    assert value("gateway_cache_hits_total", kind="master") == 2
    assert value("gateway_cache_misses_total", kind="master") == 1
    # back-end latency per operation, and the breaker's changes
    seconds = {"backend": "billing", "operation": "invoice_pages"}
    assert value("gateway_backend_call_duration_seconds_count", **seconds) == 3  # 1 ok, 2 failed
    assert value("gateway_backend_call_duration_seconds_bucket", **seconds, le="+Inf") == 3
    assert value("gateway_breaker_transitions_total", backend="billing", to="open") == 1
    assert value("gateway_breaker_state", backend="billing") == 2
    # stale answers, idempotent replays, rate-limited requests
    assert value("gateway_stale_answers_total", backend="billing") == 1
    assert value("gateway_idempotent_replays_total", operation="submitRequest") == 1
    assert value("gateway_rate_limited_total", limiter="login") == throttled.count(["RATE_LIMITED"])


async def test_requests_refused_by_the_request_budget_are_counted_as_its(settings: Settings) -> None:
    # given: a budget of 20 points that barely refills
    app = create_app(settings.model_copy(update={"rate_limit_points": 20, "rate_limit_refill": 0.001}))
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://gateway.test") as http,
    ):
        gql = GraphQLClient(http)
        await gql.login("novak")

        # when
        answers = [error_codes(await gql.execute("query Me { viewer { login } }")) for _ in range(25)]
        found = samples((await http.get("/metrics")).text)

    # then
    refused = answers.count(["RATE_LIMITED"])
    assert refused > 0
    assert found[("gateway_rate_limited_total", frozenset({("limiter", "budget")}))] == refused
    assert ("gateway_rate_limited_total", frozenset({("limiter", "login")})) not in found
