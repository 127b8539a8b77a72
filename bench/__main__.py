"""``make bench``: the front page's cost, cold and warm, against the back ends' latency.

Starts the three simulators as separate processes with latency set (billing 40 ms,
CRM 25 ms, nomination 30 ms) and two gateways under uvicorn[standard] (uvloop,
httptools): one with the cache off (every query is cold) and one with it on (warm).
Then, for novak (2 supply points) and pekarna (25):

- p50 / p95 latency of the overview query (measured with a lean keep-alive client, bench/wire.py),
  cold and warm, against the critical path
  (the slowest back end the query needs, since its calls run concurrently);
- back-end calls per query, read from the simulators' /__sim/stats;
- requests per second, warm, with concurrent clients;
- the gateway's resident memory;
- a page of 100 invoices, cold;
- the SOAP adapter's cost per invoice (zeep's parse vs the lxml mapping).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families

from bench.soap_parse import measure as measure_soap_parse
from bench.wire import GraphQLConnection

HOST = "127.0.0.1"
SIM_PORT_OFFSET = 1000  # 9101-9103, clear of a running `make demo`
SIMULATORS = {"billing": 9101, "crm": 9102, "nomination": 9103}
LATENCY_MS = {"billing": 40, "crm": 25, "nomination": 30}
GATEWAYS = {"cold": 9001, "warm": 9002}
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
def _processes() -> Iterator[dict[str, subprocess.Popen[bytes]]]:
    processes: dict[str, subprocess.Popen[bytes]] = {}
    workdir = Path(tempfile.mkdtemp(prefix="gateway-bench-"))
    try:
        for name in SIMULATORS:
            processes[name] = subprocess.Popen(
                [sys.executable, "-m", "fixtures", "--only", name, "--port-offset", str(SIM_PORT_OFFSET)],
                stdout=subprocess.DEVNULL,
            )
        for port in SIMULATORS.values():
            _wait_until_up(f"http://{HOST}:{port}/__sim/stats")
        for kind, port in GATEWAYS.items():
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
                "GATEWAY_CACHE_ENABLED": "false" if kind == "cold" else "true",
                # One user drives hundreds of requests a second: the gateway's speed is measured,
                # not the request budget (which would refuse that, as it should).
                "GATEWAY_RATE_LIMIT_POINTS": "0",
            }
            env.pop("GATEWAY_REDIS_URL", None)
            processes[f"gateway-{kind}"] = subprocess.Popen(
                [sys.executable, "-m", "gateway", "serve"], env=env, stdout=subprocess.DEVNULL
            )
        for port in GATEWAYS.values():
            _wait_until_up(f"http://{HOST}:{port}/healthz", seconds=60)
        yield processes
    finally:
        for process in processes.values():
            process.terminate()
        for process in processes.values():
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=10)


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
    connections = [await _connect("warm", login) for _ in range(concurrency)]
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
    args = parser.parse_args()

    with _processes() as processes:
        _set_latency()
        rows = []
        for login in PERSONAS:
            for kind in ("cold", "warm"):
                result = asyncio.run(_series(kind, login, OVERVIEW, args.rounds))
                rows.append((f"overview {login}", kind, result))
        page = asyncio.run(_series("cold", "pekarna", INVOICE_PAGE, max(10, args.rounds // 3)))
        rows.append(("100 invoices pekarna", "cold", page))
        floor = asyncio.run(_series("warm", "novak", FLOOR, args.rounds))
        rows.append(("floor: { viewer }", "warm", floor))
        rps = {login: asyncio.run(_throughput(login, args.seconds, args.concurrency)) for login in PERSONAS}
        rss = {kind: _rss_mib(processes[f"gateway-{kind}"].pid) for kind in GATEWAYS}

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
    for kind, value in rss.items():
        print(f"resident memory, {kind} gateway: {value:.0f} MiB")
    zeep_us, lxml_us = measure_soap_parse(rounds=100)
    print(f"SOAP invoice list, per invoice: zeep parse {zeep_us:.0f} us, lxml mapping {lxml_us:.0f} us")


if __name__ == "__main__":
    main()
