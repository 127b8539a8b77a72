"""The npm packages some tests run (under ``node``), each in a folder of its own with a committed
``package.json`` and ``package-lock.json``; ``node_modules`` is git-ignored.

``make test`` installs them (``npm ci``); a test run without make installs a missing one
the same way. Only a machine without ``node`` skips those tests, and not in CI
(``GATEWAY_TEST_FORBID_SKIPS=1``), where such a skip fails the run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest


def node_package(folder: Path) -> Path:
    """``folder`` with its ``node_modules`` installed; skips (or fails in CI) without node and npm."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        message = "node and npm are not installed: this test runs an npm package"
        if os.environ.get("GATEWAY_TEST_FORBID_SKIPS") == "1":
            pytest.fail(message)
        pytest.skip(message)
    if not (folder / "node_modules").is_dir():
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", "--silent"],  # noqa: S607
            cwd=folder,
            check=True,
            timeout=300,
        )
    return folder
