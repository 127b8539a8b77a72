"""The HTTP surface around /graphql: GraphiQL offline, health and readiness."""

from __future__ import annotations

import base64
import gc
import hashlib
import re

import httpx
import pytest

from gateway.app import create_app
from gateway.config import Settings
from gateway.http.graphql import GRAPHIQL_ASSETS
from tests.e2e.client import GraphQLClient, set_faults


async def test_graphiql_loads_its_assets_from_the_gateway_not_a_cdn(client: httpx.AsyncClient) -> None:
    # given (make test packs them with npm; CI forbids the skip)
    if not (GRAPHIQL_ASSETS / "graphiql.min.js").exists():
        pytest.skip("GraphiQL's assets are not installed: run `make graphiql-assets` (needs npm)")

    # when
    page = await client.get("/graphql", headers={"Accept": "text/html"})

    # then
    assert page.status_code == 200
    assert "unpkg.com" not in page.text
    assert "/static/graphiql/graphiql.min.js" in page.text
    asset = await client.get("/static/graphiql/graphiql.min.js")
    assert asset.status_code == 200
    assert len(asset.content) > 100_000


async def test_queries_work_over_get(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", params={"query": "{ viewer { login } }"})

    assert response.json() == {"data": {"viewer": None}}


async def test_mutations_are_refused_over_get(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", params={"query": "mutation { logout { ok } }"})

    assert response.status_code in (400, 405)


async def test_healthz(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz")

    assert response.json() == {"status": "ok"}


async def test_readyz_reports_each_back_end_with_its_breaker_and_stays_ready_while_one_is_down(
    client: httpx.AsyncClient, simulators: dict[str, str]
) -> None:
    # given all up
    ready = await client.get("/readyz")
    assert ready.status_code == 200
    body = ready.json()
    assert {name: check["status"] for name, check in body["checks"].items()} == {"store": "up"}
    assert {name: (b["status"], b["breaker"]) for name, b in body["backends"].items()} == {
        "billing": ("up", "closed"),
        "crm": ("up", "closed"),
        "nomination": ("up", "closed"),
    }
    assert body["degraded"] == []

    # when the CRM is down
    set_faults(simulators["crm"], mode="down")
    still = await client.get("/readyz")

    # then: reported, but this replica still serves (the rest of the portal works)
    assert still.status_code == 200
    body = still.json()
    assert body["status"] == "ready"
    assert body["backends"]["crm"]["status"] == "down"
    assert body["backends"]["billing"]["status"] == "up"
    assert body["degraded"] == ["crm"]


async def test_readiness_probes_never_touch_the_breakers(
    gql: GraphQLClient, simulators: dict[str, str]
) -> None:
    # given: the CRM down; probes more than the failures that open a breaker
    set_faults(simulators["crm"], mode="down")
    probes = [(await gql.http.get("/readyz")).json()["backends"]["crm"] for _ in range(8)]

    # then: every probe asked the CRM and none counted against it
    assert {(p["status"], p["breaker"]) for p in probes} == {("down", "closed")}

    # when: real reads open the breaker, then the CRM recovers
    await gql.login("novak")
    for _ in range(3):
        await gql.execute('{ customer(number: "1000012345") { name } }')
    opened = (await gql.http.get("/readyz")).json()["backends"]["crm"]
    set_faults(simulators["crm"], mode="ok")
    recovered = (await gql.http.get("/readyz")).json()["backends"]["crm"]

    # then: the open breaker did not stop the probe, and the probe did not close it (only a
    # real call does; the breaker's own watch may have made it half-open meanwhile)
    assert (opened["status"], opened["breaker"]) == ("down", "open")
    assert recovered["status"] == "up"
    assert recovered["breaker"] in {"open", "half_open"}


async def test_backend_calls_are_batched_across_customers(
    gql: GraphQLClient, simulators: dict[str, str]
) -> None:
    # given: a viewer with two customer numbers through aliases is not available here,
    # so one customer asked twice under two aliases must still cost one CRM call.
    await gql.login("pekarna")
    httpx.delete(f"{simulators['crm']}/__sim/stats")
    query = """{ a: customer(number: "2000034567") { name supplyPoints { code } }
                 b: customer(number: "2000034567") { segment supplyPoints { id } } }"""

    result = await gql.execute(query)

    assert "errors" not in result
    stats = httpx.get(f"{simulators['crm']}/__sim/stats").json()
    assert stats["total"] == 2, stats  # one customer lookup and one supply-point lookup


async def test_the_objects_built_at_startup_are_frozen_for_the_apps_lifetime_only(
    settings: Settings,
) -> None:
    app = create_app(settings)
    gc.unfreeze()  # whatever an earlier test left

    async with app.router.lifespan_context(app):
        assert gc.get_freeze_count() > 10_000  # the schema, the SOAP clients, the ORM mappers
        client = httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://gateway.test")
        async with client:
            assert (await client.get("/healthz")).status_code == 200

    assert gc.get_freeze_count() == 0


async def test_every_graphql_answer_is_no_store_and_nosniff(client: httpx.AsyncClient) -> None:
    answers = [
        await client.post("/graphql", json={"query": "{ viewer { login } }"}),  # 200
        await client.post("/graphql", json={"query": "{ viewer { nope } }"}),  # 200 with errors
        await client.post("/graphql", content=b"[", headers={"content-type": "application/json"}),  # 400
        await client.request("DELETE", "/graphql"),  # 405
        await client.get("/no-such-page"),  # 404
    ]

    assert [answer.status_code for answer in answers] == [200, 200, 400, 405, 404]
    for answer in answers:
        assert answer.headers["cache-control"] == "no-store"
        assert answer.headers["x-content-type-options"] == "nosniff"


def inline_script_hashes(html: str) -> set[str]:
    scripts = re.findall(r"<script>(.*?)</script>", html, re.DOTALL)
    return {f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'" for s in scripts}


async def test_graphiql_runs_under_a_csp_of_its_own_scripts_and_keeps_no_headers(
    client: httpx.AsyncClient,
) -> None:
    # given (make test packs them with npm; CI forbids the skip)
    if not (GRAPHIQL_ASSETS / "graphiql.min.js").exists():
        pytest.skip("GraphiQL's assets are not installed: run `make graphiql-assets` (needs npm)")

    # when
    page = await client.get("/graphql", headers={"Accept": "text/html"})

    # then: only scripts from this server, and the page's inline script by its hash
    policy = dict(
        directive.strip().split(" ", 1) for directive in page.headers["content-security-policy"].split(";")
    )
    script_src = policy["script-src"].split()
    assert policy["default-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    hashes = inline_script_hashes(page.text)
    assert hashes and hashes <= set(script_src)
    assert set(script_src) == {"'self'", *hashes}
    assert all(src.startswith("/static/") for src in re.findall(r'<script[^>]* src="([^"]+)"', page.text))
    # and an API key typed into the headers editor is never written to localStorage
    assert "shouldPersistHeaders: false" in page.text
    assert "shouldPersistHeaders: true" not in page.text
