"""Opening the real adapters: one shared ``httpx.AsyncClient`` per back end, closed at shutdown."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

import httpx

from gateway.adapters.billing.soap import SoapBilling
from gateway.adapters.crm.rest import RestCrm
from gateway.adapters.nomination.soap import SoapNomination
from gateway.config import Settings
from gateway.services import Backends

MAX_CONNECTIONS = 100


def _client(timeout: float) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        timeout=httpx.Timeout(timeout, connect=min(timeout, 2.0)),
        limits=httpx.Limits(max_connections=MAX_CONNECTIONS, max_keepalive_connections=MAX_CONNECTIONS),
    )


@contextlib.asynccontextmanager
async def open_backends(settings: Settings) -> AsyncIterator[Backends]:
    async with (
        _client(settings.billing_timeout) as billing_http,
        _client(settings.crm_timeout) as crm_http,
        _client(settings.nomination_timeout) as nomination_http,
    ):
        yield Backends(
            billing=SoapBilling(
                http=billing_http,
                address=settings.billing_url,
                username=settings.billing_username,
                password=settings.billing_password.get_secret_value(),
            ),
            crm=RestCrm(crm_http, base_url=settings.crm_url, api_key=settings.crm_api_key.get_secret_value()),
            nomination=SoapNomination(
                http=nomination_http,
                address=settings.nomination_url,
                username=settings.nomination_username,
                password=settings.nomination_password.get_secret_value(),
            ),
        )
