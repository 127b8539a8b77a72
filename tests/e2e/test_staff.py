"""Staff: API key, read-only across customers, every read audited."""

from __future__ import annotations

import asyncio
import contextlib

import httpx
import pytest
from starlette.applications import Starlette

from gateway.cli import main
from gateway.config import Settings
from gateway.sessions import API_KEY_REFUSED
from gateway.store import audit
from gateway.store.db import transaction
from gateway.store.models import ActorKind
from tests.e2e.client import GraphQLClient, error_codes

NOVAK, PEKARNA = "1000012345", "2000034567"
READ = """
query StaffLook { a: customer(number: "1000012345") { name } b: customer(number: "2000034567") { name } }
"""


async def test_staff_read_any_customer_and_each_read_is_audited(gql: GraphQLClient, app: Starlette) -> None:
    # given
    gql.headers["X-API-Key"] = "demo-staff-key"

    # when
    result = await gql.execute(READ)

    # then
    assert error_codes(result) == []
    assert result["data"]["a"]["name"] and result["data"]["b"]["name"]
    async with transaction(app.state.services.store) as db:
        entries = await audit.list_audit(db, actor_kind=ActorKind.STAFF)
    assert sorted((e.customer_number, e.action, (e.detail or {})["operation"]) for e in entries) == [
        (NOVAK, "staff_read", "StaffLook"),
        (PEKARNA, "staff_read", "StaffLook"),
    ]


async def test_staff_cannot_mutate(gql: GraphQLClient) -> None:
    gql.headers["X-API-Key"] = "demo-staff-key"

    result = await gql.execute(
        'mutation { setActiveCustomer(customerNumber: "1000012345") { errors { code } } }'
    )

    assert error_codes(result) == ["FORBIDDEN"]


async def test_an_unknown_key_is_refused_as_unauthenticated(gql: GraphQLClient) -> None:
    gql.headers["X-API-Key"] = "not-a-key"

    result = await gql.execute(READ)

    assert set(error_codes(result)) == {"UNAUTHENTICATED"}
    assert {error["message"] for error in result["errors"]} == {API_KEY_REFUSED}


async def test_the_cli_creates_a_key_once_and_revokes_it(
    client: httpx.AsyncClient,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("GATEWAY_DATABASE_URL", settings.database_url)

    def run(*argv: str) -> str:
        with contextlib.suppress(SystemExit):
            main(list(argv))
        return capsys.readouterr().out

    created = await asyncio.to_thread(run, "api-key", "create", "dashboard", "--role", "SUPPORT")
    key_id, raw = created.split()[1], created.splitlines()[1]
    staff = GraphQLClient(client)
    staff.headers["X-API-Key"] = raw
    assert error_codes(await staff.execute(READ)) == []
    assert raw not in await asyncio.to_thread(run, "api-key", "list")

    await asyncio.to_thread(run, "api-key", "revoke", key_id)

    assert set(error_codes(await staff.execute(READ))) == {"UNAUTHENTICATED"}
