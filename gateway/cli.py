"""The gateway command: serve the gateway, run the demo, manage staff API keys, print and
check the schema artifact (gateway schema print|check).

Settings come from GATEWAY_* environment variables (or a .env file): `gateway serve --help`
lists them. A setting or argument that cannot work stops the command with one line naming it
and exit status 2, before anything is served.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import errno
import logging
import logging.config
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import uvicorn
from pydantic.fields import FieldInfo
from uvicorn.config import STARTUP_FAILURE
from uvicorn.supervisors import Multiprocess
from uvicorn.supervisors.multiprocess import Process

from gateway.config import (
    Settings,
    SettingsError,
    load_settings,
    serving_problems,
    unknown_variables,
    variable,
)
from gateway.observability.log_format import LogFormat, logging_config

if TYPE_CHECKING:
    from gateway.permissions import StaffRole

log = logging.getLogger("gateway")

DEMO_LOGINS = (
    ("novak", "household 1000012345: electricity (combined, D02d, 3x25 A) and gas, an overdue invoice"),
    ("svobodova", "household: one electricity point on a supply-only contract"),
    ("pekarna", "business: 25 supply points, over 600 invoices"),
    ("teplarna", "large consumer: nomination"),
    ("poradce", "third party: VIEW_BILLING on novak's customer number"),
    ("novak2", "a second account with novak's e-mail, to merge"),
)
DEMO_STAFF_KEYS = (  # gateway.store.demo.DEMO_KEYS, as the banner shows them
    ("demo-staff-key", "every role"),
    ("demo-support-key", "SUPPORT: any customer, search, request queue"),
    ("demo-finance-key", "FINANCE: SUPPORT plus receivables and overdue invoices"),
    ("demo-operations-key", "OPERATIONS: SUPPORT plus nomination status"),
    ("demo-auditor-key", "AUDITOR: the audit log only"),
)
DEMO_PASSWORD = "Demo-heslo-2026"  # noqa: S105 -- the published demo password
DEMO_DATABASE_URL = "sqlite+aiosqlite:///var/demo.db"
SIMULATOR_PORTS = {"billing": 8101, "crm": 8102, "nomination": 8103}
USAGE_ERROR = 2  # argparse's status for a bad argument; the same for a bad setting


class CommandError(Exception):
    """The command cannot do what was asked: one line for the user, exit status 2."""


class _EmbeddedServer(uvicorn.Server):
    """A server that leaves signals to the main one."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


class _Workers(Multiprocess):
    """Uvicorn's supervisor of the workers (it replaces one that dies, and all of them one by
    one on SIGHUP), with one listening socket per worker (``worker_sockets``): worker *i*, and
    whichever replaces it, serves socket *i* only. It also tells the metrics when a worker is
    gone, so its live gauges leave every scrape's sums."""

    def __init__(self, config: uvicorn.Config, sockets: list[socket.socket]) -> None:
        super().__init__(config, sockets)
        self._pids: set[int] = set()

    def _worker(self, index: int) -> Process:
        return Process(self.config, [self.sockets[index]])

    def init_processes(self) -> None:
        for index in range(self.processes_num):
            process = self._worker(index)
            process.start()
            self.processes.append(process)

    def restart_all(self) -> None:
        for index, old in enumerate(self.processes):
            if self.should_exit.is_set():
                return
            new = self._worker(index)
            new.start()
            if not new.wait_until_ready(self.config.timeout_worker_healthcheck, self.should_exit):
                new.kill()
                new.join()
                log.error("worker %s was not ready in time; keeping %s, restart abandoned", new.pid, old.pid)
                return
            old.terminate()
            old.join()
            self.processes[index] = new

    def keep_subprocess_alive(self) -> None:
        from gateway.metrics import forget_worker  # noqa: PLC0415 -- after PROMETHEUS_MULTIPROC_DIR is set

        for index, process in enumerate(self.processes):
            if self.should_exit.is_set():
                return
            if process.is_alive(timeout=self.config.timeout_worker_healthcheck):
                continue
            process.kill()  # hung, or already gone
            process.join()
            if process.exitcode == STARTUP_FAILURE:  # it would fail the same way again
                log.error("worker %s failed to start: stopping", process.pid)
                self.should_exit.set()
                return
            log.info("worker %s died: replaced", process.pid)
            replacement = self._worker(index)
            replacement.start()
            self.processes[index] = replacement
        alive = {process.pid for process in self.processes if process.pid is not None}
        for pid in self._pids - alive:
            forget_worker(pid)
        self._pids = alive


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


def _reach_store(settings: Settings) -> None:
    """Wait for the database before serving (``gateway.store.db.wait_for_store``); when it
    never answers, one line and exit status 1, not the lifespan's traceback."""
    from gateway.store.db import StoreUnreachable, create_engine, wait_for_store  # noqa: PLC0415

    async def reach() -> None:
        engine = create_engine(settings.database_url)
        try:
            await wait_for_store(engine, for_seconds=settings.database_startup_seconds)
        finally:
            await engine.dispose()

    try:
        asyncio.run(reach())
    except StoreUnreachable as error:
        sys.exit(f"gateway: cannot start: {error}; check GATEWAY_DATABASE_URL")


def bind(host: str, port: int, *, reuse_port: bool = False) -> socket.socket:
    """The listening socket, bound before anything starts: a port that is taken stops the
    command before the app says it is ready. ``reuse_port``: one of several on the port."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if reuse_port:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        sock.bind((host, port))
    except OSError as error:
        sock.close()
        if error.errno in (errno.EADDRINUSE, errno.EACCES):
            reason = "is taken" if error.errno == errno.EADDRINUSE else "needs privileges this user lacks"
            raise CommandError(f"GATEWAY_PORT={port}: {host}:{port} {reason}; choose another port") from None
        raise CommandError(f"GATEWAY_HOST={host!r}: cannot listen there ({error.strerror})") from None
    sock.set_inheritable(True)
    return sock


def worker_sockets(host: str, port: int, workers: int) -> list[socket.socket]:
    """One listening socket per worker, all on the port (``SO_REUSEPORT``): the kernel spreads
    new connections over them by their addresses, where on one shared socket whichever worker
    wakes first takes all that wait (16 connections opened at once could all land on one
    worker, the other idle). The supervisor keeps each open for its worker's replacement, so
    connections that arrive meanwhile wait in its queue rather than fail. The port is first
    bound alone, so that another server on it stops the command rather than shares its port."""
    if workers == 1:
        return [bind(host, port)]
    bind(host, port).close()
    return [bind(host, port, reuse_port=True) for _ in range(workers)]


@contextlib.contextmanager
def _worker_metrics(workers: int) -> Iterator[None]:
    """Several workers share their metrics through files in ``PROMETHEUS_MULTIPROC_DIR``
    (``gateway.metrics``): the one given (one worker too, then), emptied, or a temporary one
    removed at the end."""
    from gateway.metrics import MULTIPROC_DIR, prepare_multiprocess_dir  # noqa: PLC0415

    given = os.environ.get(MULTIPROC_DIR)
    if workers == 1 and not given:
        yield
        return
    directory = Path(given) if given else Path(tempfile.mkdtemp(prefix="gateway-metrics-"))
    prepare_multiprocess_dir(directory)
    try:
        yield
    finally:
        if not given:
            shutil.rmtree(directory, ignore_errors=True)


def _prepare_store(settings: Settings) -> None:
    """Migrations (and the demo accounts) once, in this process, before any worker starts."""
    from sqlalchemy.exc import SQLAlchemyError  # noqa: PLC0415 -- keeps --help fast

    from gateway.store.prepare import prepare_database  # noqa: PLC0415

    try:
        asyncio.run(prepare_database(settings.database_url, demo=settings.demo))
    except (OSError, SQLAlchemyError) as error:
        reason = str(getattr(error, "orig", None) or error).splitlines()[0][:200]
        raise CommandError(
            f"GATEWAY_DATABASE_URL={_shown_url(settings.database_url)!r}: the database cannot be "
            f"prepared ({type(error).__name__}: {reason})"
        ) from None


def _serve(settings: Settings) -> None:
    workers = settings.worker_processes
    sockets = worker_sockets(settings.host, settings.port, workers)
    _reach_store(settings)
    _prepare_store(settings)
    config = uvicorn.Config(
        "gateway.app:create_app",
        factory=True,
        workers=workers,
        **server_options(settings),  # its log_config: each worker configures its logging afresh from it
    )
    with _worker_metrics(workers):
        if workers == 1:
            uvicorn.Server(config).run(sockets=sockets)
        else:
            _Workers(config, sockets=sockets).run()


async def _demo(settings: Settings) -> None:
    from fixtures.apps import create_simulators  # noqa: PLC0415 -- demo only: the product never needs them
    from gateway.app import create_app  # noqa: PLC0415

    sock = bind(settings.host, settings.port)
    simulators = [
        _EmbeddedServer(
            uvicorn.Config(app, host=settings.host, port=SIMULATOR_PORTS[name], log_level="warning")
        )
        for name, app in create_simulators().items()
    ]
    tasks = [asyncio.create_task(server.serve()) for server in simulators]
    while not all(server.started for server in simulators):
        if any(task.done() for task in tasks):
            raise CommandError("a simulator could not start: is one of its ports (8101-8103) taken?")
        await asyncio.sleep(0.05)
    host = f"http://{settings.host}:{settings.port}"
    print(f"\nGraphiQL:    {host}/graphql")
    if settings.dashboard:
        print(f"Dashboard:   {host}/dashboard (staff key demo-staff-key)")
    print(f"Simulators:  billing {settings.billing_url}, CRM {settings.crm_url},")
    print(f"             nomination {settings.nomination_url}")
    print(f"Demo logins (password {DEMO_PASSWORD}):")
    for login, what in DEMO_LOGINS:
        print(f"  {login:<10} {what}")
    print("Staff API keys (header X-API-Key):")
    for key, what in DEMO_STAFF_KEYS:
        print(f"  {key:<20} {what}")
    print(flush=True)
    gateway = uvicorn.Server(uvicorn.Config(create_app(settings), **server_options(settings, "demo")))
    try:
        await gateway.serve(sockets=[sock])
    finally:
        for server in simulators:
            server.should_exit = True
        await asyncio.gather(*tasks, return_exceptions=True)


def demo_settings() -> Settings:
    """``gateway demo``'s settings: demo mode on the demo's database, and the staff dashboard
    on unless ``GATEWAY_DASHBOARD`` says otherwise."""
    settings = load_settings(demo=True, database_url=demo_database_url())
    if "dashboard" not in settings.model_fields_set:
        settings = settings.model_copy(update={"dashboard": True})
    return settings


def demo_database_url() -> str:
    """The demo's database: ``GATEWAY_DATABASE_URL`` when set, else ``var/demo.db``."""
    return os.environ.get(variable("database_url"), DEMO_DATABASE_URL)


def _shown_url(url: str) -> str:
    from sqlalchemy.engine import make_url  # noqa: PLC0415

    return make_url(url).render_as_string(hide_password=True)


def _staff_roles(given: Sequence[str] | None) -> list[StaffRole]:
    """``--role`` values as ``StaffRole``s: at least one, each a role's name (any case)."""
    from gateway.permissions import StaffRole  # noqa: PLC0415 -- keeps ``gateway --help`` lean

    known = ", ".join(role.value for role in StaffRole)
    if not given:
        raise CommandError(f"api-key create: give the key at least one --role ({known})")
    roles = []
    for name in given:
        try:
            roles.append(StaffRole(name.strip().upper()))
        except ValueError:
            raise CommandError(f"api-key create: there is no role {name!r} (roles: {known})") from None
    return roles


async def _api_key(settings: Settings, args: argparse.Namespace) -> None:
    """Staff keys in ``settings.database_url``; only the key's hash is stored."""
    from gateway.errors import NotFound  # noqa: PLC0415 -- keeps ``gateway --help`` lean
    from gateway.store import api_keys  # noqa: PLC0415
    from gateway.store.db import create_engine, create_sessionmaker, transaction  # noqa: PLC0415
    from gateway.store.migrate import upgrade_to_head  # noqa: PLC0415

    roles = _staff_roles(args.role) if args.action == "create" else []  # before the store is touched
    database = _shown_url(settings.database_url)
    engine = create_engine(settings.database_url)
    try:
        await upgrade_to_head(engine)
        now = dt.datetime.now(dt.UTC)
        async with transaction(create_sessionmaker(engine)) as db:
            if args.action == "create":
                raw, key = await api_keys.create_api_key(db, name=args.name, roles=roles, now=now)
                print(
                    f"id {key.id}  name {key.name}  roles {','.join(key.roles)}  in {database}\n{raw}\n"
                    "(shown once: store it now)"
                )
            elif args.action == "revoke":
                try:
                    await api_keys.revoke_api_key(db, key_id=args.id, now=now)
                except NotFound:
                    raise CommandError(
                        f"api-key revoke: there is no key {args.id} in {database} (`gateway api-key list` "
                        "shows the keys; --demo: the demo's database)"
                    ) from None
                print(f"revoked {args.id}")
            else:
                print(f"keys in {database}:")
                for key in await api_keys.list_api_keys(db):
                    state = f"revoked {key.revoked_at:%Y-%m-%d}" if key.revoked_at else "active"
                    print(
                        f"{key.id:>5}  {key.name:<30}  {','.join(key.roles):<30}  "
                        f"created {key.created_at:%Y-%m-%d}  {state}"
                    )
    finally:
        await engine.dispose()


def configure_logging(style: LogFormat = "text", level: str = "info") -> None:
    """Every logger to stderr in ``style``, the noisy ones quiet (``log_format.QUIET_LOGGERS``)."""
    logging.config.dictConfig(logging_config(style, level))


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


def _default(field: FieldInfo) -> str:
    value = field.get_default(call_default_factory=True)
    if value is None or value == []:
        return "unset"
    return "(secret)" if "Secret" in type(value).__name__ else str(value)


def settings_help() -> str:
    """Every setting, its default and what it does: the epilog of ``serve --help``."""
    lines = ["settings (environment variables, or a .env file; README.md has the details):"]
    for name, field in Settings.model_fields.items():
        lines.append(f"  {variable(name)}  (default: {_default(field)})")
        if field.description:
            lines.append(f"      {field.description}")
    return "\n".join(lines)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gateway", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser(
        "serve",
        help="serve the gateway (settings from GATEWAY_* variables)",
        description="Serve the gateway: GraphQL at /graphql, /healthz, /readyz and /metrics.",
        epilog=settings_help(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands.add_parser(
        "demo",
        help="serve the gateway with the simulated back ends and demo data",
        description=(
            "The gateway on GATEWAY_HOST:GATEWAY_PORT in demo mode, with the three simulated back "
            f"ends on 8101-8103 and the demo accounts, in {DEMO_DATABASE_URL} unless "
            "GATEWAY_DATABASE_URL is set. Other settings as for serve (see serve --help)."
        ),
    )
    api_key = commands.add_parser(
        "api-key",
        help="staff API keys (read-only, audited)",
        description="Staff API keys, in GATEWAY_DATABASE_URL's database (with --demo: the demo's).",
    )
    api_key.add_argument(
        "--demo",
        action="store_true",
        help=f"use the demo's database (GATEWAY_DATABASE_URL if set, else {DEMO_DATABASE_URL})",
    )
    keys = api_key.add_subparsers(dest="action", required=True)
    create = keys.add_parser(
        "create",
        help="create a key with its roles; prints the raw key once",
        description="A staff key with one or more roles: SUPPORT (any customer, search, request "
        "queue), FINANCE (SUPPORT plus receivables), OPERATIONS (SUPPORT plus nomination "
        "status), AUDITOR (the audit log only).",
    )
    create.add_argument("name", help="who or what the key is for")
    create.add_argument(
        "--role",
        action="append",
        metavar="ROLE",
        help="SUPPORT, FINANCE, OPERATIONS or AUDITOR; repeat for more (at least one)",
    )
    keys.add_parser("revoke", help="revoke a key by its id").add_argument(
        "id", type=int, help="the key's id (see list)"
    )
    keys.add_parser("list", help="list the keys with their roles (never their values)")
    schema = commands.add_parser("schema", help="the GraphQL schema as an artifact").add_subparsers(
        dest="action", required=True
    )
    schema.add_parser("print", help="print the schema in SDL (what schema.graphql holds)")
    schema.add_parser(
        "check", help="fail on a breaking change since the previous main not declared in CHANGELOG.md"
    ).add_argument("--base", help="the commit to compare with (default: previous main, or the merge base)")
    return parser


def _run(args: argparse.Namespace) -> None:
    if args.command == "serve":
        settings = load_settings()
        configure_logging(log_format(settings, "serve"), settings.log_level)
        if problems := serving_problems(settings):
            raise SettingsError(problems)
        _serve(settings)
    elif args.command == "demo":
        settings = demo_settings()
        configure_logging(log_format(settings, "demo"), settings.log_level)
        _reach_store(settings)
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(_demo(settings))
    elif args.command == "api-key":
        settings = load_settings(database_url=demo_database_url()) if args.demo else load_settings()
        configure_logging(log_format(settings, "api-key"), settings.log_level)
        asyncio.run(_api_key(settings, args))
    else:  # pragma: no cover -- argparse rejects it first
        raise CommandError(f"unknown command {args.command}")


def main(argv: Sequence[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    if args.command == "schema":  # prints only the schema: no logging set up, nothing started
        from gateway.schema.artifact import printed_schema  # noqa: PLC0415

        if args.action == "print":
            sys.stdout.write(printed_schema())
            sys.exit(0)
        sys.exit(_schema_check(args.base))
    configure_logging()
    for warning in unknown_variables():
        log.warning(warning)
    try:
        _run(args)
    except SettingsError as error:
        for problem in error.problems:
            print(f"gateway: {problem}", file=sys.stderr)
        sys.exit(USAGE_ERROR)
    except CommandError as error:
        print(f"gateway: {error}", file=sys.stderr)
        sys.exit(USAGE_ERROR)
    sys.exit(0)
