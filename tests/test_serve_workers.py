"""``gateway serve`` with two real worker processes: on a fresh demo database it starts (the
demo accounts are made once) and every login works; each worker listens on a socket of its
own, so connections opened at once are spread over both; ``/metrics``, whichever worker
answers it, sums what every worker counted, and a worker that dies leaves its counts in the
sums but its live gauges out of them, and its replacement serves its socket."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from prometheus_client.mmap_dict import MmapedDict
from prometheus_client.parser import text_string_to_metric_families

from fixtures.server import free_port
from gateway.cli import DEMO_LOGINS, DEMO_PASSWORD

REPO = Path(__file__).resolve().parents[1]
PROBE = "query Probe { __typename }"
LOGIN = (
    "mutation Login($login: String!, $password: String!) "
    "{ login(input: {login: $login, password: $password}) { token errors { message } } }"
)


@dataclass
class Served:
    url: str
    process: subprocess.Popen[bytes]
    log: Path
    metrics_dir: Path


def _wait_until_up(served: Served, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if served.process.poll() is not None:
            raise AssertionError(
                f"gateway serve exited {served.process.returncode}:\n{served.log.read_text()}"
            )
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{served.url}/healthz", timeout=1).status_code == 200:
                return
        time.sleep(0.2)
    raise AssertionError(f"gateway serve did not come up in {seconds} s:\n{served.log.read_text()}")


@pytest.fixture(scope="module")
def two_workers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """``gateway serve`` in demo mode with two workers, on a database that does not exist yet,
    its metrics directory holding a file of an earlier run."""
    workdir = tmp_path_factory.mktemp("serve")
    metrics_dir = workdir / "metrics"
    metrics_dir.mkdir()
    (metrics_dir / "counter_99999999.db").write_bytes(b"left over from an earlier run")
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("GATEWAY_")}
    env.update(
        {
            "PYTHONPATH": str(REPO),
            "GATEWAY_DEMO": "true",
            "GATEWAY_WORKERS": "2",
            "GATEWAY_PORT": str(port),
            "GATEWAY_DATABASE_URL": f"sqlite+aiosqlite:///{workdir}/fresh.db",
            "GATEWAY_OUTBOX_DIR": str(workdir / "outbox"),
            "GATEWAY_LOG_LEVEL": "debug",  # whatever is logged at all, the hashes must not be
            "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
        }
    )
    log = workdir / "serve.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "gateway", "serve"], cwd=workdir, env=env, stdout=output, stderr=output
        )
    served = Served(f"http://127.0.0.1:{port}", process, log, metrics_dir)
    try:
        _wait_until_up(served, seconds=180)
        yield served
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def _worker_pids(served: Served) -> list[int]:
    return sorted(int(path.stem.rpartition("_")[2]) for path in served.metrics_dir.glob("gauge_livemin_*.db"))


def _probes_per_worker(served: Served) -> dict[int, float]:
    """What each worker's own file holds of gateway_requests_total{operation="Probe"}."""
    counts: dict[int, float] = {}
    for path in served.metrics_dir.glob("counter_*.db"):
        pid = int(path.stem.rpartition("_")[2])
        values = MmapedDict.read_all_values_from_file(str(path))  # type: ignore[no-untyped-call]
        for key, value, _timestamp, _position in values:
            _metric, sample, labels, _help = json.loads(key)
            if sample == "gateway_requests_total" and labels.get("operation") == "Probe":
                counts[pid] = counts.get(pid, 0.0) + value
    return counts


def _scraped_probes(served: Served) -> float:
    response = httpx.get(f"{served.url}/metrics", headers={"Connection": "close"})
    assert response.status_code == 200
    return sum(
        sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
        if sample.name == "gateway_requests_total" and sample.labels.get("operation") == "Probe"
    )


def _probe(served: Served) -> None:
    # a new connection each time, so the kernel hands them to either worker
    response = httpx.post(f"{served.url}/graphql", json={"query": PROBE}, headers={"Connection": "close"})
    assert response.json() == {"data": {"__typename": "Query"}}


def test_two_workers_start_on_a_fresh_demo_database_and_every_demo_login_works(two_workers: Served) -> None:
    for login, _ in DEMO_LOGINS:
        answer = httpx.post(
            f"{two_workers.url}/graphql",
            json={"query": LOGIN, "variables": {"login": login, "password": DEMO_PASSWORD}},
            timeout=30,
        ).json()
        assert answer["data"]["login"]["errors"] == [], login
        assert answer["data"]["login"]["token"], login

    log = two_workers.log.read_text()
    assert "$argon2" not in log
    assert "Traceback" not in log
    assert "LoginTaken" not in log
    assert len(_worker_pids(two_workers)) == 2  # two workers, both started


def _sockets_on_port(served: Served, pid: int, state: str) -> set[str]:
    """The inodes of the TCP sockets on the gateway's port that ``pid`` holds, in ``state``
    (/proc/net/tcp's: 0A listening, 01 established)."""
    port = int(served.url.rsplit(":", 1)[1])
    on_port = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if int(fields[1].rpartition(":")[2], 16) == port and fields[3] == state:
            on_port.add(fields[9])
    held = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        with contextlib.suppress(OSError):
            target = os.readlink(fd)
            if target.startswith("socket:[") and target[8:-1] in on_port:
                held.add(target[8:-1])
    return held


def test_connections_opened_at_once_are_spread_over_both_workers(two_workers: Served) -> None:
    # given: each worker listening on a socket of its own
    pids = _worker_pids(two_workers)
    listening = [_sockets_on_port(two_workers, pid, "0A") for pid in pids]
    assert [len(held) for held in listening] == [1, 1] and listening[0] != listening[1]

    # when: 32 keep-alive connections opened at once, each answered once
    port = int(two_workers.url.rsplit(":", 1)[1])
    connections = [socket.create_connection(("127.0.0.1", port)) for _ in range(32)]
    try:
        for connection in connections:
            connection.sendall(b"GET /healthz HTTP/1.1\r\nHost: gateway\r\n\r\n")
        for connection in connections:
            assert connection.recv(65536).startswith(b"HTTP/1.1 200")
        held = {pid: len(_sockets_on_port(two_workers, pid, "01")) for pid in pids}
    finally:
        for connection in connections:
            connection.close()

    # then: the kernel spread them (32 by their addresses: fewer than 6 on one side is 1 in 10,000)
    assert sum(held.values()) == 32
    assert min(held.values()) >= 6, held


def test_every_scrape_sums_the_counts_of_every_worker(two_workers: Served) -> None:
    # given probes, until both workers have answered some
    before = _scraped_probes(two_workers)
    sent = 0
    with ThreadPoolExecutor(8) as pool:
        for _ in range(20):
            list(pool.map(lambda _: _probe(two_workers), range(16)))
            sent += 16
            if len(_probes_per_worker(two_workers)) == 2:
                break
    per_worker = _probes_per_worker(two_workers)
    assert len(per_worker) == 2, per_worker  # each worker counted some of them itself
    assert sum(per_worker.values()) == before + sent

    # then every scrape, whichever worker answers it, counts them all
    for _ in range(8):
        assert _scraped_probes(two_workers) == before + sent


def test_a_dead_workers_counts_stay_and_its_live_gauges_go(two_workers: Served) -> None:
    # given probes counted by the workers
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda _: _probe(two_workers), range(16)))
    counted = _scraped_probes(two_workers)
    old = _worker_pids(two_workers)
    assert len(old) == 2
    its_socket = _sockets_on_port(two_workers, old[0], "0A")

    # when one worker is killed
    os.kill(old[0], signal.SIGKILL)

    # then the supervisor replaces it and marks it dead: its gauges leave, its counts stay,
    # and the replacement listens on its socket
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        pids = _worker_pids(two_workers)
        if old[0] not in pids and len(pids) == 2:
            break
        time.sleep(0.5)
    pids = _worker_pids(two_workers)
    assert old[0] not in pids
    assert len(pids) == 2, pids
    assert not list(two_workers.metrics_dir.glob(f"gauge_live*_{old[0]}.db"))
    for _ in range(4):
        assert _scraped_probes(two_workers) == counted
    (replacement,) = set(pids) - set(old)
    assert _sockets_on_port(two_workers, replacement, "0A") == its_socket  # it serves the dead one's


def test_the_metrics_directory_was_emptied_at_start(two_workers: Served) -> None:
    assert not (two_workers.metrics_dir / "counter_99999999.db").exists()
