"""Suite-wide rules: in CI (``GATEWAY_TEST_FORBID_SKIPS=1``) a skipped test fails the run; the
browser tests (``tests/e2e/browser/``, Chromium) run only in ``make browser-test``
(``GATEWAY_BROWSER_TESTS=1``)."""

from __future__ import annotations

import os

import pytest

collect_ignore_glob = [] if os.environ.get("GATEWAY_BROWSER_TESTS") == "1" else ["e2e/browser/*"]


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if os.environ.get("GATEWAY_TEST_FORBID_SKIPS") != "1":
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter is not None else 0
    if skipped:
        print(f"\n{skipped} test(s) skipped, and GATEWAY_TEST_FORBID_SKIPS=1 forbids skipping.")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
