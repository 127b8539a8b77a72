"""Three gateway replicas sharing PostgreSQL and Redis behind HAProxy, on this machine.

    python -m bench.cluster up      # `make cluster`: the cluster in the foreground, until Ctrl-C
    python -m bench.cluster kill    # `make cluster-kill`: load, SIGKILL of one replica, the figures

The cluster: the simulators (one process), three ``gateway serve`` (one worker each, demo
mode, one PostgreSQL database made afresh, one Redis database, one secret key) and
``/usr/sbin/haproxy`` in front, round robin, health-checking each replica's ``/readyz``
every second. HAProxy retries a request whose connection to a replica failed (it never
reached it) on another replica, and a GET (a query: never a mutation) also when the
replica died before answering; a POST that reached a dying replica fails to the client.

``kill`` first shows that the replicas share their state (each check talks to the
replicas directly, not through HAProxy): a session made on one is valid on another, failed
logins on all three add up to one lock, a persisted query registered on one runs by hash
on another, a read cached by one is answered by another without a back-end call. Then
``--clients`` clients log in through HAProxy and read the overview for ``--seconds`` (GET,
by persisted hash, as a portal's build would), a replica is SIGKILLed a third of the way
in, and the figures are printed: requests, failures, and how many requests were in flight
on the load balancer at the kill (the only ones allowed to fail).

Ports: HAProxy on ``--port`` (default 8200), the replicas on the next three, the
simulators from 10 above it (``--port`` 18200: replicas 18201-18203, simulators 18210-18212).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import json
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

HOST = "127.0.0.1"
HAPROXY = "/usr/sbin/haproxy"
REPLICAS = 3
PASSWORD = "Demo-heslo-2026"
SIMULATED_PORTS = {"billing": 8101, "crm": 8102, "nomination": 8103}
PERSONAS = {"novak": "1000012345", "pekarna": "2000034567", "svobodova": "1000023456"}
OVERVIEW = (
    "query Overview($number: String!) { customer(number: $number) { overview { number name "
    "supplyPoints { id code commodity } nearestInvoices { number dueDate status amountDue { amount } } "
    "nearestDeposits { dueDate amount { amount } } quickRequestTypes { code } } } }"
)
CUSTOMER = "query Customer($number: String!) { customer(number: $number) { name supplyPoints { code } } }"
LOGIN = (
    "mutation Login($login: String!, $password: String!) "
    "{ login(input: {login: $login, password: $password}) { token errors { message } } }"
)
VIEWER = "query Viewer { viewer { login } }"
PROBE_OPERATIONS = {"Ping", "GetStatus"}  # what /readyz calls on the simulators

HAPROXY_CONFIG = """\
global
    maxconn 2000
    stats socket {stats_socket} mode 600 level admin

defaults
    mode http
    timeout connect 1s
    timeout client 30s
    timeout server 30s

frontend portal
    bind {host}:{port}
    default_backend gateways

backend gateways
    balance roundrobin
    option forwardfor
    # A request whose connection failed never reached a replica: retried on another
    # (redispatch). One that reached a replica that died before answering: retried only
    # when it is a GET (queries; a mutation never runs over GET).
    retries 3
    option redispatch 1
    retry-on conn-failure empty-response response-timeout
    http-request disable-l7-retry if !METH_GET
    option httpchk GET /readyz
    http-check expect status 200
    timeout check 5s
    default-server check inter 1s fall 2 rise 2
{servers}
"""


@dataclass
class Cluster:
    port: int
    directory: Path
    database_url: str
    redis_url: str
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def replica_port(self, index: int) -> int:
        return self.port + 1 + index

    def replica_url(self, index: int) -> str:
        return f"http://{HOST}:{self.replica_port(index)}"

    def simulator_port(self, name: str) -> int:
        return SIMULATED_PORTS[name] + self.port + 10 - 8101

    @property
    def stats_socket(self) -> Path:
        return self.directory / "haproxy.sock"


def _wait_until(url: str, seconds: float, process: subprocess.Popen[bytes] | None = None) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise SystemExit(f"{' '.join(map(str, process.args))} exited {process.returncode}")  # type: ignore[arg-type]
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=2).status_code == 200:
                return
        time.sleep(0.2)
    raise SystemExit(f"{url} did not answer 200 in {seconds:.0f} s")


async def _fresh_database(url: str) -> None:
    """Drop and create the cluster's own PostgreSQL database (never another one)."""
    import asyncpg  # noqa: PLC0415 -- PostgreSQL's driver, only here
    from sqlalchemy.engine import make_url  # noqa: PLC0415

    parsed = make_url(url)
    name = parsed.database
    if not name or not name.startswith("gateway_cluster"):
        raise SystemExit(f"refusing to recreate {name!r}: the cluster's database is named gateway_cluster...")
    admin = await asyncpg.connect(
        host=parsed.host,
        port=parsed.port or 5432,
        user=parsed.username,
        password=parsed.password,
        database="postgres",
    )
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()


@contextlib.contextmanager
def running(cluster: Cluster) -> Iterator[Cluster]:
    cluster.directory.mkdir(parents=True, exist_ok=True)
    asyncio.run(_fresh_database(cluster.database_url))
    logs = []
    try:
        log = (cluster.directory / "simulators.log").open("wb")
        logs.append(log)
        cluster.processes["simulators"] = subprocess.Popen(
            [sys.executable, "-m", "fixtures", "--port-offset", str(cluster.port + 10 - 8101)],
            stdout=log,
            stderr=log,
        )
        base = {key: value for key, value in os.environ.items() if not key.startswith("GATEWAY_")}
        secret = secrets.token_urlsafe(32)
        for index in range(REPLICAS):
            env = {
                **base,
                "GATEWAY_DEMO": "true",
                "GATEWAY_WORKERS": "1",
                "GATEWAY_PORT": str(cluster.replica_port(index)),
                "GATEWAY_DATABASE_URL": cluster.database_url,
                "GATEWAY_REDIS_URL": cluster.redis_url,
                "GATEWAY_SECRET_KEY": secret,  # document links signed by one replica open on another
                "GATEWAY_TRUSTED_PROXIES": HOST,  # HAProxy's X-Forwarded-For names the client
                "GATEWAY_BILLING_URL": f"http://{HOST}:{cluster.simulator_port('billing')}/soap",
                "GATEWAY_CRM_URL": f"http://{HOST}:{cluster.simulator_port('crm')}",
                "GATEWAY_NOMINATION_URL": f"http://{HOST}:{cluster.simulator_port('nomination')}/soap",
                "GATEWAY_OUTBOX_DIR": str(cluster.directory / "outbox"),
            }
            log = (cluster.directory / f"replica-{index + 1}.log").open("wb")
            logs.append(log)
            cluster.processes[f"replica-{index + 1}"] = subprocess.Popen(
                [sys.executable, "-m", "gateway", "serve"], env=env, stdout=log, stderr=log
            )
        servers = "\n".join(
            f"    server replica-{index + 1} {HOST}:{cluster.replica_port(index)}"
            for index in range(REPLICAS)
        )
        config = cluster.directory / "haproxy.cfg"
        config.write_text(
            HAPROXY_CONFIG.format(
                host=HOST, port=cluster.port, servers=servers, stats_socket=cluster.stats_socket
            )
        )
        log = (cluster.directory / "haproxy.log").open("wb")
        logs.append(log)
        cluster.processes["haproxy"] = subprocess.Popen(
            [HAPROXY, "-db", "-f", str(config)], stdout=log, stderr=log
        )
        for index in range(REPLICAS):
            _wait_until(
                f"{cluster.replica_url(index)}/readyz", 240, cluster.processes[f"replica-{index + 1}"]
            )
        _wait_until(f"{cluster.url}/readyz", 30, cluster.processes["haproxy"])
        yield cluster
    finally:
        for process in cluster.processes.values():
            if process.poll() is None:
                process.terminate()
        for process in cluster.processes.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        for log in logs:
            log.close()


def haproxy_stats(cluster: Cluster) -> dict[str, dict[str, str]]:
    """HAProxy's counters per proxy/server (``show stat``)."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.connect(str(cluster.stats_socket))
        sock.sendall(b"show stat\n")
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    header, *rows = data.decode().strip().splitlines()
    names = header.lstrip("# ").split(",")
    stats = {}
    for row in rows:
        values = dict(zip(names, row.split(","), strict=False))
        stats[f"{values['pxname']}/{values['svname']}"] = values
    return stats


# -- shared state, replica by replica ------------------------------------------------------------


def _post(url: str, query: str, variables: dict[str, Any] | None = None, **kwargs: Any) -> dict[str, Any]:
    response = httpx.post(
        f"{url}/graphql", json={"query": query, "variables": variables or {}}, timeout=30, **kwargs
    )
    answer: dict[str, Any] = response.json()
    return answer


def _login(url: str, login: str, password: str = PASSWORD) -> dict[str, Any]:
    answer: dict[str, Any] = _post(url, LOGIN, {"login": login, "password": password})
    return answer


def _sim_calls(cluster: Cluster) -> int:
    """Calls the back ends served, but the readiness probes' (HAProxy checks every replica's
    /readyz each second, and each probes every back end)."""
    return sum(
        count
        for name in SIMULATED_PORTS
        for operation, count in httpx.get(f"http://{HOST}:{cluster.simulator_port(name)}/__sim/stats")
        .json()["calls"]
        .items()
        if operation not in PROBE_OPERATIONS
    )


def check_sharing(cluster: Cluster) -> list[tuple[str, bool, str]]:
    one, two, three = (cluster.replica_url(index) for index in range(REPLICAS))
    results = []

    # sessions: log in on replica 1, read on replicas 2 and 3
    token = _login(one, "novak")["data"]["login"]["token"]
    bearer = {"Authorization": f"Bearer {token}"}
    viewers = [_post(url, VIEWER, headers=bearer)["data"]["viewer"] for url in (two, three)]
    results.append(
        ("session made on replica 1, used on 2 and 3", viewers == [{"login": "novak"}] * 2, f"{viewers}")
    )

    # throttling: failed logins of one login, spread over the three replicas, lock it on all
    login = f"nobody-{secrets.token_hex(4)}"
    codes = []
    for attempt in range(6):
        answer = _login((one, two, three)[attempt % 3], login, "wrong-password-1")
        codes.append((answer.get("errors") or [{}])[0].get("extensions", {}).get("code", "user error"))
    results.append(
        ("6 failed logins over 3 replicas: the 6th is locked", codes[-1] == "RATE_LIMITED", ", ".join(codes))
    )

    # persisted queries: registered on replica 1, run by hash on replica 2
    digest = hashlib.sha256(VIEWER.encode()).hexdigest()
    extensions = {"persistedQuery": {"version": 1, "sha256Hash": digest}}
    httpx.post(f"{one}/graphql", json={"query": VIEWER, "extensions": extensions}, headers=bearer, timeout=30)
    by_hash = httpx.post(f"{two}/graphql", json={"extensions": extensions}, headers=bearer, timeout=30).json()
    results.append(
        (
            "persisted query registered on 1, run by hash on 2",
            by_hash == {"data": {"viewer": {"login": "novak"}}},
            f"{by_hash}",
        )
    )

    # caches: a read cached by replica 1 is answered by replica 3 without a back-end call
    pekarna = _login(two, "pekarna")["data"]["login"]["token"]
    headers = {"Authorization": f"Bearer {pekarna}"}
    variables = {"number": PERSONAS["pekarna"]}
    before = _sim_calls(cluster)
    first = _post(one, CUSTOMER, variables, headers=headers)
    between = _sim_calls(cluster)
    second = _post(three, CUSTOMER, variables, headers=headers)
    calls = _sim_calls(cluster) - between
    results.append(
        (
            "read cached by 1, answered by 3 with no back-end call",
            calls == 0 and first == second,
            f"back-end calls: {between - before} on 1 (0 if still cached from an earlier run), {calls} on 3",
        )
    )
    return results


# -- load and the kill ---------------------------------------------------------------------------


@dataclass
class Outcome:
    started: float
    ended: float
    ok: bool
    what: str


async def _client(
    login: str, token: str, until: float, outcomes: list[Outcome], http: httpx.AsyncClient
) -> None:
    http.headers["Authorization"] = f"Bearer {token}"
    digest = hashlib.sha256(OVERVIEW.encode()).hexdigest()
    params = {
        "extensions": json.dumps({"persistedQuery": {"version": 1, "sha256Hash": digest}}),
        "variables": json.dumps({"number": PERSONAS[login]}),
        "operationName": "Overview",
    }
    while time.monotonic() < until:
        started = time.monotonic()
        try:
            response = await http.get("/graphql", params=params)
        except httpx.HTTPError as error:
            outcomes.append(Outcome(started, time.monotonic(), False, type(error).__name__))
            continue
        try:
            errors = response.json().get("errors")
        except ValueError:  # not the gateway's answer: HAProxy's own (no replica, or one died)
            errors = response.text.strip().splitlines()[-1:]
        ok = response.status_code == 200 and not errors
        what = "ok" if ok else f"HTTP {response.status_code} {json.dumps(errors)[:160]}"
        outcomes.append(Outcome(started, time.monotonic(), ok, what))


def _sessions(cluster: Cluster) -> dict[str, str]:
    """One session per persona, made before the load (a burst of one login's logins is
    throttled), and the persisted overview registered once (Redis shares it)."""
    digest = hashlib.sha256(OVERVIEW.encode()).hexdigest()
    extensions = {"persistedQuery": {"version": 1, "sha256Hash": digest}}
    registration = {"query": OVERVIEW, "extensions": extensions, "variables": {"number": PERSONAS["novak"]}}
    httpx.post(f"{cluster.url}/graphql", json=registration, timeout=30)
    return {login: _login(cluster.url, login)["data"]["login"]["token"] for login in PERSONAS}


async def _load(
    cluster: Cluster, tokens: dict[str, str], *, clients: int, seconds: float, kill_after: float
) -> dict[str, Any]:
    outcomes: list[Outcome] = []
    logins = list(PERSONAS)
    start = time.monotonic()
    until = start + seconds
    victim = cluster.processes["replica-2"]
    killed_at = 0.0

    async def kill() -> None:
        nonlocal killed_at
        await asyncio.sleep(kill_after)
        killed_at = time.monotonic()
        os.kill(victim.pid, signal.SIGKILL)

    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    https = [httpx.AsyncClient(base_url=cluster.url, timeout=30, limits=limits) for _ in range(clients)]
    try:
        await asyncio.gather(
            kill(),
            *(
                _client(logins[i % len(logins)], tokens[logins[i % len(logins)]], until, outcomes, https[i])
                for i in range(clients)
            ),
        )
    finally:
        for http in https:
            await http.aclose()
    in_flight = [o for o in outcomes if o.started <= killed_at <= o.ended]
    failed = [o for o in outcomes if not o.ok]
    latencies = sorted((o.ended - o.started) * 1000 for o in outcomes if o.ok)
    reasons: dict[str, int] = {}
    for outcome in failed:
        reasons[outcome.what] = reasons.get(outcome.what, 0) + 1
    return {
        "requests": len(outcomes),
        "failed": len(failed),
        "in_flight_at_kill": len(in_flight),
        "failed_in_flight": sum(1 for o in in_flight if not o.ok),
        "failed_after_kill_not_in_flight": sum(1 for o in failed if o.started > killed_at),
        "failure_reasons": reasons,
        "seconds": seconds,
        "killed_after": kill_after,
        "throughput": len(outcomes) / seconds,
        "p50_ms": statistics.median(latencies) if latencies else None,
        "p99_ms": latencies[int(len(latencies) * 0.99)] if latencies else None,
        "max_ms": latencies[-1] if latencies else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.cluster",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("action", choices=["up", "kill"])
    parser.add_argument("--port", type=int, default=int(os.environ.get("CLUSTER_PORT", "8200")))
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "CLUSTER_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/gateway_cluster"
        ),
        help="made afresh at start: its name must start with gateway_cluster",
    )
    parser.add_argument(
        "--redis-url", default=os.environ.get("CLUSTER_REDIS_URL", "redis://127.0.0.1:6379/0")
    )
    parser.add_argument("--dir", type=Path, default=Path("var/cluster"))
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=30.0)
    args = parser.parse_args()
    # SIGTERM ends the cluster as Ctrl-C does: every process it started is stopped
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    cluster = Cluster(args.port, args.dir.resolve(), args.database_url, args.redis_url)
    with running(cluster):
        print(
            f"HAProxy     {cluster.url}/graphql  (stats: echo 'show stat' | socat - {cluster.stats_socket})"
        )
        for index in range(REPLICAS):
            name = f"replica-{index + 1}"
            print(f"{name}   {cluster.replica_url(index)}  (log: {cluster.directory}/{name}.log)")
        print(
            f"simulators  {HOST}:{cluster.simulator_port('billing')}-{cluster.simulator_port('nomination')}",
            flush=True,
        )
        if args.action == "up":
            with contextlib.suppress(KeyboardInterrupt):
                signal.pause()
            return
        print("\nshared state (each step on the replicas directly):")
        for what, passed, detail in check_sharing(cluster):
            print(f"  {'ok  ' if passed else 'FAIL'} {what}: {detail}")
        print(f"\nload: {args.clients} clients, {args.seconds:.0f} s of overview reads (GET, persisted)")
        print("through HAProxy;")
        print(f"replica-2 SIGKILLed after {args.seconds / 3:.0f} s", flush=True)
        tokens = _sessions(cluster)
        figures = asyncio.run(
            _load(cluster, tokens, clients=args.clients, seconds=args.seconds, kill_after=args.seconds / 3)
        )
        stats = haproxy_stats(cluster)
        backend = stats["gateways/BACKEND"]
        for key, value in figures.items():
            print(f"  {key:<32} {value if not isinstance(value, float) else round(value, 1)}")
        print(f"  {'haproxy retries / redispatches':<32} {backend['wretr']} / {backend['wredis']}")
        print(f"  {'replica-2 status in haproxy':<32} {stats['gateways/replica-2']['status']}")


if __name__ == "__main__":
    main()
