"""A customer number that has an owner is not taken by proving one printed fact: a further
owner needs the stronger proof (an invoice's variable symbol and total) and an owner's
approval; owners see and decide claims, are mailed, and remove co-owners (never the last)."""

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

NOVAK, SVOBODOVA = "1000012345", "1000023456"
NOVAK_MAIL = "jan.novak@example.cz"
PASSWORD = "Zelena-louka-42"
PROOFS = """
query Proofs($n: String!) {
  customer(number: $n) {
    supplyPoints { code }
    invoices(first: 1) { edges { node { variableSymbol total { amount } } } }
  }
}
"""
REGISTER = """
mutation Register($input: RegisterInput!) {
  register(input: $input) {
    token
    viewer { customers { number } ownershipClaims { customerNumber login status } }
    errors { field code message }
  }
}
"""
ADD = """
mutation Add($input: AddCustomerNumberInput!) {
  addCustomerNumber(input: $input) {
    viewer { customers { number } ownershipClaims { customerNumber status } } errors { field code }
  }
}
"""
CLAIMS = "query C($n: String!) { customer(number: $n) { ownershipClaims { login status createdAt } } }"
MY_CLAIMS = "{ viewer { customers { number } ownershipClaims { customerNumber login status decidedAt } } }"
APPROVE = """
mutation A($input: OwnershipClaimInput!) {
  approveOwnershipClaim(input: $input) { claim { login status } errors { code } }
}
"""
REJECT = """
mutation R($input: OwnershipClaimInput!) {
  rejectOwnershipClaim(input: $input) { claim { login status } errors { code } }
}
"""
GRANTS = "query G($n: String!) { customer(number: $n) { accessGrants { login role } } }"
GRANTED_BY = "query G($n: String!) { customer(number: $n) { accessGrants { login role grantedBy } } }"
REVOKE = "mutation V($input: RevokeAccessInput!) { revokeAccess(input: $input) { ok errors { field code } } }"
INVOICES = "query I($n: String!) { customer(number: $n) { invoices(first: 1) { totalCount } } }"
MERGE = """
mutation M($input: MergeAccountsInput!) {
  mergeAccounts(input: $input) { movedCustomerNumbers errors { code } }
}
"""
GRANT = """
mutation Grant($input: GrantAccessInput!) { grantAccess(input: $input) { errors { code } } }
"""


async def signed_in(client: httpx.AsyncClient, login: str) -> GraphQLClient:
    """A bearer-token client: clients sharing one cookie jar would rotate each other out."""
    gql = GraphQLClient(client)
    await gql.login(login)
    client.cookies.clear()
    return gql


async def invoice_of(client: httpx.AsyncClient, owner: str, number: str) -> dict[str, Any]:
    """A variable symbol, its invoice's total and a supply point code of ``number``, read by its owner."""
    customer = (await (await signed_in(client, owner)).execute(PROOFS, {"n": number}))["data"]["customer"]
    invoice = customer["invoices"]["edges"][0]["node"]
    return {
        "variableSymbol": invoice["variableSymbol"],
        "total": invoice["total"]["amount"],
        "supplyPointCode": customer["supplyPoints"][0]["code"],
    }


def registration(login: str, proof: dict[str, Any]) -> dict[str, Any]:
    return {
        "input": {
            "login": login,
            "password": PASSWORD,
            "email": f"{login}@example.cz",
            "customerNumber": NOVAK,
            "proof": proof,
        }
    }


def mails_to(outbox: Path, address: str) -> list[str]:
    """Subject and body of each mail to ``address``, oldest first."""
    found = []
    for path in sorted(outbox.glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes())
        if message["To"] == address:
            payload = message.get_payload(decode=True)
            assert isinstance(payload, bytes)
            found.append(f"{message['Subject']}\n{payload.decode()}")
    return found


async def claimed(client: httpx.AsyncClient, login: str = "jana") -> GraphQLClient:
    """``login`` registers with the stronger proof of novak's number: a pending claim."""
    proof = await invoice_of(client, "novak", NOVAK)
    strong = {"invoice": {"variableSymbol": proof["variableSymbol"], "total": proof["total"]}}
    result = await GraphQLClient(client).execute(REGISTER, registration(login, strong))
    client.cookies.clear()
    payload = result["data"]["register"]
    assert payload["errors"] == [], payload
    claimant = GraphQLClient(client)
    claimant.headers["Authorization"] = f"Bearer {payload['token']}"
    return claimant


async def audit_actions(app: Starlette, number: str) -> list[tuple[str, dict[str, Any]]]:
    async with transaction(app.state.services.store) as db:
        entries = await audit.list_audit(db, customer_number=number)
    return [(entry.action, entry.detail or {}) for entry in reversed(entries)]


async def test_a_single_printed_fact_gives_a_stranger_no_access_to_an_owned_number(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    # given: the facts printed on every one of novak's invoices
    proof = await invoice_of(client, "novak", NOVAK)
    stranger, delegate = await signed_in(client, "svobodova"), await signed_in(client, "poradce")

    # when
    registered = await GraphQLClient(client).execute(
        REGISTER, registration("cizinec", {"variableSymbol": proof["variableSymbol"]})
    )
    added = await stranger.execute(
        ADD, {"input": {"customerNumber": NOVAK, "proof": {"supplyPointCode": proof["supplyPointCode"]}}}
    )
    escalated = await delegate.execute(
        ADD, {"input": {"customerNumber": NOVAK, "proof": {"variableSymbol": proof["variableSymbol"]}}}
    )

    # then: nothing created, no access, poradce still a VIEW_BILLING delegate
    assert registered["data"]["register"]["token"] is None
    assert [e["code"] for e in registered["data"]["register"]["errors"]] == ["STRONGER_PROOF_NEEDED"]
    assert (await GraphQLClient(client).login_raw("cizinec", PASSWORD))["data"]["login"]["token"] is None
    assert added["data"]["addCustomerNumber"]["errors"] == [
        {"field": ["input", "proof"], "code": "STRONGER_PROOF_NEEDED"}
    ]
    assert error_codes(await stranger.execute(INVOICES, {"n": NOVAK})) == ["NOT_FOUND"]
    assert escalated["data"]["addCustomerNumber"]["errors"][0]["code"] == "STRONGER_PROOF_NEEDED"
    owner = await signed_in(client, "novak")
    grants = (await owner.execute(GRANTS, {"n": NOVAK}))["data"]["customer"]["accessGrants"]
    assert grants == [{"login": "novak", "role": "OWNER"}, {"login": "poradce", "role": "DELEGATE"}]
    assert (await owner.execute(CLAIMS, {"n": NOVAK}))["data"]["customer"]["ownershipClaims"] == []
    assert mails_to(settings.outbox_dir, NOVAK_MAIL) == []


async def test_a_wrong_or_malformed_invoice_total_fails_like_a_wrong_proof(
    client: httpx.AsyncClient, simulators: dict[str, str]
) -> None:
    proof = await invoice_of(client, "novak", NOVAK)
    anonymous = GraphQLClient(client)

    wrong = await anonymous.execute(
        REGISTER,
        registration("jana", {"invoice": {"variableSymbol": proof["variableSymbol"], "total": "1.01"}}),
    )
    httpx.delete(f"{simulators['billing']}/__sim/stats")
    not_a_number = await anonymous.execute(
        REGISTER,
        registration("jana", {"invoice": {"variableSymbol": proof["variableSymbol"], "total": "NaN"}}),
    )
    not_a_symbol = await anonymous.execute(
        REGISTER, registration("jana", {"invoice": {"variableSymbol": "12ab", "total": proof["total"]}})
    )

    assert [e["code"] for e in wrong["data"]["register"]["errors"]] == ["PROOF_FAILED"]
    for refused in (not_a_number, not_a_symbol):
        codes = [e["code"] for e in refused["data"]["register"]["errors"]] if refused.get("data") else []
        assert codes == ["PROOF_FAILED"] or error_codes(refused) == ["BAD_USER_INPUT"], refused
    assert httpx.get(f"{simulators['billing']}/__sim/stats").json()["calls"] == {}


async def test_the_stronger_proof_files_a_claim_the_owner_is_mailed_sees_and_approves(
    client: httpx.AsyncClient, settings: Settings, app: Starlette
) -> None:
    # when: jana registers with an invoice's variable symbol and total
    claimant = await claimed(client)

    # then: a pending claim, no access
    mine = (await claimant.execute(MY_CLAIMS))["data"]["viewer"]
    assert mine["customers"] == []
    assert mine["ownershipClaims"] == [
        {"customerNumber": NOVAK, "login": "jana", "status": "PENDING", "decidedAt": None}
    ]
    assert error_codes(await claimant.execute(INVOICES, {"n": NOVAK})) == ["NOT_FOUND"]
    [told] = mails_to(settings.outbox_dir, NOVAK_MAIL)
    assert NOVAK in told and "jana" in told
    owner = await signed_in(client, "novak")
    [pending] = (await owner.execute(CLAIMS, {"n": NOVAK}))["data"]["customer"]["ownershipClaims"]
    assert (pending["login"], pending["status"]) == ("jana", "PENDING")

    # when: novak approves
    approved = await owner.execute(APPROVE, {"input": {"customerNumber": NOVAK, "login": "jana"}})

    # then: jana is a co-owner, listed with the others
    assert approved["data"]["approveOwnershipClaim"] == {
        "claim": {"login": "jana", "status": "APPROVED"},
        "errors": [],
    }
    assert error_codes(await claimant.execute(INVOICES, {"n": NOVAK})) == []
    assert (await claimant.execute(MY_CLAIMS))["data"]["viewer"]["customers"] == [{"number": NOVAK}]
    grants = (await owner.execute(GRANTED_BY, {"n": NOVAK}))["data"]["customer"]["accessGrants"]
    assert {"login": "jana", "role": "OWNER", "grantedBy": "novak"} in grants
    assert (await owner.execute(CLAIMS, {"n": NOVAK}))["data"]["customer"]["ownershipClaims"] == []
    assert len(mails_to(settings.outbox_dir, NOVAK_MAIL)) == 2
    [verification] = mails_to(settings.outbox_dir, "jana@example.cz")  # hers: the verification only
    assert "verifyEmail" in verification
    actions = [(action, detail.get("claimant")) for action, detail in await audit_actions(app, NOVAK)]
    assert ("ownership_claimed", "jana") in actions
    assert ("ownership_claim_approved", "jana") in actions


async def test_a_rejected_claim_gives_nothing_and_only_an_owner_decides(
    client: httpx.AsyncClient, app: Starlette
) -> None:
    # given
    claimant = await claimed(client)
    delegate, stranger = await signed_in(client, "poradce"), await signed_in(client, "pekarna")
    owner = await signed_in(client, "novak")
    decision = {"input": {"customerNumber": NOVAK, "login": "jana"}}

    # when
    by_delegate = await delegate.execute(APPROVE, decision)
    by_stranger = await stranger.execute(APPROVE, decision)
    rejected = await owner.execute(REJECT, decision)
    again = await owner.execute(APPROVE, decision)

    # then
    assert by_delegate["data"]["approveOwnershipClaim"]["errors"] == [{"code": "FORBIDDEN"}]
    assert by_stranger["data"]["approveOwnershipClaim"]["errors"] == [{"code": "NOT_FOUND"}]
    assert error_codes(await delegate.execute(CLAIMS, {"n": NOVAK})) == ["FORBIDDEN"]
    assert rejected["data"]["rejectOwnershipClaim"]["claim"] == {"login": "jana", "status": "REJECTED"}
    assert again["data"]["approveOwnershipClaim"]["errors"] == [{"code": "NOT_FOUND"}]
    mine = (await claimant.execute(MY_CLAIMS))["data"]["viewer"]
    assert mine["customers"] == []
    assert [c["status"] for c in mine["ownershipClaims"]] == ["REJECTED"]
    assert error_codes(await claimant.execute(INVOICES, {"n": NOVAK})) == ["NOT_FOUND"]
    assert "ownership_claim_rejected" in [action for action, _ in await audit_actions(app, NOVAK)]


async def test_an_existing_account_claims_with_add_customer_number(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    proof = await invoice_of(client, "novak", NOVAK)
    stranger = await signed_in(client, "svobodova")

    added = await stranger.execute(
        ADD,
        {
            "input": {
                "customerNumber": NOVAK,
                "proof": {"invoice": {"variableSymbol": proof["variableSymbol"], "total": proof["total"]}},
            }
        },
    )

    assert added["data"]["addCustomerNumber"] == {
        "viewer": {
            "customers": [{"number": SVOBODOVA}],
            "ownershipClaims": [{"customerNumber": NOVAK, "status": "PENDING"}],
        },
        "errors": [],
    }
    assert error_codes(await stranger.execute(INVOICES, {"n": NOVAK})) == ["NOT_FOUND"]
    assert len(mails_to(settings.outbox_dir, NOVAK_MAIL)) == 1


async def test_an_owner_removes_a_co_owner_but_never_the_last_owner(
    client: httpx.AsyncClient, settings: Settings, app: Starlette
) -> None:
    # given: jana is a co-owner
    claimant = await claimed(client)
    owner = await signed_in(client, "novak")
    await owner.execute(APPROVE, {"input": {"customerNumber": NOVAK, "login": "jana"}})
    mailed_before = len(mails_to(settings.outbox_dir, NOVAK_MAIL))

    # when
    removed = await owner.execute(REVOKE, {"input": {"customerNumber": NOVAK, "login": "jana"}})
    last = await owner.execute(REVOKE, {"input": {"customerNumber": NOVAK, "login": "novak"}})

    # then
    assert removed["data"]["revokeAccess"] == {"ok": True, "errors": []}
    assert error_codes(await claimant.execute(INVOICES, {"n": NOVAK})) == ["NOT_FOUND"]
    assert last["data"]["revokeAccess"] == {
        "ok": False,
        "errors": [{"field": ["input", "login"], "code": "LAST_OWNER"}],
    }
    assert error_codes(await owner.execute(INVOICES, {"n": NOVAK})) == []
    grants = (await owner.execute(GRANTS, {"n": NOVAK}))["data"]["customer"]["accessGrants"]
    assert [g["login"] for g in grants if g["role"] == "OWNER"] == ["novak"]
    assert len(mails_to(settings.outbox_dir, NOVAK_MAIL)) == mailed_before + 1
    revoked = [d for action, d in await audit_actions(app, NOVAK) if action == "access_revoked"]
    assert revoked == [{"grantee": "jana", "role": "OWNER"}]


async def test_grants_and_revocations_are_mailed_to_the_owners_and_audited(
    client: httpx.AsyncClient, settings: Settings, app: Starlette
) -> None:
    owner = await signed_in(client, "novak")
    grant = {
        "customerNumber": NOVAK,
        "login": "svobodova",
        "scopes": ["VIEW_SUPPLY_POINTS"],
        "consentText": "Souhlasím.",
    }

    granted = await owner.execute(GRANT, {"input": grant})
    revoked = await owner.execute(REVOKE, {"input": {"customerNumber": NOVAK, "login": "svobodova"}})

    assert granted["data"]["grantAccess"]["errors"] == []
    assert revoked["data"]["revokeAccess"]["ok"] is True
    told = mails_to(settings.outbox_dir, NOVAK_MAIL)
    assert len(told) == 2
    assert all("svobodova" in mail for mail in told)
    actions = [action for action, _ in await audit_actions(app, NOVAK)]
    assert actions[-2:] == ["access_granted", "access_revoked"]


async def test_merging_audits_and_mails_each_moved_customer_number(
    client: httpx.AsyncClient, settings: Settings, app: Starlette
) -> None:
    owner = await signed_in(client, "novak")

    merged = await owner.execute(
        MERGE,
        {"input": {"logins": ["novak2"], "password": "Demo-heslo-2026", "confirm": True}},
    )

    [moved] = merged["data"]["mergeAccounts"]["movedCustomerNumbers"]
    assert [action for action, _ in await audit_actions(app, moved)][-1] == "access_moved"
    [told] = mails_to(settings.outbox_dir, NOVAK_MAIL)
    assert moved in told
