"""``python -m bench.profile``: where a warm request's time goes, by pyinstrument.

The app runs in this process (uvicorn, as ``gateway serve`` runs it) against the simulators
in threads; a lean keep-alive client (bench/wire.py) sends the overview (``--query a``: read A)
as novak ``--rounds`` times, either answered from the response cache (``--hit``, the default)
or executed each time with its data from the back-end cache (``--miss``). The profile covers
the requests only.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from pathlib import Path

import uvicorn
from pyinstrument import Profiler

from bench.__main__ import OVERVIEW, PASSWORD, PERSONAS, READ_A
from bench.wire import GraphQLConnection
from fixtures.billing.app import create_app as create_billing
from fixtures.crm.app import create_app as create_crm
from fixtures.nomination.app import create_app as create_nomination
from fixtures.server import free_port, serve_in_thread
from gateway.app import create_app
from gateway.config import Settings

LOGIN = "mutation($l: String!, $p: String!) { login(input: {login: $l, password: $p}) { token } }"


async def _profile(settings: Settings, rounds: int, login: str, query: str) -> Profiler:
    server = uvicorn.Server(uvicorn.Config(create_app(settings), port=settings.port, log_level="warning"))
    serving = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn offers no event for it
        await asyncio.sleep(0.05)
    connection = await GraphQLConnection.open("127.0.0.1", settings.port)
    answer = await connection.post({"query": LOGIN, "variables": {"l": login, "p": PASSWORD}})
    connection.headers["Authorization"] = f"Bearer {answer['data']['login']['token']}"
    payload = {"query": query, "variables": {"number": PERSONAS[login]}}
    for _ in range(20):  # caches filled, code paths warmed
        await connection.post(payload)
    profiler = Profiler(interval=0.0002, async_mode="disabled")
    profiler.start()
    for _ in range(rounds):
        await connection.post(payload)
    profiler.stop()
    await connection.close()
    server.should_exit = True
    await serving
    return profiler


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2000)
    parser.add_argument("--login", choices=sorted(PERSONAS), default="novak")
    parser.add_argument("--query", choices=["overview", "a"], default="overview", help="a: read A")
    parser.add_argument("--miss", action="store_true", help="response cache off: every query executed")
    parser.add_argument("--html", type=Path, help="write the profile as HTML here instead of text")
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory() as workdir,
        serve_in_thread(create_billing()) as billing,
        serve_in_thread(create_crm()) as crm,
        serve_in_thread(create_nomination()) as nomination,
    ):
        settings = Settings(
            demo=True,
            port=free_port("127.0.0.1"),
            database_url=f"sqlite+aiosqlite:///{workdir}/profile.db",
            billing_url=f"{billing}/soap",
            crm_url=crm,
            nomination_url=f"{nomination}/soap",
            outbox_dir=Path(workdir) / "outbox",
            rate_limit_points=0,
            response_cache_bytes=0 if args.miss else 64 * 1024 * 1024,
        )
        profiler = asyncio.run(
            _profile(settings, args.rounds, args.login, READ_A if args.query == "a" else OVERVIEW)
        )
    if args.html:
        args.html.write_text(profiler.output_html())
    else:
        print(profiler.output_text(unicode=True, color=False, show_all=False))


if __name__ == "__main__":
    main()
