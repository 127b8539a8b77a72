"""Whether one customer's bad input refuses other customers' billing reads (issue 9, item 3).

    .venv/bin/python -m bench.bad_input [--seconds 10] [--rate 2] [--read-every 1]

One customer (novak) sends ``rate`` bad invoice filters a second (open loop) for ``seconds``; meanwhile
two other customers (svobodova, pekarna) each read their invoices every ``read-every``
seconds, with the cache off so that every read goes to billing. Prints, per kind of bad input, how many of
the others' reads were refused (``BACKEND_UNAVAILABLE``) and how many calls billing served.
The gateway runs in process (httpx's ASGI transport), the simulators on real sockets.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
from starlette.applications import Starlette

from fixtures import personas
from fixtures.billing.app import create_app as create_billing
from fixtures.crm.app import create_app as create_crm
from fixtures.nomination.app import create_app as create_nomination
from fixtures.server import serve_in_thread
from gateway.app import create_app
from gateway.config import Settings
from gateway.schema.node import to_global_id

PASSWORD = "Demo-heslo-2026"
INVOICES = """
query Invoices($number: String!, $filter: InvoiceFilter) {
  customer(number: $number) { invoices(first: 3, filter: $filter) { totalCount } }
}
"""
LOGIN = "mutation($l: String!, $p: String!) { login(input: {login: $l, password: $p}) { token } }"
BAD_FILTERS: dict[str, dict[str, str]] = {
    "amountFrom NaN (the gateway refuses)": {"amountFrom": "NaN"},
    "supplyPointId billing refuses": {"supplyPointId": to_global_id("SupplyPoint", "0000")},
}
OTHERS = {"svobodova": personas.SVOBODOVA, "pekarna": personas.PEKARNA}


async def logged_in(app: Starlette, name: str) -> httpx.AsyncClient:
    """A client of its own (the session cookie is per client) with ``name``'s bearer token."""
    http = httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://gateway")
    answer = await http.post("/graphql", json={"query": LOGIN, "variables": {"l": name, "p": PASSWORD}})
    http.headers["Authorization"] = f"Bearer {answer.json()['data']['login']['token']}"
    return http


def code_of(body: dict[str, Any]) -> str:
    errors = body.get("errors") or []
    return str(errors[0]["extensions"]["code"]) if errors else "ok"


async def run(
    settings: Settings, bad: dict[str, str], *, seconds: float, rate: float, read_every: float
) -> tuple[Counter[str], Counter[str]]:
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        attacker = await logged_in(app, "novak")
        others = {number: await logged_in(app, name) for name, number in OTHERS.items()}
        deadline = time.monotonic() + seconds
        attacks: Counter[str] = Counter()
        reads: Counter[str] = Counter()

        async def one_attack() -> None:
            variables = {"number": personas.NOVAK, "filter": bad}
            answer = await attacker.post("/graphql", json={"query": INVOICES, "variables": variables})
            attacks[code_of(answer.json())] += 1

        async def attack() -> None:  # open loop: a request every 1/rate s, answered or not
            sent: list[asyncio.Task[None]] = []
            while time.monotonic() < deadline:
                sent.append(asyncio.create_task(one_attack()))
                await asyncio.sleep(1 / rate)
            await asyncio.gather(*sent)

        async def read(number: str, http: httpx.AsyncClient) -> None:
            while time.monotonic() < deadline:
                variables = {"number": number}
                answer = await http.post("/graphql", json={"query": INVOICES, "variables": variables})
                reads[code_of(answer.json())] += 1
                await asyncio.sleep(read_every)

        try:
            await asyncio.gather(attack(), *(read(n, h) for n, h in others.items()))
        finally:
            for http in (attacker, *others.values()):
                await http.aclose()
        return attacks, reads


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--rate", type=float, default=2.0, help="bad requests a second")
    parser.add_argument("--read-every", type=float, default=1.0, help="seconds between a customer's reads")
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory() as directory,
        serve_in_thread(create_billing()) as billing,
        serve_in_thread(create_crm()) as crm,
        serve_in_thread(create_nomination()) as nomination,
    ):
        for label, bad in BAD_FILTERS.items():
            settings = Settings(
                demo=True,
                database_url=f"sqlite+aiosqlite:///{Path(directory) / label[:6]}.db",
                billing_url=f"{billing}/soap",
                crm_url=crm,
                nomination_url=f"{nomination}/soap",
                cache_enabled=False,
                outbox_dir=Path(directory) / "outbox",
            )
            httpx.delete(f"{billing}/__sim/stats")
            attacks, reads = asyncio.run(
                run(settings, bad, seconds=args.seconds, rate=args.rate, read_every=args.read_every)
            )
            served = httpx.get(f"{billing}/__sim/stats").json()["calls"].get("GetInvoiceList", 0)
            refused = reads["BACKEND_UNAVAILABLE"]
            total = sum(reads.values())
            print(f"{label}: bad requests {dict(attacks)}")
            print(
                f"  others' uncached reads: {total}, refused {refused} ({refused / total:.0%}), "
                f"outcomes {dict(reads)}; billing served {served} GetInvoiceList calls"
            )


if __name__ == "__main__":
    main()
