"""The ``gateway`` command: ``serve``, ``demo``, and staff API keys."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import sys
from collections.abc import Iterator, Sequence

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


def _serve(settings: Settings) -> None:
    uvicorn.run(
        "gateway.app:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        log_level=settings.log_level,
        proxy_headers=True,
    )


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
    gateway = uvicorn.Server(
        uvicorn.Config(
            create_app(settings), host=settings.host, port=settings.port, log_level=settings.log_level
        )
    )
    try:
        await gateway.serve()
    finally:
        for server in simulators:
            server.should_exit = True
        await asyncio.gather(*tasks, return_exceptions=True)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="gateway", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("serve", help="serve the gateway (settings from GATEWAY_* variables)")
    commands.add_parser("demo", help="serve the gateway with the simulated back ends and demo data")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    if args.command == "serve":
        _serve(Settings())
    elif args.command == "demo":
        database_url = os.environ.get("GATEWAY_DATABASE_URL", "sqlite+aiosqlite:///var/demo.db")
        settings = Settings(demo=True, database_url=database_url)
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(_demo(settings))
    else:  # pragma: no cover -- argparse rejects it first
        parser.error(f"unknown command {args.command}")
    sys.exit(0)
