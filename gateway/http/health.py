"""``/healthz`` (the process is up) and ``/readyz`` (this replica can serve).

Ready means this replica can serve: its store answers (``checks.store``). A load balancer
takes a replica that is not ready out of rotation, which helps only for what is this
replica's own. What every replica shares is reported, never made a reason to be unready:
taking every replica out because a shared dependency is gone would take the whole portal
down while most of it works.

* Each back end is in ``backends``: its answer to a ping and its circuit breaker's state, and
  in ``degraded`` while it is down. The pings go around the breakers (``Policy.probe``): a
  probe is neither refused by an open breaker nor counted for or against it.
* Redis, when configured, is in ``checks.redis`` and in ``degraded`` while it is down: the
  replica serves on local fallbacks meanwhile (``gateway.cache.shared_redis``). It is probed
  even while marked down, bypassing its retry backoff, so a readiness probe also brings the
  shared state back sooner.
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
    ready = store_check["status"] == "up"
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
