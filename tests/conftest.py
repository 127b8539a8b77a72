"""Suite-wide rules: in CI (``GATEWAY_TEST_FORBID_SKIPS=1``) a skipped test fails the run; the
browser tests (``tests/e2e/browser/``, Chromium) run only in ``make browser-test``
(``GATEWAY_BROWSER_TESTS=1``).

``make test`` runs the modules on one pytest-xdist worker per core (``-n auto --dist loadfile``).
Every worker has its own simulators, SQLite files and PostgreSQL databases or schemas (named by
its process id); Redis is one database per worker, counted down from the one
``GATEWAY_TEST_REDIS_URL`` names (``/15`` for worker 0, ``/14`` for worker 1, ...), because the
e2e fixtures flush it."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
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


@pytest.fixture(autouse=True)
def _logging_as_it_was() -> Iterator[None]:
    """Whatever a test's ``configure_logging`` (``logging.config.dictConfig``) set is undone: a
    handler it left on the root would write to the test's closed capture stream in later tests.
    pytest's own capturing handlers, added and removed around each phase, are left to pytest."""
    loggers = [logging.getLogger(), *logging.Logger.manager.loggerDict.values()]
    saved = [
        (logger, logger.level, _own(logger.handlers), logger.propagate, logger.disabled)
        for logger in loggers
        if isinstance(logger, logging.Logger)
    ]
    yield
    for logger, level, handlers, propagate, disabled in saved:
        logger.setLevel(level)
        logger.handlers[:] = [*handlers, *(h for h in logger.handlers if h not in _own(logger.handlers))]
        logger.propagate, logger.disabled = propagate, disabled


def _own(handlers: list[logging.Handler]) -> list[logging.Handler]:
    return [handler for handler in handlers if not type(handler).__module__.startswith("_pytest")]
