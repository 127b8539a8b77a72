"""The example staff dashboard (``/dashboard``) in a real browser (Debian's Chromium through
chromedriver), against a real gateway and the simulators: a staff key typed in, the aging
chart and the worklists drawn, a search for novak's EAN that reaches his overview, no console
error and no request beyond 127.0.0.1. Then the page's errors: a key the gateway refuses,
a key lacking a role (the panel names the role it needs) and a gateway that went away.

A ``Staff`` field this gateway does not have (yet) must leave its panel saying so, and the
rest of the page working: what each panel shows is asserted for the fields the schema has.

Outside ``make test``: ``make browser-test`` runs it; the screenshot lands in
``GATEWAY_DASHBOARD_SCREENSHOT`` (default ``var/browser/dashboard.png``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from selenium.webdriver import Chrome as WebDriver
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import Select

from fixtures.server import serve_in_thread
from gateway.app import create_app
from gateway.config import Settings
from gateway.http.dashboard import CHARTJS_ASSETS, CHARTJS_SCRIPT
from tests.e2e.browser.test_graphiql_browser import (  # the same headless Chromium, offline
    LOCAL_HOSTS,
    browser,  # noqa: F401 -- the fixture
    browser_log,
    requested_hosts,
    wait_for,
)

REPO = Path(__file__).resolve().parents[3]
SCREENSHOT = Path(
    os.environ.get("GATEWAY_DASHBOARD_SCREENSHOT") or REPO / "var" / "browser" / "dashboard.png"
)
NOVAK, NOVAK_EAN = "1000012345", "859182400560524638"  # his electricity supply point (fixtures/crm)
PANELS = ("receivables", "overdue", "queue", "nomination")
FIELD_OF = {
    "receivables": "receivables",
    "overdue": "overdueInvoices",
    "queue": "requestQueue",
    "nomination": "nominationStatus",
    "search": "searchCustomers",
}


@pytest.fixture
def gateway(settings: Settings) -> Iterator[str]:
    if not (CHARTJS_ASSETS / CHARTJS_SCRIPT).is_file():
        pytest.fail("the dashboard's chart library is not installed: run `make dashboard-assets` (needs npm)")
    with serve_in_thread(create_app(settings.model_copy(update={"dashboard": True}))) as base:
        yield base


def staff_fields(base: str) -> set[str]:
    """The fields of ``Staff`` this gateway has (demo settings allow introspection)."""
    answer = httpx.post(f"{base}/graphql", json={"query": '{ __type(name: "Staff") { fields { name } } }'})
    return {field["name"] for field in answer.json()["data"]["__type"]["fields"]}


def panel(driver: WebDriver, name: str) -> WebElement:
    return driver.find_element(By.ID, f"{name}-panel")


def settled(driver: WebDriver, name: str) -> str | None:
    """The panel's state once its request has answered (``ok``, ``forbidden``, ``unavailable``, ...)."""
    state: str | None = driver.execute_script(
        "return document.getElementById(arguments[0]).dataset.state;", f"{name}-panel"
    )
    return state if state and state != "loading" else None


def settled_state(driver: WebDriver, name: str) -> str:
    state: str = wait_for(driver, lambda d: settled(d, name))
    return state


def status_text(driver: WebDriver, name: str) -> str:
    return panel(driver, name).find_element(By.CSS_SELECTOR, ".panel-status").text


def enter_key(driver: WebDriver, key: str) -> None:
    field = driver.find_element(By.ID, "api-key")
    field.clear()
    field.send_keys(key)
    driver.find_element(By.CSS_SELECTOR, "#key-form button[type=submit]").click()


def rows(driver: WebDriver, body_id: str) -> list[list[str]]:
    """The cells of a panel's table, read at once (the panel may be redrawn meanwhile)."""
    cells: list[list[str]] = driver.execute_script(
        "return [...document.querySelectorAll(`#${arguments[0]} tbody tr`)]"
        ".map(row => [...row.querySelectorAll('th, td')].map(cell => cell.innerText.trim()));",
        body_id,
    )
    return cells


def summary(driver: WebDriver, body_id: str) -> str:
    text: str = driver.execute_script(
        "const p = document.querySelector(`#${arguments[0]} .summary`); return p ? p.textContent : '';",
        body_id,
    )
    return text


_SORTED_BY = (
    "const b = document.querySelector(`#${arguments[0]} th[aria-sort=descending] button`);"
    "return b && b.dataset.sort;"
)


def amount(text: str) -> float:
    """``1 234,50 Kč`` as a number."""
    return float(text.replace("Kč", "").replace("\u00a0", "").replace(" ", "").replace(",", "."))


def test_staff_see_the_aging_chart_and_worklists_and_reach_a_customer_by_ean(
    browser: WebDriver,  # noqa: F811 -- the fixture imported above
    gateway: str,
) -> None:
    fields = staff_fields(gateway)

    # given the page, offline, with the demo key offered but not used until asked
    browser.get(f"{gateway}/dashboard")
    wait_for(browser, lambda d: d.find_element(By.ID, "api-key").get_attribute("value") == "demo-staff-key")
    assert browser.title == "Staff dashboard: customer portal gateway"
    assert browser.execute_script("return window.sessionStorage.length") == 0

    # when the staff key is entered
    enter_key(browser, "demo-staff-key")

    # then the key is accepted, kept in this tab only, and each panel answers
    wait_for(browser, lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-key") == "accepted")
    assert "demo staff" in browser.find_element(By.ID, "key-status").text
    assert browser.execute_script("return Object.values(window.sessionStorage)") == ["demo-staff-key"]
    assert browser.execute_script("return window.localStorage.length") == 0
    assert "demo-staff-key" not in browser.current_url
    states = {name: settled_state(browser, name) for name in PANELS}
    for name in PANELS:
        if FIELD_OF[name] in fields:
            assert states[name] == "ok", (name, status_text(browser, name))
        else:  # not on this gateway: the panel says so, the page goes on
            assert states[name] == "unavailable", (name, states[name])
            assert "Not available on this gateway" in status_text(browser, name)

    if "receivables" in fields:  # the aging chart: drawn, and its figures as a table
        assert browser.find_element(By.CSS_SELECTOR, ".chart-box").get_attribute("data-chart") == "drawn"
        drawn = browser.execute_script(
            "const c = Chart.getChart('aging-chart'); "
            "return c.data.datasets.map(d => d.data.reduce((a, b) => a + b, 0)).reduce((a, b) => a + b, 0);"
        )
        assert drawn > 0
        table = rows(browser, "receivables-table")
        assert [row[0] for row in table[:4]] == ["1–30 days", "31–60 days", "61–90 days", "over 90 days"]
        assert table[4][0] == "Overdue"

    if "overdueInvoices" in fields:  # paged, and sorted by the column asked, across pages
        total = int(summary(browser, "overdue-body").split()[0])
        overdue = rows(browser, "overdue-body")
        assert 0 < len(overdue) == min(total, 10)
        days = [int(row[4]) for row in overdue]
        assert days == sorted(days, reverse=True)  # DAYS_OVERDUE_DESC, the default
        browser.find_element(By.CSS_SELECTOR, "#overdue-body button[data-sort=amountDue]").click()
        wait_for(browser, lambda d: d.execute_script(_SORTED_BY, "overdue-body") == "amountDue")
        first_page = [amount(row[5]) for row in rows(browser, "overdue-body")]
        assert first_page == sorted(first_page, reverse=True)
        if total > 10:
            browser.find_element(By.XPATH, "//section[@id='overdue-panel']//button[.='Next page']").click()
            wait_for(browser, lambda d: "Page 2" in d.find_element(By.ID, "overdue-body").text)
            second_page = [amount(row[5]) for row in rows(browser, "overdue-body")]
            assert len(second_page) == min(total - 10, 10)
            assert second_page == sorted(second_page, reverse=True)
            assert max(second_page) <= min(first_page)

    if "requestQueue" in fields:  # open work by default, closed too when asked
        waiting = int(summary(browser, "queue-body").split()[0])
        assert {row[3] for row in rows(browser, "queue-body")} <= {"Open", "In progress"}
        Select(browser.find_element(By.ID, "queue-states")).select_by_value("")
        wait_for(browser, lambda d: "open and closed" in summary(d, "queue-body"))
        assert int(summary(browser, "queue-body").split()[0]) > waiting
    if "nominationStatus" in fields:
        assert "submitted" in browser.find_element(By.CSS_SELECTOR, "#nomination-body .summary").text

    # when searching for novak's EAN
    search = browser.find_element(By.ID, "search-query")
    search.send_keys(NOVAK_EAN)
    browser.find_element(By.CSS_SELECTOR, "#search-form button[type=submit]").click()
    state = wait_for(browser, lambda d: settled(d, "search"))

    if "searchCustomers" in fields:
        # then the one hit is novak, matched by the EAN, and his overview opens
        assert state == "ok", status_text(browser, "search")
        hits = browser.find_elements(By.CSS_SELECTOR, "#search-results .hits button")
        assert [hit.get_attribute("data-customer") for hit in hits] == [NOVAK]
        assert "Ean" in browser.find_element(By.ID, "search-results").text
        hits[0].click()
    else:  # not on this gateway: the panel says so, and a customer number still opens its customer
        assert state == "unavailable", status_text(browser, "search")
        assert "Not available on this gateway" in status_text(browser, "search")
        search.clear()
        search.send_keys(NOVAK)
        browser.find_element(By.CSS_SELECTOR, "#search-form button[type=submit]").click()

    wait_for(
        browser, lambda d: d.find_element(By.ID, "customer-panel").get_attribute("data-customer") == NOVAK
    )
    wait_for(browser, lambda d: settled(d, "customer"))
    assert settled(browser, "customer") == "ok", status_text(browser, "customer")
    assert browser.find_element(By.ID, "customer-title").text == f"Customer {NOVAK}: Jan Novák"
    overview = browser.find_element(By.ID, "customer-body").text
    assert NOVAK_EAN in overview
    assert "Invoices (" in overview and "Requests (" in overview

    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    browser.execute_script("window.scrollTo(0, 0)")
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(1600, min(int(height) + 120, 4000))  # the whole page in one picture
    browser.save_screenshot(str(SCREENSHOT))
    console_errors = [entry for entry in browser_log(browser, "browser") if entry["level"] == "SEVERE"]
    assert console_errors == []
    assert requested_hosts(browser) <= LOCAL_HOSTS


def test_the_dashboard_says_what_a_key_lacks_and_when_the_gateway_is_gone(
    browser: WebDriver,  # noqa: F811 -- the fixture imported above
    settings: Settings,
) -> None:
    with serve_in_thread(create_app(settings.model_copy(update={"dashboard": True}))) as base:
        fields = staff_fields(base)
        browser.get(f"{base}/dashboard")
        wait_for(browser, lambda d: d.find_element(By.ID, "api-key").is_displayed())

        # a key the gateway does not know: refused, not kept
        enter_key(browser, "no-such-key")
        wait_for(
            browser, lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-key") == "rejected"
        )
        assert "does not accept this key" in browser.find_element(By.ID, "key-status").text
        assert browser.execute_script("return window.sessionStorage.length") == 0

        # a SUPPORT key (when keys hold roles): the finance panels name the role they need
        enter_key(browser, "demo-support-key")
        key_state = wait_for(browser, key_checked)
        if "auditLog" in fields:  # staff roles have landed: the demo has a key per role
            assert key_state == "accepted"
        if key_state == "accepted" and "receivables" in fields:
            wait_for(browser, lambda d: settled(d, "receivables") and settled(d, "overdue"))
            assert settled(browser, "receivables") == "forbidden"
            assert "needs one of the roles FINANCE" in status_text(browser, "receivables")
            assert "this key has: SUPPORT" in status_text(browser, "receivables")
            assert settled(browser, "overdue") == "forbidden"
            if "requestQueue" in fields:
                assert wait_for(browser, lambda d: settled(d, "queue")) == "ok"

        enter_key(browser, "demo-staff-key")
        assert wait_for(browser, key_checked) == "accepted"

    # and when the gateway has gone: the panel says it cannot reach it and offers to try again
    browser.find_element(By.ID, "search-query").send_keys("Novák")
    browser.find_element(By.CSS_SELECTOR, "#search-form button[type=submit]").click()
    wait_for(browser, lambda d: settled(d, "search") == "error")
    assert "cannot be reached" in status_text(browser, "search")
    assert browser.find_elements(By.XPATH, "//div[@id='search-results']//button[.='Try again']")


def key_checked(driver: WebDriver) -> str | None:
    state = driver.find_element(By.TAG_NAME, "body").get_attribute("data-key")
    return state if state not in {None, "none", "checking"} else None
