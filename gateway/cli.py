"""The ``gateway`` command: ``serve``, ``demo``, staff API keys, and the schema artifact."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import logging
import os
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import uvicorn

from gateway.config import Settings

DEMO_LOGINS = (
    ("novak", "household 1000012345: electricity (combined, D02d, 3x25 A) and gas, an overdue invoice"),
    ("svobodova", "household: one electricity point on a supply-only contract"),
    ("pekarna", "business: 25 supply points, over 600 invoices"),
    ("teplarna", "large consumer: nomination"),
    ("poradce", "third party: VIEW_BILLING on novak's customer number"),
    ("novak2", "a second account with novak's e-mail, to merge"),
)
DEMO_PASSWORD = "Demo-heslo-2026"  # noqa: S105 -- the published demo password
SIMULATOR_PORTS = {"billing": 8101, "crm": 8102, "nomination": 8103}


class _EmbeddedServer(uvicorn.Server):
    """A server that leaves signals to the main one."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def server_options(settings: Settings) -> dict[str, Any]:
    """Uvicorn's options for the gateway (``serve`` and ``demo``). Its proxy headers are off:
    it would believe X-Forwarded-For from 127.0.0.1; the app believes only
    ``GATEWAY_TRUSTED_PROXIES`` (``gateway.http.forwarded``)."""
    return {
        "host": settings.host,
        "port": settings.port,
        "log_level": settings.log_level,
        "proxy_headers": False,
        "access_log": False,  # gateway.http.access_log writes it, without signatures and documents
    }


def _serve(settings: Settings) -> None:
    uvicorn.run("gateway.app:create_app", factory=True, workers=settings.workers, **server_options(settings))


async def _demo(settings: Settings) -> None:
    from fixtures.apps import create_simulators  # noqa: PLC0415 -- demo only: the product never needs them
    from gateway.app import create_app  # noqa: PLC0415

    simulators = [
        _EmbeddedServer(
            uvicorn.Config(app, host=settings.host, port=SIMULATOR_PORTS[name], log_level="warning")
        )
        for name, app in create_simulators().items()
    ]
    tasks = [asyncio.create_task(server.serve()) for server in simulators]
    while not all(server.started for server in simulators):
        if any(task.done() for task in tasks):
            raise SystemExit("a simulator could not start: is its port (8101-8103) taken?")
        await asyncio.sleep(0.05)
    host = f"http://{settings.host}:{settings.port}"
    print(f"\nGraphiQL:    {host}/graphql")
    print(f"Simulators:  billing {settings.billing_url}, CRM {settings.crm_url},")
    print(f"             nomination {settings.nomination_url}")
    print(f"Demo logins (password {DEMO_PASSWORD}):")
    for login, what in DEMO_LOGINS:
        print(f"  {login:<10} {what}")
    print("Staff API key: demo-staff-key (header X-API-Key)\n", flush=True)
    gateway = uvicorn.Server(uvicorn.Config(create_app(settings), **server_options(settings)))
    try:
        await gateway.serve()
    finally:
        for server in simulators:
            server.should_exit = True
        await asyncio.gather(*tasks, return_exceptions=True)


async def _api_key(settings: Settings, action: str, args: argparse.Namespace) -> None:
    """Staff keys in ``settings.database_url``; only the key's hash is stored."""
    from gateway.store import api_keys  # noqa: PLC0415 -- keeps ``gateway serve`` start-up lean
    from gateway.store.db import create_engine, create_sessionmaker, transaction  # noqa: PLC0415
    from gateway.store.migrate import upgrade_to_head  # noqa: PLC0415

    engine = create_engine(settings.database_url)
    try:
        await upgrade_to_head(engine)
        now = dt.datetime.now(dt.UTC)
        async with transaction(create_sessionmaker(engine)) as db:
            if action == "create":
                raw, key = await api_keys.create_api_key(db, name=args.name, now=now)
                print(f"id {key.id}  name {key.name}\n{raw}\n(shown once: store it now)")
            elif action == "revoke":
                await api_keys.revoke_api_key(db, key_id=args.id, now=now)
                print(f"revoked {args.id}")
            else:
                for key in await api_keys.list_api_keys(db):
                    state = f"revoked {key.revoked_at:%Y-%m-%d}" if key.revoked_at else "active"
                    print(f"{key.id:>5}  {key.name:<30}  created {key.created_at:%Y-%m-%d}  {state}")
    finally:
        await engine.dispose()


def _git(*args: str) -> str | None:
    """``git args`` in the current directory; None when it fails (no repository, no such
    revision or file)."""
    done = subprocess.run(["git", *args], capture_output=True, text=True, check=False)  # noqa: S603, S607
    return done.stdout if done.returncode == 0 else None


def schema_base() -> str | None:
    """The commit to compare the schema with: the previous commit of main when this is main
    (its first parent), else where this branch left main; None without either."""
    head, main = _git("rev-parse", "HEAD"), _git("rev-parse", "--verify", "-q", "main")
    if head is None or main is None:
        return None
    if head == main:
        return (_git("rev-parse", "--verify", "-q", "HEAD~1") or "").strip() or None
    return (_git("merge-base", "HEAD", "main") or "").strip() or None


def _schema_check(base: str | None) -> int:
    from gateway.schema import artifact  # noqa: PLC0415 -- imports the whole schema

    base = base or schema_base()
    old = _git("show", f"{base}:{artifact.SCHEMA_FILE}") if base else None
    if old is None:
        print(f"no previous {artifact.SCHEMA_FILE} (base {base or 'none'}): nothing to compare")
        return 0
    changelog = Path(artifact.CHANGELOG_FILE)
    declarations = artifact.new_changelog_lines(
        changelog.read_text(encoding="utf-8") if changelog.exists() else "",
        _git("show", f"{base}:{artifact.CHANGELOG_FILE}"),
    )
    changes = artifact.compare(old, artifact.printed_schema(), declarations=declarations)
    print(artifact.report(changes, base=base or ""))
    return 0 if changes.ok else 1


# A line per back-end call, per migration plugin, per SQL statement (with its parameters,
# password and token hashes among them), per SOAP envelope (zeep's DEBUG lines carry the
# WS-Security password and every value sent, a bank account included): noise at best.
QUIET_LOGGERS = ("httpx", "httpcore", "alembic", "aiosqlite", "sqlalchemy.engine", "zeep")


def configure_logging() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for noisy in QUIET_LOGGERS:
        logging.getLogger(noisy).setLevel(logging.WARNING)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="gateway", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("serve", help="serve the gateway (settings from GATEWAY_* variables)")
    commands.add_parser("demo", help="serve the gateway with the simulated back ends and demo data")
    keys = commands.add_parser("api-key", help="staff API keys (read-only, audited)").add_subparsers(
        dest="action", required=True
    )
    keys.add_parser("create", help="create a key; prints the raw key once").add_argument("name")
    keys.add_parser("revoke", help="revoke a key by its id").add_argument("id", type=int)
    keys.add_parser("list", help="list the keys (never their values)")
    schema = commands.add_parser("schema", help="the GraphQL schema as an artifact").add_subparsers(
        dest="action", required=True
    )
    schema.add_parser("print", help="print the schema in SDL (what schema.graphql holds)")
    schema.add_parser(
        "check", help="fail on a breaking change since the previous main not declared in CHANGELOG.md"
    ).add_argument("--base", help="the commit to compare with (default: previous main, or the merge base)")
    args = parser.parse_args(argv)
    if args.command == "schema":  # prints only the schema: no logging set up, nothing started
        from gateway.schema.artifact import printed_schema  # noqa: PLC0415

        if args.action == "print":
            sys.stdout.write(printed_schema())
            sys.exit(0)
        sys.exit(_schema_check(args.base))
    configure_logging()

    if args.command == "serve":
        _serve(Settings())
    elif args.command == "demo":
        database_url = os.environ.get("GATEWAY_DATABASE_URL", "sqlite+aiosqlite:///var/demo.db")
        settings = Settings(demo=True, database_url=database_url)
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(_demo(settings))
    elif args.command == "api-key":
        asyncio.run(_api_key(Settings(), args.action, args))
    else:  # pragma: no cover -- argparse rejects it first
        parser.error(f"unknown command {args.command}")
    sys.exit(0)
