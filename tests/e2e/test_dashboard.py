"""The example staff dashboard's routes (``GATEWAY_DASHBOARD``): off by default and then 404,
page and assets included; on, a page that runs only this server's files under a strict CSP,
with nothing from another host. Its behaviour in a browser: tests/e2e/browser/test_dashboard_browser.py."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import httpx
import pytest
from pydantic import SecretStr

from gateway.app import create_app
from gateway.config import Settings
from gateway.http.dashboard import CHARTJS_ASSETS, CHARTJS_SCRIPT, DASHBOARD_ASSETS
from gateway.http.graphql import GRAPHIQL_ASSETS


async def _client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://gateway.test") as client,
    ):
        yield client


@pytest.fixture
async def dashboard_off(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    assert settings.dashboard is False  # the default
    async for client in _client(settings):
        yield client


@pytest.fixture
async def dashboard_on(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    async for client in _client(settings.model_copy(update={"dashboard": True})):
        yield client


def _chart_library_installed() -> None:
    # make test packs it with npm (make dashboard-assets); CI forbids the skip
    if not (CHARTJS_ASSETS / CHARTJS_SCRIPT).is_file():
        pytest.skip("Chart.js is not installed: run `make dashboard-assets` (needs npm)")


def _policy(header: str) -> dict[str, str]:
    return dict(directive.strip().split(" ", 1) for directive in header.split(";"))


async def test_the_dashboard_is_off_by_default_and_then_404_with_its_assets(
    dashboard_off: httpx.AsyncClient,
) -> None:
    # when
    page = await dashboard_off.get("/dashboard", headers={"Accept": "text/html"})
    script = await dashboard_off.get("/static/dashboard/dashboard.js")
    chart = await dashboard_off.get(f"/static/chartjs/{CHARTJS_SCRIPT}")

    # then
    assert page.status_code == 404
    assert script.status_code == 404
    assert chart.status_code == 404
    # and the rest is served as ever: the API, and GraphiQL's assets when packed
    assert (await dashboard_off.post("/graphql", json={"query": "{ __typename }"})).status_code == 200
    if (GRAPHIQL_ASSETS / "graphiql.min.js").exists():
        assert (await dashboard_off.get("/static/graphiql/graphiql.min.js")).status_code == 200


async def test_the_dashboard_page_runs_only_this_servers_files_under_a_strict_csp(
    dashboard_on: httpx.AsyncClient,
) -> None:
    _chart_library_installed()

    # when
    page = await dashboard_on.get("/dashboard", headers={"Accept": "text/html"})

    # then: the page, not cached, with no inline script or style at all
    assert page.status_code == 200
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert page.headers["cache-control"] == "no-store"
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["referrer-policy"] == "no-referrer"
    policy = _policy(page.headers["content-security-policy"])
    assert policy["default-src"] == "'none'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["connect-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["form-action"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page.text) == []  # no inline script
    assert "<style" not in page.text and " style=" not in page.text
    assert re.search(r"\son[a-z]+=", page.text) is None  # no inline event handlers
    # and nothing from a CDN: every script and stylesheet from /static/ on this server
    sources = re.findall(r'<(?:script|link)[^>]* (?:src|href)="([^"]+)"', page.text)
    assert sorted(sources) == [
        "/static/chartjs/chart.umd.min.js",
        "/static/dashboard/dashboard.css",
        "/static/dashboard/dashboard.js",
        "data:,",  # the empty favicon
    ]
    assert "https://" not in page.text and "http://" not in page.text
    # and the key is typed in, never taken from or put in a URL
    assert 'id="api-key" name="api-key" type="password"' in page.text
    assert 'data-demo-key="demo-staff-key"' in page.text  # these settings are demo mode's


async def test_the_dashboards_assets_are_served_with_their_content_types(
    dashboard_on: httpx.AsyncClient,
) -> None:
    _chart_library_installed()

    # when
    script = await dashboard_on.get("/static/dashboard/dashboard.js")
    style = await dashboard_on.get("/static/dashboard/dashboard.css")
    chart = await dashboard_on.get(f"/static/chartjs/{CHARTJS_SCRIPT}")

    # then
    assert script.status_code == style.status_code == chart.status_code == 200
    assert script.headers["content-type"].split(";")[0] in {"text/javascript", "application/javascript"}
    assert chart.headers["content-type"].split(";")[0] in {"text/javascript", "application/javascript"}
    assert style.headers["content-type"].split(";")[0] == "text/css"
    assert all(r.headers["x-content-type-options"] == "nosniff" for r in (script, style, chart))
    assert script.content == (DASHBOARD_ASSETS / "dashboard.js").read_bytes()
    assert chart.content.startswith(b"/*!\n * Chart.js v4.5.1")
    # and the script talks to this server's /graphql only, with the key as a header
    assert '"/graphql"' in script.text and '"X-API-Key": staffKey' in script.text
    assert re.search(r"\blocalStorage\b|\.innerHTML\b|\.outerHTML\b|insertAdjacentHTML", script.text) is None
    assert "http://" not in script.text and "https://" not in script.text


async def test_the_dashboard_offers_the_demo_key_only_in_demo_mode(settings: Settings) -> None:
    production = settings.model_copy(
        update={"dashboard": True, "demo": False, "secret_key": SecretStr("a-secret-of-our-own")}
    )

    # when
    async for client in _client(production):
        page = await client.get("/dashboard")

        # then
        assert page.status_code == 200
        assert 'data-demo-key=""' in page.text
        assert "demo-staff-key" not in page.text
