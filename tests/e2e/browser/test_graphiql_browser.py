"""GraphiQL in a real browser (Debian's Chromium through chromedriver): it loads with no network
beyond 127.0.0.1, logs in from its first tab, runs the README's query from the second, offers
the enum list ``status: [UNPAID, OVERDUE]`` in the Explorer, and logs no console error.

Outside ``make test``: ``make browser-test`` runs it (it needs chromium and chromium-driver);
the screenshot lands in ``var/browser/graphiql.png``.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from selenium import webdriver
from selenium.webdriver import Chrome as WebDriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.wait import WebDriverWait

from fixtures.server import serve_in_thread
from gateway.app import create_app
from gateway.config import Settings
from gateway.http.graphql import GRAPHIQL_ASSETS

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
SCREENSHOT = Path(__file__).resolve().parents[3] / "var" / "browser" / "graphiql.png"
LOCAL_HOSTS = {"127.0.0.1"}


@pytest.fixture
def browser() -> Iterator[WebDriver]:
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        pytest.fail("make browser-test needs Debian's chromium and chromium-driver (apt-get install)")
    if not (GRAPHIQL_ASSETS / "plugin-explorer" / "index.umd.js").exists():
        pytest.fail("GraphiQL's assets are not installed: run `make graphiql-assets` (needs npm)")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in (
        "--headless=new",
        "--no-sandbox",  # root in a container
        "--disable-dev-shm-usage",
        "--window-size=1600,1000",
        # no network beyond this machine: every other host name resolves to nothing
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=shutil.which(CHROMEDRIVER)))
    try:
        yield driver
    finally:
        driver.quit()


def wait_for(driver: WebDriver, condition: Callable[[WebDriver], Any], timeout: float = 30) -> Any:
    return WebDriverWait(driver, timeout, poll_frequency=0.2).until(condition)


def result_text(driver: WebDriver) -> str:
    return driver.find_element(By.CSS_SELECTOR, ".result-window").text


def run_tab(driver: WebDriver, index: int, expected: str) -> dict[str, Any]:
    tabs = driver.find_elements(By.CSS_SELECTOR, ".graphiql-tab-button")
    tabs[index].click()
    driver.find_element(By.CSS_SELECTOR, ".graphiql-execute-button").click()
    wait_for(driver, lambda d: expected in result_text(d))
    return json.loads(driver.execute_script(_RESULT_JSON))  # type: ignore[no-any-return]


# The result editor is a CodeMirror: its whole text, not only the lines on screen.
_RESULT_JSON = "return document.querySelector('.result-window .CodeMirror').CodeMirror.getValue();"


def browser_log(driver: WebDriver, kind: str) -> list[dict[str, Any]]:
    """Chromium's log of ``kind`` ("browser": the console; "performance": DevTools events)."""
    entries: list[dict[str, Any]] = driver.get_log(kind)  # type: ignore[no-untyped-call]
    return entries


def requested_hosts(driver: WebDriver) -> set[str]:
    hosts = set()
    for entry in browser_log(driver, "performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            url = message["params"]["request"]["url"]
            if not url.startswith(("data:", "blob:")):
                hosts.add(urlsplit(url).hostname or url)
    return hosts


def checked_values(lists: list[WebElement]) -> list[str]:
    return [
        box.get_attribute("aria-label") or ""
        for box in lists[0].find_elements(By.CSS_SELECTOR, "input[type=checkbox]")
        if box.is_selected()
    ]


def test_a_developer_logs_in_and_runs_the_sample_query_in_graphiql(
    browser: WebDriver, settings: Settings
) -> None:
    with serve_in_thread(create_app(settings)) as base:
        # given the page, offline
        browser.get(f"{base}/graphql")
        wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".graphiql-execute-button"))
        assert browser.title == "Zákaznický portál: GraphQL API"
        tabs = browser.find_elements(By.CSS_SELECTOR, ".graphiql-tab-button")
        assert [tab.text for tab in tabs] == ["Login", "<untitled>", "<untitled>"]

        # when logging in from the first tab
        login = run_tab(browser, 0, '"token"')

        # then the session cookie is set and the sample query answers for that user
        assert login["data"]["login"]["errors"] == []
        assert login["data"]["login"]["viewer"]["login"] == "novak"
        sample = run_tab(browser, 1, '"totalCount"')
        assert "errors" not in sample, sample
        customer = sample["data"]["customer"]
        assert customer["name"]
        assert all(edge["node"]["status"] in {"UNPAID", "OVERDUE"} for edge in customer["invoices"]["edges"])

        # and the Explorer offers the enum list as values to tick
        browser.find_element(By.CSS_SELECTOR, "[aria-label='Show GraphiQL Explorer']").click()
        lists = wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".gateway-enum-list"))
        assert sorted(checked_values(lists)) == ["OVERDUE", "UNPAID"]
        lists[0].find_element(By.CSS_SELECTOR, "input[aria-label='PAID']").click()
        wait_for(browser, lambda d: "[UNPAID, OVERDUE, PAID]" in d.execute_script(_QUERY_TEXT))

        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        browser.save_screenshot(str(SCREENSHOT))
        console_errors = [entry for entry in browser_log(browser, "browser") if entry["level"] == "SEVERE"]
        assert console_errors == []
        assert requested_hosts(browser) <= LOCAL_HOSTS


_QUERY_TEXT = "return document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.getValue();"
