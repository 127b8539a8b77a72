"""Every request write leaves an audit entry: who (owner or delegate), which customer number,
what was done to which request."""

from __future__ import annotations

import httpx
from starlette.applications import Starlette

from gateway.schema.node import from_global_id
from gateway.store import audit
from gateway.store.db import transaction
from gateway.store.models import ActorKind
from tests.e2e.client import GraphQLClient
from tests.e2e.simulators import own_simulators

NOVAK = "1000012345"
GRANT = """
mutation Grant($input: GrantAccessInput!) { grantAccess(input: $input) { errors { code message } } }
"""
SUBMIT = """
mutation Submit($input: SubmitRequestInput!) {
  submitRequest(input: $input) { errors { code } request { id } }
}
"""
UPDATE = """
mutation Update($id: ID!, $summary: String!) {
  updateRequest(input: {requestId: $id, summary: $summary}) { errors { code } request { summary } }
}
"""
CANCEL = """
mutation Cancel($id: ID!) { cancelRequest(input: {requestId: $id}) { errors { code } request { state } } }
"""


# Own simulators (CRM cases stay as filed): the cases it files stay out of the other modules' counts.
simulators = own_simulators(progression=None)


async def signed_in(client: httpx.AsyncClient, login: str) -> GraphQLClient:
    """A bearer-token client: clients sharing one cookie jar would rotate each other out."""
    gql = GraphQLClient(client)
    await gql.login(login)
    client.cookies.clear()
    return gql


async def filed(gql: GraphQLClient, key: str, subject: str) -> str:
    result = await gql.execute(
        SUBMIT,
        {
            "input": {
                "customerNumber": NOVAK,
                "idempotencyKey": key,
                "request": {"freeText": {"subject": subject, "text": "Prosím o zavolání."}},
            }
        },
    )
    assert result["data"]["submitRequest"]["errors"] == [], result
    request_id: str = result["data"]["submitRequest"]["request"]["id"]
    return request_id


async def test_submit_update_and_cancel_are_audited_with_the_actor_and_the_customer_number(
    app: Starlette, client: httpx.AsyncClient
) -> None:
    # given: svobodova may file requests for novak's customer number
    owner = await signed_in(client, "novak")
    granted = await owner.execute(
        GRANT,
        {
            "input": {
                "customerNumber": NOVAK,
                "login": "svobodova",
                "scopes": ["SUBMIT_REQUESTS"],
                "consentText": "Souhlasím, aby svobodova podávala moje požadavky.",
            }
        },
    )
    assert granted["data"]["grantAccess"]["errors"] == []
    delegate = await signed_in(client, "svobodova")

    # when
    own = await filed(owner, "audit-owner", "Dotaz majitele")
    delegated = await filed(delegate, "audit-delegate", "Dotaz zmocněnce")
    updated = await delegate.execute(UPDATE, {"id": delegated, "summary": "Dotaz zmocněnce, doplněno"})
    cancelled = await owner.execute(CANCEL, {"id": delegated})

    # then
    assert updated["data"]["updateRequest"]["errors"] == []
    assert cancelled["data"]["cancelRequest"]["request"]["state"] == "CANCELLED"
    async with transaction(app.state.services.store) as db:
        entries = await audit.list_audit(db, customer_number=NOVAK)
    written = [
        (
            e.action,
            (e.detail or {}).get("login"),
            (e.detail or {}).get("role"),
            (e.detail or {})["request_id"],
        )
        for e in reversed(entries)
        if e.action.startswith("request.")
    ]
    own_id, delegated_id = from_global_id(own)[1], from_global_id(delegated)[1]
    assert written == [
        ("request.submit", "novak", "OWNER", own_id),
        ("request.submit", "svobodova", "DELEGATE", delegated_id),
        ("request.update", "svobodova", "DELEGATE", delegated_id),
        ("request.cancel", "novak", "OWNER", delegated_id),
    ]
    request_entries = [e for e in entries if e.action.startswith("request.")]
    assert {e.actor_kind for e in request_entries} == {ActorKind.USER}
    assert {e.customer_number for e in request_entries} == {NOVAK}
    actor_of = {(e.detail or {})["login"]: e.actor_id for e in request_entries}
    assert len({actor_of["novak"], actor_of["svobodova"]}) == 2
    assert {e.actor_id for e in request_entries if (e.detail or {})["login"] == "novak"} == {
        actor_of["novak"]
    }
