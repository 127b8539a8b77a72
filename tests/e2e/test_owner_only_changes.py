"""Where the customer's money or mail goes (bank account, payment method, contact details,
correspondence and e-invoice address) changes only by an owner's hand, never a delegate's,
and every instant change is mailed to the owners."""

from __future__ import annotations

import email
from pathlib import Path
from typing import Any

import httpx
from starlette.applications import Starlette

from gateway.config import Settings
from gateway.store import audit
from gateway.store.db import transaction
from tests.e2e.client import GraphQLClient, error_codes
from tests.e2e.simulators import own_simulators

NOVAK = "1000012345"
NOVAK_MAIL = "jan.novak@example.cz"
ACCOUNT = "19-2000145399/0800"
GRANT = "mutation G($input: GrantAccessInput!) { grantAccess(input: $input) { errors { code } } }"
SUBMIT = """
mutation Submit($input: SubmitRequestInput!) {
  submitRequest(input: $input) { errors { field code } change { type summary } }
}
"""
PLANS = """
query Plans($n: String!) {
  customer(number: $n) { depositPlans { supplyPointId minimumAmount { amount } paymentMethod bankAccount } }
}
"""
CATALOGUE = "query C($sp: ID) { requestTypes(supplyPointId: $sp) { code allowed notAllowedReason } }"


# Own simulators (CRM cases stay as filed): the bank accounts it changes stay out of other modules.
simulators = own_simulators(progression=None)


async def signed_in(client: httpx.AsyncClient, login: str) -> GraphQLClient:
    gql = GraphQLClient(client)
    await gql.login(login)
    client.cookies.clear()
    return gql


async def submitting_delegate(client: httpx.AsyncClient, login: str = "svobodova") -> GraphQLClient:
    """``login``, holding SUBMIT_REQUESTS (and both VIEW scopes) on novak's number."""
    owner = await signed_in(client, "novak")
    granted = await owner.execute(
        GRANT,
        {
            "input": {
                "customerNumber": NOVAK,
                "login": login,
                "scopes": ["SUBMIT_REQUESTS", "VIEW_BILLING", "VIEW_SUPPLY_POINTS"],
                "consentText": "Souhlasím, aby svobodova podávala moje požadavky.",
            }
        },
    )
    assert granted["data"]["grantAccess"]["errors"] == []
    return await signed_in(client, login)


async def first_plan(gql: GraphQLClient) -> dict[str, Any]:
    result = await gql.execute(PLANS, {"n": NOVAK})
    assert "errors" not in result, result
    plan: dict[str, Any] = result["data"]["customer"]["depositPlans"][0]
    return plan


def submission(key: str, request: dict[str, Any]) -> dict[str, Any]:
    return {"input": {"customerNumber": NOVAK, "idempotencyKey": key, "request": request}}


def mails_to(outbox: Path, address: str) -> list[str]:
    found = []
    for path in sorted(outbox.glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes())
        payload = message.get_payload(decode=True)
        if message["To"] == address and isinstance(payload, bytes):
            found.append(payload.decode())
    return found


async def test_a_delegate_with_submit_requests_cannot_move_money_or_mail(
    client: httpx.AsyncClient, simulators: dict[str, str], settings: Settings
) -> None:
    # given
    delegate = await submitting_delegate(client)
    plan = await first_plan(delegate)
    point = plan["supplyPointId"]
    mailed = len(mails_to(settings.outbox_dir, NOVAK_MAIL))
    httpx.delete(f"{simulators['billing']}/__sim/stats")
    httpx.delete(f"{simulators['crm']}/__sim/stats")

    # when
    refused = [
        await delegate.execute(SUBMIT, submission(f"owner-only-{kind}", {kind: value}))
        for kind, value in {
            "bankDetailsChange": {"supplyPointId": point, "bankAccount": ACCOUNT},
            "paymentMethodChange": {"supplyPointId": point, "method": "DIRECT_DEBIT", "bankAccount": ACCOUNT},
            "contactChange": {"email": "podvodnik@example.cz"},
            "correspondenceAddressChange": {
                "street": "Jinde",
                "houseNumber": "1",
                "city": "Praha",
                "postcode": "110 00",
            },
            "eInvoiceChange": {"email": "podvodnik@example.cz"},
        }.items()
    ]

    # then: refused before any back-end write, nothing changed, nobody told of a change
    assert [error_codes(result) for result in refused] == [["FORBIDDEN"]] * 5
    billing_calls = httpx.get(f"{simulators['billing']}/__sim/stats").json()["calls"]
    crm_calls = httpx.get(f"{simulators['crm']}/__sim/stats").json()["calls"]
    assert "ChangePaymentMethod" not in billing_calls
    assert "ChangeContactDetails" not in crm_calls
    assert (await first_plan(delegate))["bankAccount"] == plan["bankAccount"]
    assert len(mails_to(settings.outbox_dir, NOVAK_MAIL)) == mailed


async def test_the_catalogue_tells_a_delegate_which_kinds_are_the_owners(client: httpx.AsyncClient) -> None:
    delegate = await submitting_delegate(client, "poradce")  # owns no customer number of its own
    point = (await first_plan(delegate))["supplyPointId"]

    per_point = {
        entry["code"]: (entry["allowed"], entry["notAllowedReason"])
        for entry in (await delegate.execute(CATALOGUE, {"sp": point}))["data"]["requestTypes"]
    }
    bare = {
        entry["code"]: (entry["allowed"], entry["notAllowedReason"])
        for entry in (await delegate.execute(CATALOGUE))["data"]["requestTypes"]
    }

    money = ("BANK_DETAILS_CHANGE", "PAYMENT_METHOD_CHANGE")
    mail = ("CONTACT_CHANGE", "CORRESPONDENCE_ADDRESS_CHANGE", "E_INVOICE_CHANGE")  # per customer
    assert {per_point[code] for code in money} == {(False, "OWNER_ONLY")}
    assert {bare[code] for code in (*money, *mail)} == {(False, "OWNER_ONLY")}
    assert per_point["TERMINATION"] == (False, "OWNER_ONLY")  # ending the contract is the owner's
    assert per_point["TRANSFER"] == (False, "OWNER_ONLY")  # so is handing it to a new customer
    assert bare["POWER_OF_ATTORNEY"] == (False, "OWNER_ONLY")  # and who may act for the customer
    for listing in (per_point, bare):
        assert listing["DEPOSIT_CHANGE"] == (True, None)
        assert listing["FREE_TEXT"] == (True, None)


async def test_the_owners_change_of_bank_account_is_done_and_mailed_to_the_owners(
    client: httpx.AsyncClient, settings: Settings, app: Starlette
) -> None:
    # given
    owner = await signed_in(client, "novak")
    point = (await first_plan(owner))["supplyPointId"]

    # when
    changed = await owner.execute(
        SUBMIT,
        submission("owner-bank", {"bankDetailsChange": {"supplyPointId": point, "bankAccount": ACCOUNT}}),
    )

    # then
    assert changed["data"]["submitRequest"]["errors"] == []
    assert (await first_plan(owner))["bankAccount"] == ACCOUNT
    [told] = mails_to(settings.outbox_dir, NOVAK_MAIL)
    assert "****5399/0800" in told and "novak" in told
    async with transaction(app.state.services.store) as db:
        entries = await audit.list_audit(db, customer_number=NOVAK)
    assert entries[0].action == "request.submit"
    assert (entries[0].detail or {})["role"] == "OWNER"


async def test_a_delegates_deposit_change_is_allowed_and_the_owners_are_told(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    delegate = await submitting_delegate(client)
    plan = await first_plan(delegate)
    amount = str(int(float(plan["minimumAmount"]["amount"])) + 200)
    mailed = len(mails_to(settings.outbox_dir, NOVAK_MAIL))

    changed = await delegate.execute(
        SUBMIT,
        submission(
            "delegate-deposit", {"depositChange": {"supplyPointId": plan["supplyPointId"], "amount": amount}}
        ),
    )

    assert changed["data"]["submitRequest"]["errors"] == []
    told = mails_to(settings.outbox_dir, NOVAK_MAIL)
    assert len(told) == mailed + 1
    assert "svobodova" in told[-1]
