"""``python -m bench.hotpath``: CPU per request and 1-client latency of read A, hit and miss,
for one or more source trees side by side (before/after in one run, rounds interleaved).

Each tree's gateway runs as its own process (``python -m gateway serve`` from that tree),
twice: ``hit`` (response cache on) and ``miss`` (response cache off: every query executed,
its data from the back-end cache), against one set of simulators. ``wrk`` with one
connection (``--connections``) drives each for ``--seconds`` per round; the gateway's CPU
time comes from /proc.
Figures are medians over ``--rounds`` rounds.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from bench.__main__ import GATEWAYS as BENCH_GATEWAYS
from bench.__main__ import HOST, PERSONAS, READ_A, _cpu_seconds, _token, _wait_until_up, _wrk_ms

WRK_SCRIPT = 'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
WRK_SCRIPT += 'wrk.headers["Authorization"] = "Bearer %(token)s"\nwrk.body = %(body)s\n'


@contextlib.contextmanager
def _gateways(
    trees: list[Path], first_port: int, sims: dict[str, int], kinds: list[str]
) -> Iterator[dict[tuple[str, str], tuple[int, subprocess.Popen[bytes]]]]:
    workdir = Path(tempfile.mkdtemp(prefix="gateway-hotpath-"))
    started: dict[tuple[str, str], tuple[int, subprocess.Popen[bytes]]] = {}
    port = first_port
    try:
        for tree in trees:
            for kind in kinds:
                env = {
                    **os.environ,
                    "GATEWAY_DEMO": "true",
                    "GATEWAY_PORT": str(port),
                    "GATEWAY_WORKERS": "1",
                    "GATEWAY_LOG_LEVEL": "warning",
                    "GATEWAY_DATABASE_URL": f"sqlite+aiosqlite:///{workdir}/{tree.name}-{kind}.db",
                    "GATEWAY_BILLING_URL": f"http://{HOST}:{sims['billing']}/soap",
                    "GATEWAY_CRM_URL": f"http://{HOST}:{sims['crm']}",
                    "GATEWAY_NOMINATION_URL": f"http://{HOST}:{sims['nomination']}/soap",
                    "GATEWAY_CACHE_ENABLED": "true",
                    "GATEWAY_RATE_LIMIT_POINTS": "0",
                    "GATEWAY_OUTBOX_DIR": str(workdir / "outbox"),
                    **({"GATEWAY_RESPONSE_CACHE_BYTES": "0"} if kind == "miss" else {}),
                }
                env.pop("GATEWAY_REDIS_URL", None)
                process = subprocess.Popen(
                    [sys.executable, "-m", "gateway", "serve"], env=env, cwd=tree, stdout=subprocess.DEVNULL
                )
                started[str(tree), kind] = (port, process)
                port += 1
        for port, _ in started.values():
            _wait_until_up(f"http://{HOST}:{port}/healthz", seconds=180)
        yield started
    finally:
        for _, process in started.values():
            process.terminate()
        for _, process in started.values():
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=10)


def _round(port: int, pid: int, script: str, seconds: float, connections: int) -> tuple[float, float]:
    """(CPU ms per request, p50 ms) of one wrk run with ``connections`` connections."""
    command = [
        "wrk",
        "-t1",
        f"-c{connections}",
        f"-d{seconds:g}s",
        "--latency",
        "-s",
        script,
        f"http://{HOST}:{port}/graphql",
    ]
    cpu = _cpu_seconds([pid])
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    cpu = _cpu_seconds([pid]) - cpu
    if "Non-2xx" in out:
        raise SystemExit(f"wrk saw failed requests:\n{out}")
    requests = int(out.split(" requests in")[0].rsplit(maxsplit=1)[-1])
    return cpu * 1000 / max(1, requests), _wrk_ms(out, "50%")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.hotpath", description=__doc__.splitlines()[0])
    parser.add_argument("trees", nargs="*", type=Path, default=[Path.cwd()], help="source trees (default: .)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--login", choices=sorted(PERSONAS), default="novak")
    parser.add_argument("--gateway-port", type=int, default=9011)
    parser.add_argument("--sim-port", type=int, default=9111)
    parser.add_argument("--connections", type=int, default=1, help="wrk's connections (concurrent clients)")
    parser.add_argument("--kinds", default="hit,miss", help="hit, miss or both (comma-separated)")
    args = parser.parse_args()
    sims = {"billing": args.sim_port, "crm": args.sim_port + 1, "nomination": args.sim_port + 2}
    simulators = subprocess.Popen(
        [sys.executable, "-m", "fixtures", "--port-offset", str(args.sim_port - 8101)],
        stdout=subprocess.DEVNULL,
    )
    try:
        for port in sims.values():
            _wait_until_up(f"http://{HOST}:{port}/__sim/stats")
        trees = [tree.resolve() for tree in args.trees]
        kinds = [kind for kind in ("hit", "miss") if kind in args.kinds.split(",")]
        with _gateways(trees, args.gateway_port, sims, kinds) as gateways:
            scripts = {}
            body = json.dumps({"query": READ_A, "variables": {"number": PERSONAS[args.login]}})
            for key, (port, _) in gateways.items():
                BENCH_GATEWAYS["hotpath"] = port
                token = asyncio.run(_token("hotpath", args.login))
                with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
                    script.write(WRK_SCRIPT % {"token": token, "body": json.dumps(body)})
                scripts[key] = script.name
            samples: dict[tuple[str, str], list[tuple[float, float]]] = {key: [] for key in gateways}
            for key, (port, process) in gateways.items():  # warm up: caches filled, code paths run
                _round(port, process.pid, scripts[key], 2, args.connections)
            for _ in range(args.rounds):
                for key, (port, process) in gateways.items():
                    samples[key].append(
                        _round(port, process.pid, scripts[key], args.seconds, args.connections)
                    )
            for path in scripts.values():
                os.unlink(path)
    finally:
        simulators.terminate()
        simulators.wait(timeout=10)
    clients = f"{args.connections} connection" + ("s" if args.connections > 1 else "")
    print(f"\nRead A as {args.login}, {clients}, medians of {args.rounds} rounds of {args.seconds:g} s\n")
    print("| tree | cache | CPU ms per request | p50 ms |")
    print("|------|-------|--------------------|--------|")
    for (tree, kind), values in samples.items():
        cpu = statistics.median(value[0] for value in values)
        p50 = statistics.median(value[1] for value in values)
        print(f"| {tree} | {kind} | {cpu:.3f} | {p50:.2f} |")


if __name__ == "__main__":
    main()
