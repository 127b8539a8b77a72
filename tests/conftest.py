"""Suite-wide rules: in CI (``GATEWAY_TEST_FORBID_SKIPS=1``) a skipped test fails the run; the
browser tests (``tests/e2e/browser/``, Chromium) run only in ``make browser-test``
(``GATEWAY_BROWSER_TESTS=1``).

``make test`` runs the modules on one pytest-xdist worker per core (``-n auto --dist loadfile``).
Every worker has its own simulators, SQLite files and PostgreSQL databases or schemas (named by
its process id); Redis is one database per worker, counted down from the one
``GATEWAY_TEST_REDIS_URL`` names (``/15`` for worker 0, ``/14`` for worker 1, ...), because the
e2e fixtures flush it."""

from __future__ import annotations

import os
from urllib.parse import urlsplit

import pytest


def _redis_database_of_this_worker() -> None:
    url = os.environ.get("GATEWAY_TEST_REDIS_URL")
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    if not url or worker == "gw0":
        return
    parts = urlsplit(url)
    mine = int(parts.path.strip("/") or 0) - int(worker.removeprefix("gw"))
    if mine < 0:
        raise pytest.UsageError(f"GATEWAY_TEST_REDIS_URL: no Redis database left for {worker} below it")
    os.environ["GATEWAY_TEST_REDIS_URL"] = parts._replace(path=f"/{mine}").geturl()


_redis_database_of_this_worker()

collect_ignore_glob = [] if os.environ.get("GATEWAY_BROWSER_TESTS") == "1" else ["e2e/browser/*"]


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if os.environ.get("GATEWAY_TEST_FORBID_SKIPS") != "1":
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter is not None else 0
    if skipped:
        print(f"\n{skipped} test(s) skipped, and GATEWAY_TEST_FORBID_SKIPS=1 forbids skipping.")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
