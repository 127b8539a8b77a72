"""GraphiQL's page: the portal's own, offline (every asset from ``/static/graphiql/``), opening
on tabs a developer can run at once: log in, then the README's queries.

The assets are packed from npm by ``make graphiql-assets``, and the Explorer plugin is patched
there (``.ci/patch_graphiql_explorer.py``) to offer a value widget for lists of enum values,
such as ``status: [UNPAID, OVERDUE]``; every version of it so far logs an error on them instead.
"""

from __future__ import annotations

import json

TITLE = "Zákaznický portál: GraphQL API"

WELCOME = """\
# The customer portal's GraphQL API.
#
# 1. Run this tab (the play button, or Ctrl-Enter): it logs you in as a demo user. The answer
#    sets the session cookie, an HttpOnly cookie this page sends with every request from then on.
# 2. Run the other tabs: they read that user's data. Without a login they answer UNAUTHENTICATED.
#
# How a client authenticates:
# - the portal's front end: the session cookie `portal_session` (HttpOnly, SameSite=Lax);
#   requests carrying it must be application/json (the CSRF guard);
# - apps without cookies: the same session as `Authorization: Bearer <token>` (the `token` below),
#   set in the Headers tab;
# - internal dashboards: a staff API key in the `X-API-Key` header, read-only
#   (demo: {"X-API-Key": "demo-staff-key"}). Headers typed here are never stored by the browser.
#
# Messages come in Czech unless the request's Accept-Language prefers English.
# Demo logins (password Demo-heslo-2026): novak, svobodova, pekarna, teplarna, poradce.
"""

LOGIN = """\
mutation Login {
  login(input: {login: "novak", password: "Demo-heslo-2026"}) {
    token
    errors { message code }
    viewer { login customers { number } }
  }
}
"""

CUSTOMER = """\
# The README's sample: run the Login tab first.
{
  customer(number: "1000012345") {
    name segment
    supplyPoints {
      code commodity contractType
      technical { ... on ElectricityTechnicalData { mainBreakerAmps phases distributionTariff } }
    }
    invoices(first: 5, filter: {status: [UNPAID, OVERDUE]}) {
      totalCount
      edges { node { number dueDate amountDue { amount currency } status } }
    }
  }
}
"""

VIEWER = """\
# Who is logged in (null when nobody is), and the request budget left.
{
  viewer { login email emailVerified customers { number } }
  rateLimitInfo { limit remaining resetInSeconds }
}
"""

DEFAULT_TABS = (WELCOME + LOGIN, CUSTOMER, VIEWER)

_PAGE = """<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>{title}</title>
    <link rel="icon" href="data:,">
    <style>
      body {{ height: 100%; margin: 0; width: 100%; overflow: hidden; }}
      #graphiql {{ height: 100vh; display: flex; }}
      .graphiql-explorer-actions select {{ margin-left: 4px; }}
    </style>
    <link rel="stylesheet" href="/static/graphiql/graphiql.min.css">
    <link rel="stylesheet" href="/static/graphiql/plugin-explorer/style.css">
    <script src="/static/graphiql/react.production.min.js"></script>
    <script src="/static/graphiql/react-dom.production.min.js"></script>
  </head>
  <body>
    <div id="graphiql" class="graphiql-container">Loading GraphiQL...</div>
    <script src="/static/graphiql/graphiql.min.js"></script>
    <script src="/static/graphiql/plugin-explorer/index.umd.js"></script>
    <script>{script}</script>
  </body>
</html>
"""

_SCRIPT = """
const DEFAULT_TABS = %s;
const fetcher = GraphiQL.createFetcher({ url: window.location.href.split("?")[0] });
const explorer = GraphiQLPluginExplorer.explorerPlugin();
ReactDOM.createRoot(document.getElementById("graphiql")).render(
  React.createElement(GraphiQL, {
    fetcher: fetcher,
    defaultTabs: DEFAULT_TABS.map(function (query) { return { query: query }; }),
    defaultEditorToolsVisibility: true,
    plugins: [explorer],
    inputValueDeprecation: true,
    isHeadersEditorEnabled: true,
    shouldPersistHeaders: false,
  }),
);
"""


def graphiql_page() -> str:
    """The page's HTML; its one inline script is allowed by hash (``headers.content_security_policy``)."""
    tabs = json.dumps(list(DEFAULT_TABS)).replace("</", "<\\/")
    return _PAGE.format(title=TITLE, script=_SCRIPT % tabs)
