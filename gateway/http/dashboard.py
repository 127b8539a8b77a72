"""The example staff dashboard at ``GET /dashboard`` (``GATEWAY_DASHBOARD=true``; on in ``gateway demo``).

A read-only page built only on the public GraphQL API: its script (``/static/dashboard/``,
committed) posts to ``/graphql`` with the staff key the user types in, sent as ``X-API-Key``
and kept in the tab's ``sessionStorage`` only, never in a URL. The bar chart is drawn by
Chart.js, packed from npm by ``make dashboard-assets`` into ``/static/chartjs/`` (not in git,
like GraphiQL's assets); without it the page shows the same figures as a table only.

The page has no inline script or style, so its Content-Security-Policy allows only this
server's files (``DASHBOARD_CSP``). When the dashboard is off, ``/dashboard`` and its assets
answer 404 (``dashboard_routes``).
"""

from __future__ import annotations

from html import escape

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Route

from gateway.config import Settings
from gateway.http.graphql import STATIC_DIR
from gateway.store.demo import DEMO_STAFF_KEY

DASHBOARD_ASSETS = STATIC_DIR / "dashboard"
CHARTJS_ASSETS = STATIC_DIR / "chartjs"
CHARTJS_SCRIPT = "chart.umd.min.js"
STATIC_PREFIXES = ("/static/dashboard", "/static/chartjs")

DASHBOARD_CSP = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'none'",  # the forms are handled by the script: nothing is ever submitted
        "frame-ancestors 'none'",
    )
)
HEADERS = {"Content-Security-Policy": DASHBOARD_CSP, "Referrer-Policy": "no-referrer"}

_PAGE = """<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Staff dashboard: customer portal gateway</title>
    <link rel="icon" href="data:,">
    <link rel="stylesheet" href="/static/dashboard/dashboard.css">
    {chart_script}<script src="/static/dashboard/dashboard.js" defer></script>
  </head>
  <body data-demo-key="{demo_key}" data-chart="{chart}">
    <a class="skip" href="#main">Skip to the dashboard</a>
    <header class="top">
      <h1>Staff dashboard</h1>
      <form id="key-form" class="key-form" autocomplete="off" method="post">
        <label for="api-key">Staff API key</label>
        <input id="api-key" name="api-key" type="password" autocomplete="off" spellcheck="false" required
               aria-describedby="key-help">
        <button type="submit">Use key</button>
        <button type="button" id="forget-key">Forget key</button>
        <p id="key-help" class="help">Sent as the <code>X-API-Key</code> header to <code>/graphql</code>,
          kept in this tab only (sessionStorage).</p>
      </form>
      <p id="key-status" class="status" role="status" aria-live="polite">No key entered.</p>
    </header>
    <main id="main">
      <section id="search-panel" class="panel wide" aria-labelledby="search-title">
        <h2 id="search-title">Find a customer</h2>
        <form id="search-form" class="inline-form" role="search" method="post">
          <label for="search-query">Customer number, EAN, EIC, variable symbol, invoice number, IČO,
            e-mail, phone or name</label>
          <input id="search-query" name="query" type="search" autocomplete="off" spellcheck="false" required>
          <button type="submit">Search</button>
        </form>
        <div class="panel-status" role="status" aria-live="polite"></div>
        <div class="panel-body" id="search-results"></div>
      </section>
      <section id="customer-panel" class="panel wide" aria-labelledby="customer-title" hidden tabindex="-1">
        <h2 id="customer-title">Customer</h2>
        <button type="button" id="close-customer" class="close">Close</button>
        <div class="panel-status" role="status" aria-live="polite"></div>
        <div class="panel-body" id="customer-body"></div>
      </section>
      <section id="receivables-panel" class="panel" aria-labelledby="receivables-title">
        <h2 id="receivables-title">Receivables aging</h2>
        <div class="panel-status" role="status" aria-live="polite"></div>
        <div class="panel-body">
          <div class="chart-box"><canvas id="aging-chart" role="img" aria-label="Overdue amounts
            by days overdue and segment; the same figures are in the table below."></canvas></div>
          <div id="receivables-table"></div>
        </div>
      </section>
      <section id="nomination-panel" class="panel" aria-labelledby="nomination-title">
        <h2 id="nomination-title">Nomination: the coming week</h2>
        <div class="panel-status" role="status" aria-live="polite"></div>
        <div class="panel-body" id="nomination-body"></div>
      </section>
      <section id="overdue-panel" class="panel wide" aria-labelledby="overdue-title">
        <h2 id="overdue-title">Overdue invoices</h2>
        <form id="overdue-filter" class="inline-form" method="post">
          <label for="overdue-segment">Segment</label>
          <select id="overdue-segment">
            <option value="">All</option>
            <option value="HOUSEHOLD">Household</option>
            <option value="BUSINESS">Business</option>
            <option value="LARGE">Large consumer</option>
          </select>
        </form>
        <div class="panel-status" role="status" aria-live="polite"></div>
        <div class="panel-body" id="overdue-body"></div>
      </section>
      <section id="queue-panel" class="panel wide" aria-labelledby="queue-title">
        <h2 id="queue-title">Request queue</h2>
        <form id="queue-filter" class="inline-form" method="post">
          <label for="queue-states">Requests</label>
          <select id="queue-states">
            <option value="OPEN,IN_PROGRESS">Open and in progress</option>
            <option value="">All, closed too</option>
          </select>
          <label for="queue-order">Order</label>
          <select id="queue-order">
            <option value="OLDEST_FIRST">Oldest first</option>
            <option value="NEWEST_FIRST">Newest first</option>
          </select>
        </form>
        <div class="panel-status" role="status" aria-live="polite"></div>
        <div class="panel-body" id="queue-body"></div>
      </section>
    </main>
    <footer class="foot">
      <p>Read-only. Every customer this page shows is written to the gateway's audit log under the
        key's name.</p>
    </footer>
  </body>
</html>
"""


def dashboard_page(*, demo: bool, chart: bool) -> str:
    """The page's HTML: no inline script or style; in demo mode it offers the demo staff key."""
    chart_script = f'<script src="/static/chartjs/{CHARTJS_SCRIPT}" defer></script>\n    ' if chart else ""
    return _PAGE.format(
        chart_script=chart_script,
        demo_key=escape(DEMO_STAFF_KEY if demo else "", quote=True),
        chart="on" if chart else "off",
    )


def dashboard_routes(settings: Settings) -> list[BaseRoute]:
    """``GET /dashboard`` when the setting is on; when off, 404 for the page and its assets
    (which the static mount, added after these, would otherwise serve)."""
    if not settings.dashboard:
        return [Route(f"{prefix}/{{path:path}}", _not_found) for prefix in STATIC_PREFIXES]
    html = dashboard_page(demo=settings.demo, chart=(CHARTJS_ASSETS / CHARTJS_SCRIPT).is_file())

    async def dashboard(request: Request) -> Response:
        return HTMLResponse(html, headers=HEADERS)

    return [Route("/dashboard", dashboard, methods=["GET"])]


async def _not_found(request: Request) -> Response:
    raise HTTPException(404)
