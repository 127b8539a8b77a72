"""Opening the real adapters: one shared ``httpx.AsyncClient`` per back end, closed at shutdown.

Every HTTP call to a back end goes through ``TracedTransport``: traced as a client span named
for its SOAP operation or REST route, with the trace's ``traceparent`` and the request's
``X-Request-ID`` sent along (``gateway.observability``).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import AsyncIterator, Callable

import httpx

from gateway.adapters.billing.soap import SoapBilling
from gateway.adapters.cached import CachedBilling, CachedCrm, CachedNomination
from gateway.adapters.crm.rest import RestCrm
from gateway.adapters.nomination.soap import SoapNomination
from gateway.adapters.resilient import ResilientBilling, ResilientCrm, ResilientNomination
from gateway.cache.store import CacheStore
from gateway.config import Settings
from gateway.metrics import Metrics
from gateway.observability import request_record, tracing
from gateway.resilience import Policy, PolicySettings
from gateway.services import Backends

MAX_CONNECTIONS = 100


class TracedTransport(httpx.AsyncBaseTransport):
    """``inner``, with each call to ``backend`` traced and carrying the request's ids."""

    def __init__(self, backend: str, inner: httpx.AsyncBaseTransport) -> None:
        self.backend = backend
        self.inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        record = request_record.current()
        if record is not None:
            request.headers["X-Request-ID"] = record.request_id
        with tracing.backend_http_span(
            self.backend,
            method=request.method,
            path=request.url.path,
            soap_action=request.headers.get("SOAPAction"),
            headers=request.headers,
        ) as span:
            response = await self.inner.handle_async_request(request)
            if span is not None:
                span.set_attribute("http.response.status_code", response.status_code)
                if response.status_code >= 500:
                    tracing.mark_error(span, f"HTTP {response.status_code}")
            return response

    async def aclose(self) -> None:
        await self.inner.aclose()


def _client(backend: str, timeout: float) -> httpx.AsyncClient:
    limits = httpx.Limits(max_connections=MAX_CONNECTIONS, max_keepalive_connections=MAX_CONNECTIONS)
    return httpx.AsyncClient(
        timeout=httpx.Timeout(timeout, connect=min(timeout, 2.0)),
        transport=TracedTransport(backend, httpx.AsyncHTTPTransport(limits=limits)),
    )


def policy(
    settings: Settings,
    backend: str,
    *,
    metrics: Metrics | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> Policy:
    """The resilience policy of ``backend`` (billing, crm, nomination) from the settings;
    ``clock`` (monotonic seconds) times its breaker, moved by tests."""
    return Policy(
        backend,
        PolicySettings(
            timeout=getattr(settings, f"{backend}_timeout"),
            attempts=settings.retry_attempts,
            failure_threshold=settings.breaker_failure_threshold,
            reset_after=settings.breaker_reset_seconds,
            max_concurrency=getattr(settings, f"{backend}_max_concurrency"),
        ),
        metrics=metrics,
        clock=clock,
    )


@contextlib.asynccontextmanager
async def open_backends(
    settings: Settings,
    *,
    cache: CacheStore | None = None,
    metrics: Metrics | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> AsyncIterator[Backends]:
    """The real adapters, each behind its resilience policy and, given a ``cache``, the cache:
    ``CachedBilling(ResilientBilling(SoapBilling(...)))``, and so the CRM and nomination."""
    async with (
        _client("billing", settings.billing_timeout) as billing_http,
        _client("crm", settings.crm_timeout) as crm_http,
        _client("nomination", settings.nomination_timeout) as nomination_http,
    ):
        cache = cache if settings.cache_enabled else None
        policies = {
            name: policy(settings, name, metrics=metrics, clock=clock)
            for name in ("billing", "crm", "nomination")
        }
        billing = ResilientBilling(
            SoapBilling(
                http=billing_http,
                address=settings.billing_url,
                username=settings.billing_username,
                password=settings.billing_password.get_secret_value(),
            ),
            policies["billing"],
        )
        crm = ResilientCrm(
            RestCrm(crm_http, base_url=settings.crm_url, api_key=settings.crm_api_key.get_secret_value()),
            policies["crm"],
        )
        nomination = ResilientNomination(
            SoapNomination(
                http=nomination_http,
                address=settings.nomination_url,
                username=settings.nomination_username,
                password=settings.nomination_password.get_secret_value(),
            ),
            policies["nomination"],
        )
        try:
            yield Backends(
                billing=CachedBilling(billing, cache, metrics=metrics) if cache is not None else billing,
                crm=CachedCrm(crm, cache, metrics=metrics) if cache is not None else crm,
                nomination=CachedNomination(nomination, cache, metrics=metrics)
                if cache is not None
                else nomination,
                breakers={name: p.breaker for name, p in policies.items()},
            )
        finally:
            for each in policies.values():
                await each.close()
