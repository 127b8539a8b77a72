// The example staff dashboard (gateway/http/dashboard.py): plain JavaScript on the public
// GraphQL API. Every panel is its own request, so a field the key's roles do not grant
// (FORBIDDEN), or one this gateway does not have yet, costs that panel only. The key lives in
// sessionStorage (this tab) and travels only as the X-API-Key header of POST /graphql.
// No markup is ever parsed from a string: every text from the API is set as text.
"use strict";

(function () {
  const KEY_STORAGE = "gateway.dashboard.staffKey";
  const PAGE_SIZE = 10; // rows of a worklist page; the search answers up to 20
  const SEARCH_SIZE = 20;
  const CUSTOMER_NUMBER = /^\d{10}$/;

  // Which role a panel needs (gateway/permissions.py::STAFF_ROLE_ABILITIES), to say so on FORBIDDEN.
  const NEEDS = {
    search: { field: "staff.searchCustomers", roles: ["SUPPORT", "FINANCE", "OPERATIONS"] },
    customer: { field: "customer(number)", roles: ["SUPPORT", "FINANCE", "OPERATIONS"] },
    receivables: { field: "staff.receivables", roles: ["FINANCE"] },
    overdue: { field: "staff.overdueInvoices", roles: ["FINANCE"] },
    queue: { field: "staff.requestQueue", roles: ["SUPPORT", "FINANCE", "OPERATIONS"] },
    nomination: { field: "staff.nominationStatus", roles: ["OPERATIONS"] },
  };

  const BUCKETS = [
    ["DAYS_1_30", "1–30 days"],
    ["DAYS_31_60", "31–60 days"],
    ["DAYS_61_90", "61–90 days"],
    ["DAYS_OVER_90", "over 90 days"],
  ];
  const SEGMENTS = { HOUSEHOLD: "Household", BUSINESS: "Business", LARGE: "Large consumer" };
  const SEGMENT_COLOURS = { HOUSEHOLD: "#2f6fb3", BUSINESS: "#d9822b", LARGE: "#3c8c5a" };

  const QUERIES = {
    whoami: "query DashboardKey { staff { name roles } }",
    receivables: `query DashboardReceivables {
  staff { receivables {
    asOf
    total { ...Summary }
    bySegment { segment summary { ...Summary } }
  } }
}
fragment Summary on ReceivablesSummary {
  outstanding { amount currency } overdue { amount currency } overdueCount
  aging { bucket amount { amount currency } count }
}`,
    overdue: `query DashboardOverdue($filter: OverdueInvoiceFilter, $orderBy: OverdueInvoiceOrder, $first: Int, $after: String) {
  staff { overdueInvoices(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
    totalCount totalAmountDue { amount currency }
    pageInfo { hasNextPage endCursor }
    edges { node {
      invoice { number } customerNumber customerName segment dueDate daysOverdue amountDue { amount currency }
    } }
  } }
}`,
    queue: `query DashboardQueue($filter: RequestQueueFilter, $orderBy: RequestQueueOrder, $first: Int, $after: String) {
  staff { requestQueue(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { customerNumber customerName ageDays request { kind state createdAt summary } } }
  } }
}`,
    nomination: `query DashboardNomination {
  staff { nominationStatus {
    weekStart gateClosure gateOpen expected submitted
    consumers { customerNumber customerName eic submitted submittedAt }
  } }
}`,
    search: `query DashboardSearch($query: String!, $first: Int) {
  staff { searchCustomers(query: $query, first: $first) {
    totalCount recognizedAs capped
    edges { node { customerNumber displayName matchedBy matchedValue } }
  } }
}`,
    customer: `query DashboardCustomer($number: String!) {
  customer(number: $number) {
    number name segment email phone ico
    permanentAddress { street houseNumber city postcode }
    supplyPointConnection(first: 20) {
      totalCount
      edges { node { code commodity contractType product address { street houseNumber city } } }
    }
    invoices(first: 10) {
      totalCount
      edges { node { number issueDate dueDate total { amount currency } amountDue { amount currency } status } }
    }
    requests(first: 10) {
      totalCount
      edges { node { kind state createdAt summary } }
    }
  }
}`,
  };

  // ---- small DOM helpers -------------------------------------------------------------------

  function el(tag, attributes, children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "text") node.textContent = value;
      else if (name === "onclick") node.addEventListener("click", value);
      else node.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children || []) {
      if (child !== null && child !== undefined) node.append(child);
    }
    return node;
  }

  function $(selector) {
    return document.querySelector(selector);
  }

  const money = new Intl.NumberFormat("cs-CZ", { style: "currency", currency: "CZK" });
  const wholeMoney = new Intl.NumberFormat("cs-CZ", { style: "currency", currency: "CZK", maximumFractionDigits: 0 });
  function formatMoney(value) {
    if (!value) return "–";
    const amount = Number(value.amount);
    if (value.currency !== "CZK" || Number.isNaN(amount)) return `${value.amount} ${value.currency}`;
    return money.format(amount);
  }
  function formatDateTime(text) {
    if (!text) return "–";
    const date = new Date(text);
    return Number.isNaN(date.getTime()) ? text : date.toLocaleString("cs-CZ", { timeZone: "Europe/Prague" });
  }
  function words(enumValue) {
    return enumValue ? enumValue.charAt(0) + enumValue.slice(1).toLowerCase().replaceAll("_", " ") : "–";
  }

  function table(caption, headers, rows) {
    return el("table", {}, [
      el("caption", { text: caption }),
      el("thead", {}, [el("tr", {}, headers.map((h) => (h instanceof Node ? h : el("th", { scope: "col", text: h }))))]),
      el("tbody", {}, rows.map((cells) => el("tr", {}, cells.map((c) => (c instanceof Node ? c : el("td", { text: c })))))),
    ]);
  }

  function customerButton(number, name) {
    return el("td", {}, [
      el("button", {
        type: "button",
        class: "link",
        text: name || number,
        "aria-label": `Open customer ${number}${name ? ` (${name})` : ""}`,
        "data-customer": number,
        onclick: () => openCustomer(number),
      }),
      el("span", { class: "muted", text: ` ${number}` }),
    ]);
  }

  // ---- the API ----------------------------------------------------------------------------

  class NetworkError extends Error {}

  let staffKey = "";
  let keyRoles = [];

  async function gql(query, variables) {
    let response;
    try {
      response = await fetch("/graphql", {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          Accept: "application/json", // errors in the body, HTTP 200: no network error in the console
          "X-API-Key": staffKey,
        },
        body: JSON.stringify({ query, variables: variables || {} }),
        credentials: "omit", // the staff key only: never a portal session cookie
        cache: "no-store",
      });
    } catch (error) {
      throw new NetworkError("The gateway cannot be reached (network error).");
    }
    const type = response.headers.get("content-type") || "";
    if (!type.includes("json")) {
      throw new NetworkError(`The gateway answered HTTP ${response.status} without a GraphQL result.`);
    }
    const body = await response.json();
    if (!body || typeof body !== "object") throw new NetworkError("The gateway's answer is not a GraphQL result.");
    return body;
  }

  // What went wrong for a panel, in words a user can act on; null when nothing did.
  function problemOf(panel, result) {
    const errors = result.errors || [];
    if (!errors.length) return null;
    const codes = errors.map((e) => (e.extensions && e.extensions.code) || "");
    const need = NEEDS[panel];
    if (codes.includes("FORBIDDEN")) {
      const has = keyRoles.length ? keyRoles.join(", ") : "none";
      return {
        kind: "forbidden",
        text: `This panel needs one of the roles ${need.roles.join(" or ")} (${need.field}); this key has: ${has}.`,
      };
    }
    if (codes.includes("UNAUTHENTICATED")) {
      return { kind: "key", text: "The gateway does not accept this key (unknown or revoked). Enter another." };
    }
    const missing = errors.find((e) => /Cannot query field/.test(e.message || ""));
    if (codes.includes("GRAPHQL_VALIDATION_FAILED") && missing) {
      return { kind: "unavailable", text: `Not available on this gateway yet (${need.field} is not in its schema).` };
    }
    if (codes.includes("RATE_LIMITED")) return { kind: "error", text: "Too many requests: try again in a moment." };
    const message = errors.map((e) => e.message).filter(Boolean)[0] || "The gateway answered with an error.";
    return { kind: "error", text: `${message}${codes[0] ? ` (${codes[0]})` : ""}` };
  }

  function panelStatus(panel, text, kind) {
    const section = document.getElementById(`${panel}-panel`);
    const status = section.querySelector(".panel-status");
    status.textContent = text || "";
    status.className = `panel-status${kind ? ` ${kind}` : ""}`;
    section.dataset.state = kind || "ok";
  }

  // Runs a panel's query: what ``pick`` takes from its data (partial data with field errors
  // counts), or null after saying why there is none.
  async function load(panel, query, variables, body, pick) {
    panelStatus(panel, "Loading…", "loading");
    let result;
    try {
      result = await gql(query, variables);
    } catch (error) {
      panelStatus(panel, error instanceof NetworkError ? error.message : String(error), "error");
      if (body) addRetry(panel, body);
      return null;
    }
    const problem = problemOf(panel, result);
    let value = null;
    try {
      value = result.data ? pick(result.data) : null;
    } catch (error) {
      value = null; // a null on the way (staff null after a FORBIDDEN field)
    }
    if (value === null || value === undefined) {
      panelStatus(panel, problem ? problem.text : "The gateway answered no data for this panel.", problem ? problem.kind : "error");
      if (body) body.replaceChildren();
      return null;
    }
    if (problem) panelStatus(panel, problem.text, "warning");
    else panelStatus(panel, "", null);
    return value;
  }

  function addRetry(panel, body) {
    body.replaceChildren(el("button", { type: "button", text: "Try again", onclick: () => RELOAD[panel]() }));
  }

  // ---- the key ----------------------------------------------------------------------------

  async function useKey(key) {
    staffKey = key;
    keyRoles = [];
    const status = $("#key-status");
    status.textContent = "Checking the key…";
    status.className = "status";
    document.body.dataset.key = "checking";
    let result;
    try {
      result = await gql(QUERIES.whoami);
    } catch (error) {
      status.textContent = error.message;
      status.className = "status error";
      document.body.dataset.key = "unreachable";
      return;
    }
    const staff = result.data && result.data.staff;
    if (!staff) {
      const problem = problemOf("search", result);
      status.textContent =
        problem && problem.kind === "key" ? problem.text : "This is not a staff key: the gateway answers `staff` with null.";
      status.className = "status error";
      document.body.dataset.key = "rejected";
      staffKey = "";
      sessionStorage.removeItem(KEY_STORAGE);
      return;
    }
    sessionStorage.setItem(KEY_STORAGE, key);
    keyRoles = staff.roles || [];
    status.textContent = `Key “${staff.name}” with roles: ${keyRoles.join(", ") || "none"}.`;
    status.className = "status ok";
    document.body.dataset.key = "accepted";
    overdueState.after = [];
    queueState.after = [];
    await Promise.all([loadReceivables(), loadOverdue(), loadQueue(), loadNomination()]);
  }

  function forgetKey() {
    sessionStorage.removeItem(KEY_STORAGE);
    staffKey = "";
    keyRoles = [];
    $("#api-key").value = "";
    $("#key-status").textContent = "No key entered.";
    $("#key-status").className = "status";
    document.body.dataset.key = "none";
    for (const id of ["#search-results", "#customer-body", "#receivables-table", "#nomination-body", "#overdue-body", "#queue-body"]) {
      $(id).replaceChildren();
    }
    for (const panel of Object.keys(NEEDS)) panelStatus(panel, "", null);
    $("#customer-panel").hidden = true;
    if (chart) {
      chart.destroy();
      chart = null;
    }
  }

  // ---- receivables: the aging chart ----------------------------------------------------------

  let chart = null;

  function agingAmounts(summary) {
    const byBucket = Object.fromEntries((summary.aging || []).map((a) => [a.bucket, a]));
    return BUCKETS.map(([bucket]) => byBucket[bucket] || { bucket, amount: { amount: "0", currency: "CZK" }, count: 0 });
  }

  async function loadReceivables() {
    const receivables = await load("receivables", QUERIES.receivables, {}, $("#receivables-table"), (d) => d.staff.receivables);
    if (!receivables) return;
    const total = receivables.total;
    const segments = receivables.bySegment || [];
    const totals = agingAmounts(total);

    const headers = ["Days overdue", ...segments.map((s) => SEGMENTS[s.segment] || s.segment), "Total"];
    const rows = BUCKETS.map(([, label], index) => [
      el("th", { scope: "row", text: label }),
      ...segments.map((s) => {
        const a = agingAmounts(s.summary)[index];
        return `${formatMoney(a.amount)} (${a.count})`;
      }),
      `${formatMoney(totals[index].amount)} (${totals[index].count})`,
    ]);
    rows.push([
      el("th", { scope: "row", text: "Overdue" }),
      ...segments.map((s) => `${formatMoney(s.summary.overdue)} (${s.summary.overdueCount})`),
      `${formatMoney(total.overdue)} (${total.overdueCount})`,
    ]);
    rows.push([
      el("th", { scope: "row", text: "Outstanding" }),
      ...segments.map((s) => formatMoney(s.summary.outstanding)),
      formatMoney(total.outstanding),
    ]);
    $("#receivables-table").replaceChildren(
      table(`Overdue amounts (invoices) by days overdue, as of ${receivables.asOf}`, headers, rows),
    );
    drawChart(segments, totals);
  }

  function drawChart(segments, totals) {
    const canvas = $("#aging-chart");
    if (typeof window.Chart !== "function") {
      canvas.closest(".chart-box").dataset.chart = "missing";
      panelStatus("receivables", "The chart library is not installed (make dashboard-assets): the figures are in the table.", "warning");
      return;
    }
    const datasets = segments.length
      ? segments.map((s) => ({
          label: SEGMENTS[s.segment] || s.segment,
          data: agingAmounts(s.summary).map((a) => Number(a.amount.amount)),
          backgroundColor: SEGMENT_COLOURS[s.segment] || "#777",
        }))
      : [{ label: "Total", data: totals.map((a) => Number(a.amount.amount)), backgroundColor: "#555" }];
    if (chart) chart.destroy();
    canvas.closest(".chart-box").dataset.chart = "drawn"; // shown first: Chart.js sizes the canvas to its box
    chart = new window.Chart(canvas, {
      type: "bar",
      data: { labels: BUCKETS.map(([, label]) => label), datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: {
          x: { stacked: true, title: { display: true, text: "days overdue" } },
          y: { stacked: true, beginAtZero: true, ticks: { callback: (value) => wholeMoney.format(value) } },
        },
        plugins: {
          legend: { position: "bottom" },
          tooltip: {
            callbacks: {
              label: (item) => `${item.dataset.label}: ${money.format(item.parsed.y)}`,
              footer: (items) => (items.length ? `Total: ${formatMoney(totals[items[0].dataIndex].amount)}` : ""),
            },
          },
        },
      },
    });
  }

  // ---- overdue invoices: paged and sortable ------------------------------------------------

  const overdueState = { orderBy: "DAYS_OVERDUE_DESC", after: [], segment: "" };
  const OVERDUE_SORTS = {
    daysOverdue: ["DAYS_OVERDUE_DESC", "DAYS_OVERDUE_ASC"],
    amountDue: ["AMOUNT_DESC", "AMOUNT_ASC"],
  };

  function sortHeader(label, key) {
    const [desc, asc] = OVERDUE_SORTS[key];
    const current = overdueState.orderBy === desc ? "descending" : overdueState.orderBy === asc ? "ascending" : "none";
    const next = current === "descending" ? asc : desc;
    const arrow = current === "descending" ? " ▼" : current === "ascending" ? " ▲" : "";
    return el("th", { scope: "col", "aria-sort": current }, [
      el("button", {
        type: "button",
        class: "sort",
        text: `${label}${arrow}`,
        "data-sort": key,
        "aria-label": `${label}: sort ${next.endsWith("_DESC") ? "descending" : "ascending"}`,
        onclick: () => {
          overdueState.orderBy = next;
          overdueState.after = [];
          loadOverdue();
        },
      }),
    ]);
  }

  function pager(state, pageInfo, reload, label) {
    const page = state.after.length + 1;
    return el("nav", { class: "pager", "aria-label": `${label} pages` }, [
      el("button", {
        type: "button",
        text: "Previous page",
        disabled: state.after.length === 0,
        onclick: () => {
          state.after.pop();
          reload();
        },
      }),
      el("span", { text: `Page ${page}` }),
      el("button", {
        type: "button",
        text: "Next page",
        disabled: !pageInfo.hasNextPage,
        onclick: () => {
          state.after.push(pageInfo.endCursor);
          reload();
        },
      }),
    ]);
  }

  async function loadOverdue() {
    const body = $("#overdue-body");
    const filter = overdueState.segment ? { segment: overdueState.segment } : null;
    const after = overdueState.after.length ? overdueState.after[overdueState.after.length - 1] : null;
    const variables = { filter, orderBy: overdueState.orderBy, first: PAGE_SIZE, after };
    const connection = await load("overdue", QUERIES.overdue, variables, body, (d) => d.staff.overdueInvoices);
    if (!connection) return;
    const rows = connection.edges.map(({ node }) => [
      node.invoice ? node.invoice.number : "–",
      customerButton(node.customerNumber, node.customerName),
      SEGMENTS[node.segment] || node.segment,
      node.dueDate,
      el("td", { class: "number", text: String(node.daysOverdue) }),
      el("td", { class: "number", text: formatMoney(node.amountDue) }),
    ]);
    body.replaceChildren(
      el("p", { class: "summary", text: `${connection.totalCount} overdue invoices, ${formatMoney(connection.totalAmountDue)} due.` }),
      table(
        "Overdue invoices",
        ["Invoice", "Customer", "Segment", "Due", sortHeader("Days overdue", "daysOverdue"), sortHeader("Amount due", "amountDue")],
        rows,
      ),
      pager(overdueState, connection.pageInfo, loadOverdue, "Overdue invoices"),
    );
  }

  // ---- the request queue -------------------------------------------------------------------

  const queueState = { orderBy: "OLDEST_FIRST", states: ["OPEN", "IN_PROGRESS"], after: [] };

  async function loadQueue() {
    const body = $("#queue-body");
    const after = queueState.after.length ? queueState.after[queueState.after.length - 1] : null;
    const filter = queueState.states.length ? { states: queueState.states } : null;
    const variables = { filter, orderBy: queueState.orderBy, first: PAGE_SIZE, after };
    const connection = await load("queue", QUERIES.queue, variables, body, (d) => d.staff.requestQueue);
    if (!connection) return;
    const rows = connection.edges.map(({ node }) => [
      formatDateTime(node.request.createdAt),
      el("td", { class: "number", text: String(node.ageDays) }),
      words(node.request.kind),
      words(node.request.state),
      customerButton(node.customerNumber, node.customerName),
      node.request.summary,
    ]);
    body.replaceChildren(
      el("p", {
        class: "summary",
        text: `${connection.totalCount} requests${queueState.states.length ? " waiting" : ", open and closed"}.`,
      }),
      table("Requests", ["Filed", "Age (days)", "Kind", "State", "Customer", "Summary"], rows),
      pager(queueState, connection.pageInfo, loadQueue, "Request queue"),
    );
  }

  // ---- nomination: the coming week ---------------------------------------------------------

  async function loadNomination() {
    const body = $("#nomination-body");
    const status = await load("nomination", QUERIES.nomination, {}, body, (d) => d.staff.nominationStatus);
    if (!status) return;
    const rows = status.consumers.map((c) => [
      customerButton(c.customerNumber, c.customerName),
      c.eic,
      el("td", { class: c.submitted ? "ok" : "missing", text: c.submitted ? "submitted" : "missing" }),
      formatDateTime(c.submittedAt),
    ]);
    body.replaceChildren(
      el("p", {
        class: "summary",
        text:
          `Week of ${status.weekStart}: ${status.submitted} of ${status.expected} submitted. ` +
          `Gate ${status.gateOpen ? "open until" : "closed since"} ${formatDateTime(status.gateClosure)}.`,
      }),
      table("Large consumers", ["Customer", "EIC", "Values", "Submitted at"], rows),
    );
  }

  // ---- search and a customer's overview ----------------------------------------------------

  async function search(query) {
    const body = $("#search-results");
    const connection = await load("search", QUERIES.search, { query, first: SEARCH_SIZE }, body, (d) => d.staff.searchCustomers);
    if (!connection) {
      // without the search, a customer number still opens its customer (customer(number))
      const section = $("#search-panel");
      if (section.dataset.state === "unavailable" && CUSTOMER_NUMBER.test(query)) openCustomer(query);
      return;
    }
    const items = connection.edges.map(({ node }) =>
      el("li", {}, [
        el("button", {
          type: "button",
          class: "link",
          text: `${node.displayName} (${node.customerNumber})`,
          "data-customer": node.customerNumber,
          onclick: () => openCustomer(node.customerNumber),
        }),
        el("span", { class: "muted", text: ` matched by ${words(node.matchedBy)}: ${node.matchedValue}` }),
      ]),
    );
    const found = `${connection.totalCount} found${connection.capped ? " (the back end's cap: refine the query)" : ""}; read as ${words(connection.recognizedAs)}.`;
    body.replaceChildren(
      el("p", { class: "summary", text: found }),
      items.length ? el("ul", { class: "hits" }, items) : el("p", { text: "No customer matches." }),
    );
    if (connection.edges.length === 1) openCustomer(connection.edges[0].node.customerNumber);
  }

  async function openCustomer(number) {
    const section = $("#customer-panel");
    const body = $("#customer-body");
    section.hidden = false;
    section.dataset.customer = number;
    $("#customer-title").textContent = `Customer ${number}`;
    body.replaceChildren();
    const customer = await load("customer", QUERIES.customer, { number }, body, (d) => d.customer);
    section.focus();
    if (!customer) return;
    $("#customer-title").textContent = `Customer ${customer.number}: ${customer.name || "(no name)"}`;
    const address = customer.permanentAddress;
    const facts = [
      ["Segment", SEGMENTS[customer.segment] || customer.segment || "–"],
      ["E-mail", customer.email || "–"],
      ["Phone", customer.phone || "–"],
      ["IČO", customer.ico || "–"],
      ["Address", address ? `${address.street} ${address.houseNumber}, ${address.postcode} ${address.city}` : "–"],
    ];
    const parts = [el("dl", { class: "facts" }, facts.flatMap(([k, v]) => [el("dt", { text: k }), el("dd", { text: v })]))];

    const points = customer.supplyPointConnection;
    if (points) {
      parts.push(
        table(
          `Supply points (${points.totalCount}${points.totalCount > points.edges.length ? `, first ${points.edges.length}` : ""})`,
          ["EAN / EIC", "Commodity", "Contract", "Product", "Address"],
          points.edges.map(({ node }) => [
            el("td", { class: "code", text: node.code }),
            words(node.commodity),
            words(node.contractType),
            node.product,
            node.address ? `${node.address.street} ${node.address.houseNumber}, ${node.address.city}` : "–",
          ]),
        ),
      );
    }
    const invoices = customer.invoices;
    if (invoices) {
      parts.push(
        table(
          `Invoices (${invoices.totalCount}, newest ${invoices.edges.length})`,
          ["Number", "Issued", "Due", "Total", "Amount due", "Status"],
          invoices.edges.map(({ node }) => [
            node.number,
            node.issueDate,
            node.dueDate,
            el("td", { class: "number", text: formatMoney(node.total) }),
            el("td", { class: "number", text: formatMoney(node.amountDue) }),
            words(node.status),
          ]),
        ),
      );
    }
    const requests = customer.requests;
    if (requests) {
      parts.push(
        table(
          `Requests (${requests.totalCount}, newest ${requests.edges.length})`,
          ["Filed", "Kind", "State", "Summary"],
          requests.edges.map(({ node }) => [formatDateTime(node.createdAt), words(node.kind), words(node.state), node.summary]),
        ),
      );
    }
    body.replaceChildren(...parts);
  }

  const RELOAD = {
    receivables: loadReceivables,
    overdue: loadOverdue,
    queue: loadQueue,
    nomination: loadNomination,
    search: () => search($("#search-query").value.trim()),
    customer: () => openCustomer($("#customer-panel").dataset.customer),
  };

  // ---- wiring ------------------------------------------------------------------------------

  function requireKey() {
    if (staffKey) return true;
    $("#key-status").textContent = "Enter a staff key first.";
    $("#key-status").className = "status error";
    $("#api-key").focus();
    return false;
  }

  function start() {
    $("#key-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const key = $("#api-key").value.trim();
      if (key) useKey(key);
    });
    $("#forget-key").addEventListener("click", forgetKey);
    $("#close-customer").addEventListener("click", () => {
      $("#customer-panel").hidden = true;
      $("#search-query").focus();
    });
    $("#search-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const query = $("#search-query").value.trim();
      if (query && requireKey()) search(query);
    });
    for (const form of ["#overdue-filter", "#queue-filter"]) {
      $(form).addEventListener("submit", (event) => event.preventDefault());
    }
    $("#overdue-segment").addEventListener("change", (event) => {
      overdueState.segment = event.target.value;
      overdueState.after = [];
      if (requireKey()) loadOverdue();
    });
    $("#queue-states").addEventListener("change", (event) => {
      queueState.states = event.target.value ? event.target.value.split(",") : [];
      queueState.after = [];
      if (requireKey()) loadQueue();
    });
    $("#queue-order").addEventListener("change", (event) => {
      queueState.orderBy = event.target.value;
      queueState.after = [];
      if (requireKey()) loadQueue();
    });
    document.body.dataset.key = "none";
    const stored = sessionStorage.getItem(KEY_STORAGE);
    const demoKey = document.body.dataset.demoKey;
    if (stored) {
      $("#api-key").value = stored;
      useKey(stored);
    } else if (demoKey) {
      $("#api-key").value = demoKey; // demo mode: offered, used once the user presses "Use key"
      $("#key-help").append(` In the demo, the key ${demoKey} holds every role.`);
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
