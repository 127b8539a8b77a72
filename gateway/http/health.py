"""``/healthz`` (the process is up) and ``/readyz`` (this replica can serve).

Ready means what this replica itself needs to serve answers: its store and, when configured,
Redis (``checks``). A load balancer takes a replica that is not ready out of rotation, which
helps only for what is this replica's own; a back end is shared by every replica, and most of
the portal works while one is down. So each back end is reported in ``backends`` (its answer
to a ping and its circuit breaker's state) and in ``degraded`` while it is down, but never
makes the replica unready. The pings go around the breakers (``Policy.probe``): a probe is
neither refused by an open breaker nor counted for or against it.

Redis is probed even while it is marked down, bypassing its retry backoff, so a readiness
probe also brings the shared state back sooner (``gateway.cache.shared_redis``).
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
    backends = services.backends

    async def store() -> None:
        async with services.store() as session:
            await session.execute(text("SELECT 1"))

    pings: dict[str, Probe] = {
        "billing": backends.billing.ping,
        "crm": backends.crm.ping,
        "nomination": backends.nomination.ping,
    }
    redis: SharedRedis | None = getattr(request.app.state, "redis", None)
    store_check, redis_check, *answers = await asyncio.gather(
        _check(store), _redis(redis), *(_check(ping) for ping in pings.values())
    )
    checks = {"store": store_check} | ({"redis": redis_check} if redis is not None else {})
    reported: dict[str, dict[str, object]] = {}
    for name, answer in zip(pings, answers, strict=True):
        breaker = backends.breakers.get(name)
        reported[name] = answer | ({"breaker": breaker.state.name.lower()} if breaker is not None else {})
    ready = all(check["status"] == "up" for check in checks.values())
    body = {
        "status": "ready" if ready else "not ready",
        "checks": checks,
        "backends": reported,
        "degraded": [name for name, check in (checks | reported).items() if check["status"] != "up"],
    }
    return JSONResponse(body, status_code=200 if ready else 503)


async def _redis(redis: SharedRedis | None) -> dict[str, object]:
    """Redis's state, from a ping that bypasses the retry backoff."""
    if redis is None:
        return {"status": "up"}
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
