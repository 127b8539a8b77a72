"""``make bench``: the front page's cost, cold and warm, against the back ends' latency.

Starts the three simulators as separate processes with latency set (billing 40 ms,
CRM 25 ms, nomination 30 ms) and two gateways under uvicorn[standard] (uvloop,
httptools): one with the cache off (every query is cold) and one with it on (warm).
Then, for novak (2 supply points) and pekarna (25):

- p50 / p95 latency of the overview query (measured with a lean keep-alive client, bench/wire.py),
  cold and warm, against the critical path
  (the slowest back end the query needs, since its calls run concurrently);
- back-end calls per query, read from the simulators' /__sim/stats;
- the warm overview without the response cache (every query executed, its data from the
  back-end cache): what a miss of the response cache costs;
- warm throughput at 16 clients driven by ``wrk`` (requests/s, p50, p99) and the gateway's
  CPU time per request (from /proc), with one uvicorn worker and with two;
- the gateway's resident memory;
- a page of 100 invoices, cold;
- the SOAP adapter's cost per invoice (zeep's parse vs the lxml mapping).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from prometheus_client.parser import text_string_to_metric_families

from bench.soap_parse import measure as measure_soap_parse
from bench.wire import GraphQLConnection

HOST = "127.0.0.1"
SIM_PORT_OFFSET = 1000  # 9101-9103, clear of a running `make demo` (--sim-port-offset)
SIMULATORS = {"billing": 9101, "crm": 9102, "nomination": 9103}
LATENCY_MS = {"billing": 40, "crm": 25, "nomination": 30}
# cold: no cache; warm: the back-end cache and the response cache; data: the back-end cache
# only (every query executed); with --redis-url (BENCH_REDIS_URL), warmR: warm sharing its
# caches, sessions' epoch and limits through Redis, one worker, and warm2: the same with two
# uvicorn workers (several workers need Redis: without it each would keep its own limits and
# caches, so `gateway serve` runs one). Ports from --gateway-port.
GATEWAYS = {"cold": 9001, "warm": 9002, "data": 9003, "warmR": 9004, "warm2": 9005}
GATEWAY_ENV = {
    "cold": {"GATEWAY_CACHE_ENABLED": "false"},
    "warm": {},
    "data": {"GATEWAY_RESPONSE_CACHE_BYTES": "0"},
    "warmR": {},
    "warm2": {"GATEWAY_WORKERS": "2"},
}
REDIS_KINDS = ("warmR", "warm2")  # each on a Redis database of its own: the one named, and the next
PASSWORD = "Demo-heslo-2026"
PERSONAS = {"novak": "1000012345", "pekarna": "2000034567"}

# The front page (Přehled účtu), as the portal asks for it.
OVERVIEW = """
query Overview($number: String!) {
  customer(number: $number) {
    overview {
      number name
      permanentAddress { street houseNumber city postcode }
      unreadMessageCount
      supplyPoints { id code commodity contractType product technical { __typename } }
      nearestInvoices { number dueDate status amountDue { amount currency } document { url } }
      nearestDeposits { dueDate amount { amount } variableSymbol supplyPointId }
      reminders { level issueDate amount { amount } fee { amount } }
      quickRequestTypes { code nameCs instant }
    }
  }
}
"""
# Read A of the peer comparison (../shared/peer-hive/bench/queries.py): a customer, its supply
# points and the first 20 invoices.
READ_A = """
query ReadA($number: String!) {
  customer(number: $number) {
    number name segment
    permanentAddress { street houseNumber city postcode }
    supplyPoints {
      id code commodity contractType product expectedAnnualConsumptionKwh
      address { street houseNumber city postcode }
    }
    invoices(first: 20) {
      totalCount
      edges { node { id number variableSymbol issueDate dueDate status
                     total { amount currency } amountDue { amount currency } } }
    }
  }
}
"""
INVOICE_PAGE = """
query Page($number: String!) {
  customer(number: $number) {
    invoices(first: 100) { totalCount edges { node { id number issueDate dueDate status total { amount } } } }
  }
}
"""
# The floor under every query: HTTP both ways, the session looked up, a field executed.
FLOOR = "query Floor { viewer { login } }"
# The overview's back-end calls run concurrently: its critical path is the slowest back end it uses.
OVERVIEW_BACKENDS = ("billing", "crm")


def _wait_until_up(url: str, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=1.0).status_code < 500:
                return
        time.sleep(0.1)
    raise SystemExit(f"{url} did not come up in {seconds:.0f} s")


@contextlib.contextmanager
def _processes(redis_url: str | None) -> Iterator[dict[str, subprocess.Popen[bytes]]]:
    processes: dict[str, subprocess.Popen[bytes]] = {}
    workdir = Path(tempfile.mkdtemp(prefix="gateway-bench-"))
    try:
        offset = SIMULATORS["billing"] - 8101  # the simulators' own ports are 8101-8103 plus it
        for name in SIMULATORS:
            processes[name] = subprocess.Popen(
                [sys.executable, "-m", "fixtures", "--only", name, "--port-offset", str(offset)],
                stdout=subprocess.DEVNULL,
            )
        for port in SIMULATORS.values():
            _wait_until_up(f"http://{HOST}:{port}/__sim/stats")
        for kind, port in GATEWAYS.items():
            if kind in REDIS_KINDS and redis_url is None:
                continue
            if kind in REDIS_KINDS:  # seeded once by warm, and each Redis database emptied first
                _wait_until_up(f"http://{HOST}:{GATEWAYS['warm']}/healthz", seconds=180)
                shutil.copy(workdir / "warm.db", workdir / f"{kind}.db")
            env = {
                **os.environ,
                "GATEWAY_DEMO": "true",
                "GATEWAY_PORT": str(port),
                "GATEWAY_WORKERS": "1",  # one process each: what is compared
                "GATEWAY_LOG_LEVEL": "warning",
                "GATEWAY_DATABASE_URL": f"sqlite+aiosqlite:///{workdir}/{kind}.db",
                "GATEWAY_BILLING_URL": f"http://{HOST}:{SIMULATORS['billing']}/soap",
                "GATEWAY_CRM_URL": f"http://{HOST}:{SIMULATORS['crm']}",
                "GATEWAY_NOMINATION_URL": f"http://{HOST}:{SIMULATORS['nomination']}/soap",
                "GATEWAY_CACHE_ENABLED": "true",
                **GATEWAY_ENV[kind],
                # One user drives hundreds of requests a second: the gateway's speed is measured,
                # not the request budget (which would refuse that, as it should).
                "GATEWAY_RATE_LIMIT_POINTS": "0",
            }
            env.pop("GATEWAY_REDIS_URL", None)
            if kind in REDIS_KINDS and redis_url is not None:
                env["GATEWAY_REDIS_URL"] = _flushed(redis_url, REDIS_KINDS.index(kind))
            processes[f"gateway-{kind}"] = subprocess.Popen(
                [sys.executable, "-m", "gateway", "serve"], env=env, stdout=subprocess.DEVNULL
            )
        for kind, port in GATEWAYS.items():
            if f"gateway-{kind}" in processes:
                _wait_until_up(f"http://{HOST}:{port}/healthz", seconds=180)
        yield processes
    finally:
        for process in processes.values():
            process.terminate()
        for process in processes.values():
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=10)


def _flushed(redis_url: str, offset: int) -> str:
    """``redis_url`` with its database number plus ``offset``, emptied."""
    import redis  # noqa: PLC0415  (only with --redis-url)

    parts = urlsplit(redis_url)
    url = parts._replace(path=f"/{int(parts.path.strip('/') or 0) + offset}").geturl()
    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    try:
        client.flushdb()
    except redis.RedisError as error:
        raise SystemExit(f"--redis-url {redis_url}: Redis does not answer ({error})") from None
    finally:
        client.close()
    return url


def _set_latency() -> None:
    for name, port in SIMULATORS.items():
        httpx.post(
            f"http://{HOST}:{port}/__sim/faults", json={"latency_ms": LATENCY_MS[name]}
        ).raise_for_status()


def _backend_calls() -> int:
    return sum(httpx.get(f"http://{HOST}:{port}/__sim/stats").json()["total"] for port in SIMULATORS.values())


def _reset_stats() -> None:
    for port in SIMULATORS.values():
        httpx.delete(f"http://{HOST}:{port}/__sim/stats")


async def _connect(kind: str, login: str) -> GraphQLConnection:
    """A kept-alive connection to the ``kind`` gateway, logged in as ``login``."""
    connection = await GraphQLConnection.open(HOST, GATEWAYS[kind])
    query = "mutation($l: String!, $p: String!) { login(input: {login: $l, password: $p}) { token } }"
    answer = await connection.post({"query": query, "variables": {"l": login, "p": PASSWORD}})
    connection.headers["Authorization"] = f"Bearer {answer['data']['login']['token']}"
    return connection


async def _timed(connection: GraphQLConnection, query: str, number: str) -> float:
    started = time.perf_counter()
    answer = await connection.post({"query": query, "variables": {"number": number}})
    elapsed = (time.perf_counter() - started) * 1000
    if answer.get("errors"):
        raise SystemExit(f"the benchmark query failed: {answer['errors']}")
    return elapsed


def _percentile(samples: list[float], q: float) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[int(q) - 1]


def _backend_call_seconds(port: int) -> dict[tuple[str, str], tuple[float, float]]:
    """``{(back end, operation): (seconds in all, calls)}`` from the gateway's own /metrics."""
    text = httpx.get(f"http://{HOST}:{port}/metrics").text
    totals: dict[tuple[str, str], list[float]] = {}
    for family in text_string_to_metric_families(text):
        if family.name != "gateway_backend_call_duration_seconds":
            continue
        for sample in family.samples:
            key = (sample.labels["backend"], sample.labels["operation"])
            if sample.name.endswith("_sum"):
                totals.setdefault(key, [0.0, 0.0])[0] = sample.value
            elif sample.name.endswith("_count"):
                totals.setdefault(key, [0.0, 0.0])[1] = sample.value
    return {key: (total, count) for key, (total, count) in totals.items()}


def _slowest_call_ms(
    before: dict[tuple[str, str], tuple[float, float]], after: dict[tuple[str, str], tuple[float, float]]
) -> float:
    """The mean duration of the slowest kind of back-end call made between two readings: the
    measured critical path, since a query's calls run concurrently."""
    means = [
        (total - before.get(key, (0.0, 0.0))[0]) / (count - before.get(key, (0.0, 0.0))[1]) * 1000
        for key, (total, count) in after.items()
        if count > before.get(key, (0.0, 0.0))[1]
    ]
    return max(means, default=0.0)


async def _series(kind: str, login: str, query: str, rounds: int) -> dict[str, float]:
    connection = await _connect(kind, login)
    number = PERSONAS[login]
    try:
        await _timed(connection, query, number)  # the warm cache filled
        _reset_stats()
        before = _backend_call_seconds(GATEWAYS[kind])
        samples = [await _timed(connection, query, number) for _ in range(rounds)]
        critical_path = _slowest_call_ms(before, _backend_call_seconds(GATEWAYS[kind]))
        calls = _backend_calls() / rounds
    finally:
        await connection.close()
    return {
        "p50": _percentile(samples, 50),
        "p95": _percentile(samples, 95),
        "calls": calls,
        "critical_path": critical_path,
    }


async def _throughput(login: str, seconds: float, concurrency: int) -> float:
    # One login (Argon2 is slow on purpose), its token on every connection: a connection left
    # idle while the others log in would be closed by uvicorn's keep-alive timeout.
    token = await _token("warm", login)
    connections = [await GraphQLConnection.open(HOST, GATEWAYS["warm"]) for _ in range(concurrency)]
    for connection in connections:
        connection.headers["Authorization"] = f"Bearer {token}"
    number = PERSONAS[login]
    await _timed(connections[0], OVERVIEW, number)
    done = 0
    deadline = time.perf_counter() + seconds

    async def worker(connection: GraphQLConnection) -> None:
        nonlocal done
        while time.perf_counter() < deadline:
            await _timed(connection, OVERVIEW, number)
            done += 1

    started = time.perf_counter()
    try:
        await asyncio.gather(*(worker(connection) for connection in connections))
    finally:
        for connection in connections:
            await connection.close()
    return done / (time.perf_counter() - started)


WRK_SCRIPT = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer %(token)s"
wrk.body = %(body)s
"""


def _pids(pid: int) -> list[int]:
    """``pid`` and its children (uvicorn's workers)."""
    found = [pid]
    for task in Path(f"/proc/{pid}/task").iterdir():
        children = (task / "children").read_text().split()
        found.extend(int(child) for child in children)
    return found


def _cpu_seconds(pids: list[int]) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        with contextlib.suppress(FileNotFoundError):
            fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def _wrk_ms(text: str, label: str) -> float:
    found = re.search(rf"^\s*{label}\s+([\d.]+)(us|ms|s)\s*$", text, re.MULTILINE)
    if found is None:
        return float("nan")
    value, unit = float(found[1]), found[2]
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


async def _token(kind: str, login: str) -> str:
    connection = await _connect(kind, login)
    await connection.close()
    return connection.headers["Authorization"].removeprefix("Bearer ")


def _load(kind: str, login: str, seconds: float, concurrency: int, pid: int) -> dict[str, float]:
    """``wrk`` against the ``kind`` gateway: requests/s, p50 and p99 ms, CPU ms per request."""
    token = asyncio.run(_token(kind, login))
    body = json.dumps({"query": OVERVIEW, "variables": {"number": PERSONAS[login]}})
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT % {"token": token, "body": json.dumps(body)})
    pids = _pids(pid)
    url = f"http://{HOST}:{GATEWAYS[kind]}/graphql"
    command = ["wrk", "-t1", f"-c{concurrency}", f"-d{seconds:g}s", "--latency", "-s", script.name, url]
    subprocess.run([*command[:3], "-d2s", *command[4:]], check=True, capture_output=True)  # warm up
    cpu = _cpu_seconds(pids)
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    cpu = _cpu_seconds(pids) - cpu
    os.unlink(script.name)
    requests = int(re.search(r"(\d+) requests in", out)[1])  # type: ignore[index]
    if "Non-2xx" in out:
        raise SystemExit(f"wrk saw failed requests:\n{out}")
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1]),  # type: ignore[index]
        "p50": _wrk_ms(out, "50%"),
        "p99": _wrk_ms(out, "99%"),
        "cpu_ms": cpu * 1000 / max(1, requests),
    }


def _rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=60, help="queries per series")
    parser.add_argument("--seconds", type=float, default=5.0, help="length of the throughput run")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--load-seconds", type=float, default=10.0, help="length of each wrk run")
    parser.add_argument(
        "--gateway-port", type=int, default=9001, help="first of five gateway ports (default 9001-9005)"
    )
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("BENCH_REDIS_URL"),
        help="a Redis for the 1-worker and 2-worker rows (it and the next database are emptied); "
        "default BENCH_REDIS_URL; without it those rows are left out",
    )
    parser.add_argument(
        "--sim-port", type=int, default=9101, help="first of three simulator ports (default 9101-9103)"
    )
    args = parser.parse_args()
    for index, kind in enumerate(GATEWAYS):
        GATEWAYS[kind] = args.gateway_port + index
    for index, name in enumerate(SIMULATORS):
        SIMULATORS[name] = args.sim_port + index
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed for the throughput runs (apt-get install wrk)")

    with _processes(args.redis_url) as processes:
        _set_latency()
        rows = []
        for login in PERSONAS:
            for kind in ("cold", "data", "warm"):
                result = asyncio.run(_series(kind, login, OVERVIEW, args.rounds))
                rows.append((f"overview {login}", kind, result))
        page = asyncio.run(_series("cold", "pekarna", INVOICE_PAGE, max(10, args.rounds // 3)))
        rows.append(("100 invoices pekarna", "cold", page))
        floor = asyncio.run(_series("warm", "novak", FLOOR, args.rounds))
        rows.append(("floor: { viewer }", "warm", floor))
        rps = {login: asyncio.run(_throughput(login, args.seconds, args.concurrency)) for login in PERSONAS}
        loads = [
            (
                login,
                kind,
                _load(kind, login, args.load_seconds, args.concurrency, processes[f"gateway-{kind}"].pid),
            )
            for login in PERSONAS
            for kind in ("data", "warm", "warmR", "warm2")
            if f"gateway-{kind}" in processes
        ]
        rss = {
            kind: sum(_rss_mib(pid) for pid in _pids(processes[f"gateway-{kind}"].pid))
            for kind in GATEWAYS
            if f"gateway-{kind}" in processes
        }

    _report(args, rows, rps, loads, rss)


def _report(
    args: argparse.Namespace,
    rows: list[tuple[str, str, dict[str, float]]],
    rps: dict[str, float],
    loads: list[tuple[str, str, dict[str, float]]],
    rss: dict[str, float],
) -> None:
    injected = max(LATENCY_MS[name] for name in OVERVIEW_BACKENDS)
    print(f"\nInjected back-end latency: {LATENCY_MS} (the overview's slowest back end: {injected} ms).")
    print("Critical path: the mean of the slowest kind of back-end call, as the gateway timed it")
    print(
        "(latency, the simulator's own work and the adapter's parsing); a query's calls run concurrently.\n"
    )
    header = "| query | cache | p50 ms | p95 ms | critical path ms | p50 - critical path | back-end calls |"
    print(header.replace("| query |", f"| {'query':<22} |"))
    print(f"|{'-' * 24}|-------|--------|--------|------------------|---------------------|----------------|")
    for name, kind, result in rows:
        path = result["critical_path"]
        over = f"{result['p50'] - path:+.1f}" if path else ""
        shown = f"{path:.1f}" if path else "-"
        print(
            f"| {name:<22} | {kind:<5} | {result['p50']:6.1f} | {result['p95']:6.1f} | {shown:>16} "
            f"| {over:>19} | {result['calls']:14.1f} |"
        )
    print()
    for login, value in rps.items():
        print(f"warm overview, {login}: {value:.0f} requests/s ({args.concurrency} concurrent clients)")
    print(f"\nWarm overview under load: wrk, {args.concurrency} connections, {args.load_seconds:g} s each.")
    print(
        "data: back-end cache only (every query executed); warm: + response cache; warmR: warm, its "
        "caches in Redis; warm2: warmR, 2 workers.\n"
    )
    print("| overview | gateway | workers | requests/s | p50 ms | p99 ms | CPU ms per request |")
    print("|----------|---------|---------|------------|--------|--------|--------------------|")
    for login, kind, load in loads:
        workers = 2 if kind == "warm2" else 1
        print(
            f"| {login:<8} | {kind:<7} | {workers:7d} | {load['rps']:10.0f} | {load['p50']:6.2f} "
            f"| {load['p99']:6.2f} | {load['cpu_ms']:18.3f} |"
        )
    by = {(login, kind): load for login, kind, load in loads}
    for login in PERSONAS:
        if (login, "warm2") in by:
            two, one = by[login, "warm2"], by[login, "warmR"]
            # The cores the gateway's processes kept busy: the rest went to wrk, Redis and the kernel.
            cores = [load["rps"] * load["cpu_ms"] / 1000 for load in (one, two)]
            print(
                f"2 workers / 1 worker (both with Redis), warm {login}: {two['rps'] / one['rps']:.2f}x "
                f"(the gateway kept {cores[1]:.2f} cores busy with 2 workers, {cores[0]:.2f} with 1)"
            )
        else:
            print(f"2 workers / 1 worker, warm {login}: not measured (needs --redis-url or BENCH_REDIS_URL)")
    for kind, value in rss.items():
        print(f"resident memory, {kind} gateway: {value:.0f} MiB (all its processes)")
    zeep_us, lxml_us = measure_soap_parse(rounds=100)
    print(f"SOAP invoice list, per invoice: zeep parse {zeep_us:.0f} us, lxml mapping {lxml_us:.0f} us")


if __name__ == "__main__":
    main()
