"""``/healthz`` (the process is up) and ``/readyz`` (each back end and the store answer).

Redis, when configured, is reported in ``/readyz``'s body (``checks.redis``; ``degraded``
lists it while it is down) but never makes the replica unready: without it the gateway
still serves, on local fallbacks (``gateway.cache.shared_redis``). The probe goes to Redis even
while it is marked down, so a readiness probe also brings the shared state back sooner.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from starlette.requests import Request
from starlette.responses import JSONResponse

from gateway.cache.shared_redis import DEGRADED, FAILURES, SharedRedis
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
    redis: SharedRedis | None = getattr(request.app.state, "redis", None)
    results = await asyncio.gather(
        *(_check(probe) for probe in probes.values()), *([_redis(redis)] if redis is not None else [])
    )
    checks = dict(zip(probes, results, strict=False))
    ready = all(result["status"] == "up" for result in checks.values())
    body: dict[str, object] = {"status": "ready" if ready else "not ready", "checks": checks}
    if redis is not None:
        checks["redis"] = results[-1]
        body["degraded"] = ["redis"] if results[-1]["status"] != "up" else []
    return JSONResponse(body, status_code=200 if ready else 503)


async def _redis(redis: SharedRedis) -> dict[str, object]:
    """Redis's state, from a ping that bypasses the retry backoff; down is reported, not unready."""
    started = time.perf_counter()
    try:
        await asyncio.wait_for(redis.ping(), READY_TIMEOUT)
    except FAILURES:
        return {
            "status": "down",
            "error": redis.health.last_error or "no answer in time",
            "fallback": DEGRADED,
        }
    return {"status": "up", "latency_ms": round((time.perf_counter() - started) * 1000, 1)}
