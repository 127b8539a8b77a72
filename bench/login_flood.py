"""``python -m bench.login_flood``: 200 unknown logins at once from one address, against a
real ``gateway serve`` process, while another user reads the overview.

Reports how many passwords were checked and how the rest were answered, the other user's
overview latency during the flood (against before it), and the gateway's resident memory
before and at its peak (``/proc/<pid>/status``, Linux). ``--gateway-dir`` runs the gateway
of another checkout (e.g. an older commit, to compare); the simulators are this one's.
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
from typing import Any

import httpx

from fixtures.billing.app import create_app as create_billing
from fixtures.crm.app import create_app as create_crm
from fixtures.nomination.app import create_app as create_nomination
from fixtures.server import free_port, serve_in_thread

HOST = "127.0.0.1"
PASSWORD = "Demo-heslo-2026"
NOVAK = "1000012345"
LOGIN = """
mutation Login($login: String!, $password: String!) {
  login(input: {login: $login, password: $password}) { token errors { code } }
}
"""
OVERVIEW = """
query Overview($number: String!) {
  customer(number: $number) {
    overview {
      number name unreadMessageCount
      supplyPoints { id code commodity contractType }
      nearestInvoices { number dueDate status amountDue { amount currency } }
      quickRequestTypes { code nameCs instant }
    }
  }
}
"""


def rss_kib(pid: int, field: str = "VmRSS") -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} for {pid}")


@contextlib.contextmanager
def gateway(gateway_dir: Path, workdir: Path) -> Iterator[tuple[str, int]]:
    with (
        serve_in_thread(create_billing()) as billing,
        serve_in_thread(create_crm()) as crm,
        serve_in_thread(create_nomination()) as nomination,
    ):
        port = free_port()
        env = {
            **os.environ,
            "PYTHONPATH": str(gateway_dir),
            "GATEWAY_DEMO": "true",
            "GATEWAY_PORT": str(port),
            "GATEWAY_WORKERS": "1",
            "GATEWAY_LOG_LEVEL": "warning",
            "GATEWAY_DATABASE_URL": f"sqlite+aiosqlite:///{workdir}/flood.db",
            "GATEWAY_OUTBOX_DIR": str(workdir / "outbox"),
            "GATEWAY_BILLING_URL": f"{billing}/soap",
            "GATEWAY_CRM_URL": crm,
            "GATEWAY_NOMINATION_URL": f"{nomination}/soap",
        }
        env.pop("GATEWAY_REDIS_URL", None)
        process = subprocess.Popen(
            [sys.executable, "-m", "gateway", "serve"],
            env=env,
            cwd=gateway_dir,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://{HOST}:{port}"
        try:
            deadline = time.monotonic() + 120
            while True:
                with contextlib.suppress(httpx.HTTPError):
                    if httpx.get(f"{base}/healthz").status_code == 200:
                        break
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("the gateway did not start")
                time.sleep(0.2)
            yield base, process.pid
        finally:
            process.terminate()
            process.wait(timeout=30)


async def post(http: httpx.AsyncClient, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    try:
        response = await http.post("/graphql", json={"query": query, "variables": variables})
    except httpx.HTTPError as error:  # e.g. the gateway closed the connection
        return {"errors": [{"extensions": {"code": type(error).__name__}}]}
    if not response.headers.get("content-type", "").startswith("application/json"):
        return {"errors": [{"extensions": {"code": f"HTTP {response.status_code}"}}]}
    body: dict[str, Any] = response.json()
    return body


async def overview_latencies(http: httpx.AsyncClient, count: int) -> list[float]:
    """Seconds per read; a read that failed counts as infinitely slow."""
    latencies = []
    for _ in range(count):
        started = time.perf_counter()
        failed = bool((await post(http, OVERVIEW, {"number": NOVAK})).get("errors"))
        latencies.append(float("inf") if failed else time.perf_counter() - started)
    return latencies


def outcome(result: dict[str, Any]) -> str:
    if result.get("errors"):
        return str(result["errors"][0]["extensions"]["code"])
    return "checked"


async def flood(base: str, pid: int, attempts: int) -> None:
    limits = httpx.Limits(max_connections=attempts + 10, max_keepalive_connections=attempts + 10)
    async with (
        httpx.AsyncClient(base_url=base, timeout=120) as user,
        httpx.AsyncClient(base_url=base, timeout=120, limits=limits) as attacker,
    ):
        token = (await post(user, LOGIN, {"login": "novak", "password": PASSWORD}))["data"]["login"]["token"]
        user.headers["Authorization"] = f"Bearer {token}"
        await overview_latencies(user, 5)  # warm
        quiet = await overview_latencies(user, 20)
        rss_before = rss_kib(pid)
        peak = rss_before
        flooding = True

        async def sample() -> None:
            nonlocal peak
            while flooding:
                with contextlib.suppress(FileNotFoundError):  # the gateway died
                    peak = max(peak, rss_kib(pid))
                await asyncio.sleep(0.02)

        async def reads() -> list[float]:
            latencies: list[float] = []
            while flooding:
                latencies += await overview_latencies(user, 1)
            return latencies

        sampler, reader = asyncio.create_task(sample()), asyncio.create_task(reads())
        started = time.perf_counter()
        results = await asyncio.gather(
            *(
                post(attacker, LOGIN, {"login": f"nobody-{i}", "password": "wrong-password"})
                for i in range(attempts)
            )
        )
        seconds = time.perf_counter() - started
        flooding = False
        await sampler
        during = await reader
        metrics = (await user.get("/metrics")).text

    outcomes = [outcome(result) for result in results]
    checks = [line for line in metrics.splitlines() if line.startswith("gateway_password_checks_total")]
    print(f"{attempts} unknown logins at once from one address, answered in {seconds:.1f} s:")
    print("  " + ", ".join(f"{name} {outcomes.count(name)}" for name in sorted(set(outcomes))))
    print("  password checks (/metrics): " + ("; ".join(checks) if checks else "not counted by this gateway"))
    p50_quiet, p50_during = statistics.median(quiet) * 1000, statistics.median(during) * 1000
    print(
        f"  other user's overview: p50 {p50_quiet:.1f} ms before; during the flood "
        f"p50 {p50_during:.1f} ms, max {max(during) * 1000:.1f} ms ({len(during)} reads, "
        f"{sum(1 for seconds in during if seconds == float('inf'))} failed)"
    )
    print(f"  gateway RSS: {rss_before / 1024:.0f} MiB before, peak {peak / 1024:.0f} MiB during")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--attempts", type=int, default=200)
    parser.add_argument(
        "--gateway-dir", type=Path, default=Path.cwd(), help="the checkout whose gateway runs"
    )
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory() as workdir,
        gateway(args.gateway_dir.resolve(), Path(workdir)) as (base, pid),
    ):
        asyncio.run(flood(base, pid, args.attempts))


if __name__ == "__main__":
    main()
