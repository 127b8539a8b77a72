"""``/healthz`` (the process is up) and ``/readyz`` (each back end and the store answer)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from starlette.requests import Request
from starlette.responses import JSONResponse

from gateway.errors import GatewayError
from gateway.services import Services

READY_TIMEOUT = 2.0

Probe = Callable[[], Awaitable[None]]


async def healthz(request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


async def _check(probe: Probe) -> dict[str, object]:
    started = time.perf_counter()
    try:
        await asyncio.wait_for(probe(), READY_TIMEOUT)
    except GatewayError as error:
        return {"status": "down", "error": error.message}
    except (TimeoutError, OSError, SQLAlchemyError):
        return {"status": "down", "error": "no answer in time"}
    return {"status": "up", "latency_ms": round((time.perf_counter() - started) * 1000, 1)}


async def readyz(request: Request) -> JSONResponse:
    services: Services = request.app.state.services

    async def store() -> None:
        async with services.store() as session:
            await session.execute(text("SELECT 1"))

    probes: dict[str, Probe] = {
        "billing": services.backends.billing.ping,
        "crm": services.backends.crm.ping,
        "nomination": services.backends.nomination.ping,
        "store": store,
    }
    results = await asyncio.gather(*(_check(probe) for probe in probes.values()))
    checks = dict(zip(probes, results, strict=True))
    ready = all(result["status"] == "up" for result in checks.values())
    return JSONResponse(
        {"status": "ready" if ready else "not ready", "checks": checks}, status_code=200 if ready else 503
    )
