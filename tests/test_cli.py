"""The ``gateway`` command as a new user meets it, run as a subprocess: a bad setting or
argument is one line naming it and exit status 2, never a traceback."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from gateway.cli import DEMO_DATABASE_URL, demo_settings
from gateway.config import Settings, unknown_variables, variable
from gateway.permissions import StaffRole
from gateway.store.api_keys import resolve_api_key, roles_of
from gateway.store.db import create_engine, create_sessionmaker, transaction

REPO = Path(__file__).resolve().parents[1]
SECRET_KEY = "a-secret-of-our-own-for-the-tests"


def gateway(
    *args: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """``python -m gateway ARGS`` in ``cwd`` with only ``env``'s GATEWAY_* variables."""
    clean = {key: value for key, value in os.environ.items() if not key.startswith("GATEWAY_")}
    clean["PYTHONPATH"] = str(REPO)
    return subprocess.run(  # noqa: S603 -- our own interpreter and module
        [sys.executable, "-m", "gateway", *args],
        cwd=cwd,
        env={**clean, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def assert_one_clear_line(result: subprocess.CompletedProcess[str], *, naming: str) -> str:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    errors = lines(result.stderr)
    assert len(errors) == 1, errors
    assert errors[0].startswith("gateway: ")
    assert naming in errors[0]
    return errors[0]


def test_a_port_that_is_not_a_number_is_one_line_naming_the_variable(tmp_path: Path) -> None:
    result = gateway("serve", cwd=tmp_path, env={"GATEWAY_PORT": "abc", "GATEWAY_SECRET_KEY": SECRET_KEY})

    line = assert_one_clear_line(result, naming="GATEWAY_PORT")
    assert "'abc'" in line
    assert "integer" in line


@pytest.mark.parametrize(
    "url",
    [
        "nonsense",
        "postgres://portal:hunter2-secret@db.example/portal",  # no async driver
        "sqlite:///var/gateway.db",
        "postgresql+asyncpg://portal:hunter2-secret@db.example:abc/portal",  # a port that is no number
        "postgresql+asyncpg://portal@db.example",  # no database
    ],
)
def test_a_malformed_database_url_is_one_line_naming_the_variable_without_its_password(
    tmp_path: Path, url: str
) -> None:
    result = gateway(
        "serve", cwd=tmp_path, env={"GATEWAY_DATABASE_URL": url, "GATEWAY_SECRET_KEY": SECRET_KEY}
    )

    line = assert_one_clear_line(result, naming="GATEWAY_DATABASE_URL")
    assert "postgresql+asyncpg://" in line  # says what a good one looks like
    assert "hunter2" not in result.stderr + result.stdout
    assert not (tmp_path / "var").exists()  # nothing was created


def test_outside_demo_mode_a_missing_secret_key_is_one_line_naming_it(tmp_path: Path) -> None:
    result = gateway("serve", cwd=tmp_path, env={"GATEWAY_DEMO": "false"})

    line = assert_one_clear_line(result, naming="GATEWAY_SECRET_KEY")
    assert "GATEWAY_DEMO" in line


def test_several_bad_settings_are_a_line_each(tmp_path: Path) -> None:
    result = gateway(
        "serve", cwd=tmp_path, env={"GATEWAY_PORT": "70000", "GATEWAY_LOG_LEVEL": "loud", "GATEWAY_DEMO": "1"}
    )

    assert result.returncode == 2
    errors = lines(result.stderr)
    assert [line.split("=")[0] for line in errors] == ["gateway: GATEWAY_PORT", "gateway: GATEWAY_LOG_LEVEL"]


def test_a_misspelt_setting_is_warned_about_with_the_likely_name(tmp_path: Path) -> None:
    # given a misspelt variable (and a missing secret key, so that serve stops before serving)
    result = gateway("serve", cwd=tmp_path, env={"GATEWAY_PROT": "9000"})

    # then
    assert "GATEWAY_PROT is not a setting (did you mean GATEWAY_PORT?)" in result.stderr
    assert result.returncode == 2


def test_a_misspelt_setting_in_the_env_file_is_warned_about(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("GATEWAY_DATABSE_URL=sqlite+aiosqlite:///x.db\nGATEWAY_PORT=9000\n")

    warnings = unknown_variables({"GATEWAY_TEST_REDIS_URL": "redis://", "HOME": "/"}, tmp_path / ".env")

    assert warnings == [
        "GATEWAY_DATABSE_URL is not a setting (did you mean GATEWAY_DATABASE_URL?); it is ignored"
    ]


@pytest.mark.parametrize(("workers", "reuse_port"), [("1", False), ("2", False), ("2", True)])
def test_a_taken_port_stops_serve_before_it_says_ready(
    tmp_path: Path, workers: str, reuse_port: bool
) -> None:
    # given something already listening on the port; with two workers (a socket each, sharing
    # the port by SO_REUSEPORT) also a server that would share it likewise
    with socket.socket() as taken:
        if reuse_port:
            taken.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]

        # when
        result = gateway(
            "serve",
            cwd=tmp_path,
            env={"GATEWAY_PORT": str(port), "GATEWAY_DEMO": "true", "GATEWAY_WORKERS": workers},
        )

    # then
    line = assert_one_clear_line(result, naming=f"GATEWAY_PORT={port}")
    assert "taken" in line
    assert "ready" not in (result.stdout + result.stderr).lower()
    assert not (tmp_path / "var").exists()  # the store was not even prepared


def test_revoking_a_key_that_does_not_exist_is_one_line(tmp_path: Path) -> None:
    result = gateway("api-key", "revoke", "999", cwd=tmp_path)

    line = assert_one_clear_line(result, naming="999")
    assert "api-key list" in line


async def test_a_key_created_for_the_demo_is_in_the_demo_database(tmp_path: Path) -> None:
    # when a key is made with --demo
    created = gateway("api-key", "--demo", "create", "dashboards", "--role", "SUPPORT", cwd=tmp_path)

    # then it is printed once and is a valid key in the database `gateway demo` serves from
    assert created.returncode == 0, created.stderr
    raw = next(line for line in created.stdout.splitlines() if line.startswith("gwk_"))
    assert DEMO_DATABASE_URL in created.stdout  # it says where it went
    demo_url = DEMO_DATABASE_URL.replace("///var/", f"///{tmp_path}/var/")
    engine = create_engine(demo_url)
    try:
        async with transaction(create_sessionmaker(engine)) as db:
            assert await resolve_api_key(db, raw_key=raw) is not None
    finally:
        await engine.dispose()
    # and the gateway's own database (no --demo) does not have it
    listed = gateway("api-key", "list", cwd=tmp_path)
    assert listed.returncode == 0
    assert "dashboards" not in listed.stdout
    assert "dashboards" in gateway("api-key", "--demo", "list", cwd=tmp_path).stdout


async def test_a_key_is_created_with_its_roles_and_listed_with_them(tmp_path: Path) -> None:
    # when: a key with two roles (any case, one given twice), and one with a single role
    created = gateway(
        "api-key",
        "create",
        "month end",
        "--role",
        "finance",
        "--role",
        "AUDITOR",
        "--role",
        "FINANCE",
        cwd=tmp_path,
    )
    gateway("api-key", "create", "desk", "--role", "SUPPORT", cwd=tmp_path)
    listed = gateway("api-key", "list", cwd=tmp_path)

    # then: the key holds them, each once; the list shows each key's roles, never its value
    assert created.returncode == 0, created.stderr
    assert "roles FINANCE,AUDITOR" in created.stdout
    raw = next(line for line in created.stdout.splitlines() if line.startswith("gwk_"))
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/var/gateway.db")
    try:
        async with transaction(create_sessionmaker(engine)) as db:
            key = await resolve_api_key(db, raw_key=raw)
            assert key is not None
            assert roles_of(key) == {StaffRole.FINANCE, StaffRole.AUDITOR}
    finally:
        await engine.dispose()
    assert listed.returncode == 0, listed.stderr
    rows = {line.split()[1]: line for line in listed.stdout.splitlines()[1:]}
    assert "FINANCE,AUDITOR" in rows["month"]
    assert "SUPPORT" in rows["desk"] and "FINANCE" not in rows["desk"]
    assert raw not in listed.stdout


def test_an_unknown_role_is_one_line_naming_it_and_the_roles(tmp_path: Path) -> None:
    result = gateway("api-key", "create", "desk", "--role", "SUPPORT", "--role", "ADMIN", cwd=tmp_path)

    line = assert_one_clear_line(result, naming="'ADMIN'")
    assert "SUPPORT, FINANCE, OPERATIONS, AUDITOR" in line
    assert not (tmp_path / "var").exists()  # refused before the store was touched


def test_a_key_without_a_role_is_one_line_asking_for_one(tmp_path: Path) -> None:
    result = gateway("api-key", "create", "desk", cwd=tmp_path)

    line = assert_one_clear_line(result, naming="--role")
    assert "at least one" in line
    assert not (tmp_path / "var").exists()


def test_help_reads_as_text_and_serve_help_lists_every_setting(tmp_path: Path) -> None:
    top = gateway("--help", cwd=tmp_path)
    serve = gateway("serve", "--help", cwd=tmp_path)

    assert top.returncode == serve.returncode == 0
    assert "``" not in top.stdout + serve.stdout
    for name in Settings.model_fields:
        assert variable(name) in serve.stdout


def test_serve_runs_a_worker_per_core_with_redis_one_without_unless_told() -> None:
    shared = "redis://127.0.0.1:6379/0"
    assert Settings(redis_url=shared).worker_processes == len(os.sched_getaffinity(0))
    assert Settings(redis_url=None).worker_processes == 1  # per-process limits must not multiply
    assert Settings(workers=3).worker_processes == 3


def test_the_demo_serves_the_staff_dashboard_unless_told_otherwise(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no .env
    monkeypatch.delenv("GATEWAY_DASHBOARD", raising=False)
    assert Settings().dashboard is False  # gateway serve: off unless set
    assert demo_settings().dashboard is True

    monkeypatch.setenv("GATEWAY_DASHBOARD", "false")
    assert demo_settings().dashboard is False
    monkeypatch.setenv("GATEWAY_DASHBOARD", "true")
    assert Settings().dashboard is True
