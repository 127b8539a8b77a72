"""Suite-wide rules: in CI (``GATEWAY_TEST_FORBID_SKIPS=1``) a skipped test fails the run."""

from __future__ import annotations

import os

import pytest


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if os.environ.get("GATEWAY_TEST_FORBID_SKIPS") != "1":
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter is not None else 0
    if skipped:
        print(f"\n{skipped} test(s) skipped, and GATEWAY_TEST_FORBID_SKIPS=1 forbids skipping.")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
