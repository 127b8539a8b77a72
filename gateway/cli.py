"""The ``gateway`` command: ``serve``, ``demo``, and staff API keys."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import logging
import logging.config
import os
import sys
from collections.abc import Iterator, Sequence
from typing import Any

import uvicorn

from gateway.config import Settings
from gateway.observability.log_format import LogFormat, logging_config

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


def log_format(settings: Settings, command: str) -> LogFormat:
    """``GATEWAY_LOG_FORMAT``, else JSON for ``serve`` (a log collector reads it) and text for
    the rest (a person does)."""
    return settings.log_format or ("json" if command == "serve" else "text")


def server_options(settings: Settings, command: str = "serve") -> dict[str, Any]:
    """Uvicorn's options for the gateway (``serve`` and ``demo``). Its proxy headers are off:
    it would believe X-Forwarded-For from 127.0.0.1; the app believes only
    ``GATEWAY_TRUSTED_PROXIES`` (``gateway.http.forwarded``). Its logging is the gateway's,
    in every worker."""
    return {
        "host": settings.host,
        "port": settings.port,
        "log_level": settings.log_level,
        "log_config": logging_config(log_format(settings, command), settings.log_level),
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
    gateway = uvicorn.Server(uvicorn.Config(create_app(settings), **server_options(settings, "demo")))
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


def configure_logging(style: LogFormat = "text", level: str = "info") -> None:
    """Every logger to stderr in ``style``, the noisy ones quiet (``log_format.QUIET_LOGGERS``)."""
    logging.config.dictConfig(logging_config(style, level))


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
    args = parser.parse_args(argv)

    if args.command == "serve":
        settings = Settings()
        configure_logging(log_format(settings, "serve"), settings.log_level)
        _serve(settings)
    elif args.command == "demo":
        database_url = os.environ.get("GATEWAY_DATABASE_URL", "sqlite+aiosqlite:///var/demo.db")
        settings = Settings(demo=True, database_url=database_url)
        configure_logging(log_format(settings, "demo"), settings.log_level)
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(_demo(settings))
    elif args.command == "api-key":
        settings = Settings()
        configure_logging(log_format(settings, "api-key"), settings.log_level)
        asyncio.run(_api_key(settings, args.action, args))
    else:  # pragma: no cover -- argparse rejects it first
        parser.error(f"unknown command {args.command}")
    sys.exit(0)
