"""Registering with a proven customer number, verifying the e-mail, adding a further number.

A single proof (a variable symbol or a supply point code) makes the first account of a
customer number its owner: these tests prove numbers no portal account holds yet. Numbers
that have an owner are tests/e2e/test_ownership_claims.py's."""

from __future__ import annotations

import email
import re
from pathlib import Path
from typing import Any

from gateway.config import Settings
from tests.e2e.client import GraphQLClient

SVOBODOVA = "1000023456"
UNREGISTERED = "1000067890"  # a household the simulators know, without a portal account
UNREGISTERED_BUSINESS = "2000078901"
NEW_PASSWORD = "Zelena-louka-42"

REGISTER = """
mutation Register($input: RegisterInput!) {
  register(input: $input) {
    token
    viewer { login email emailVerified customers { number } activeCustomer { number } }
    errors { field message code }
  }
}
"""
PROOFS = """
query Proofs($number: String!) {
  customer(number: $number) {
    supplyPoints { code }
    invoices(first: 1) { edges { node { variableSymbol } } }
  }
}
"""
VERIFY = "mutation Verify($token: String!) { verifyEmail(token: $token) { ok } }"
VIEWER = "{ viewer { login email emailVerified customers { number } } }"
UPDATE_REGISTRATION = """
mutation Update($email: String) {
  updateRegistration(input: {email: $email}) { pendingEmail viewer { email emailVerified } errors { code } }
}
"""
SAME_EMAIL = "{ viewer { email emailVerified accountsWithSameEmail { login } } }"
ADD_CUSTOMER = """
mutation Add($input: AddCustomerNumberInput!) {
  addCustomerNumber(input: $input) { viewer { customers { number } } errors { field code message } }
}
"""


async def proofs_of(gql: GraphQLClient, number: str) -> tuple[str, str]:
    """(a variable symbol, a supply point code) of ``number``, read by staff (it has no owner)."""
    gql.headers["X-API-Key"] = "demo-staff-key"
    customer = (await gql.execute(PROOFS, {"number": number}))["data"]["customer"]
    gql.headers.clear()
    return customer["invoices"]["edges"][0]["node"]["variableSymbol"], customer["supplyPoints"][0]["code"]


def registration(**overrides: Any) -> dict[str, Any]:
    return {
        "input": {
            "login": "nova-uzivatelka",
            "password": NEW_PASSWORD,
            "email": "Nova@Example.cz",
            "customerNumber": UNREGISTERED,
            "proof": {"variableSymbol": "0"},
        }
        | overrides
    }


def outbox_tokens(directory: Path) -> list[str]:
    return [
        match.group(1)
        for mail in sorted(directory.glob("*.eml"))
        for match in [re.search(r"^\s{4}(\S+)$", mail.read_text(), re.MULTILINE)]
        if match
    ]


def mailed_token(directory: Path, *, to: str) -> str:
    """The token of the one verification mail sent to ``to``."""
    [token] = [
        token
        for mail in directory.glob("*.eml")
        if email.message_from_bytes(mail.read_bytes())["To"] == to
        for token in outbox_tokens_in(mail)
    ]
    return token


def outbox_tokens_in(mail: Path) -> list[str]:
    return re.findall(r"^\s{4}(\S+)$", mail.read_text(), re.MULTILINE)


async def test_a_variable_symbol_proves_the_customer_number_and_the_new_user_is_logged_in(
    gql: GraphQLClient,
) -> None:
    # given
    variable_symbol, _ = await proofs_of(gql, UNREGISTERED)

    # when
    result = await gql.execute(REGISTER, registration(proof={"variableSymbol": variable_symbol}))

    # then
    payload = result["data"]["register"]
    assert payload["errors"] == []
    assert payload["viewer"] == {
        "login": "nova-uzivatelka",
        "email": "nova@example.cz",
        "emailVerified": False,
        "customers": [{"number": UNREGISTERED}],
        "activeCustomer": {"number": UNREGISTERED},
    }
    gql.headers["Authorization"] = f"Bearer {payload['token']}"
    assert (await gql.execute(VIEWER))["data"]["viewer"]["login"] == "nova-uzivatelka"


async def test_a_supply_point_code_proves_it_too(gql: GraphQLClient) -> None:
    _, code = await proofs_of(gql, UNREGISTERED)

    result = await gql.execute(REGISTER, registration(proof={"supplyPointCode": code.lower()}))

    assert result["data"]["register"]["errors"] == []


async def test_the_email_is_verified_by_the_token_in_the_outbox(
    gql: GraphQLClient, settings: Settings
) -> None:
    # given
    variable_symbol, _ = await proofs_of(gql, UNREGISTERED)
    token = (await gql.execute(REGISTER, registration(proof={"variableSymbol": variable_symbol})))["data"][
        "register"
    ]["token"]
    gql.headers["Authorization"] = f"Bearer {token}"
    [mailed] = outbox_tokens(settings.outbox_dir)

    # when
    wrong = await gql.execute(VERIFY, {"token": "not-the-token"})
    right = await gql.execute(VERIFY, {"token": mailed})

    # then
    assert wrong["data"]["verifyEmail"]["ok"] is False
    assert right["data"]["verifyEmail"]["ok"] is True
    assert (await gql.execute(VIEWER))["data"]["viewer"]["emailVerified"] is True
    assert (await gql.execute(VERIFY, {"token": mailed}))["data"]["verifyEmail"]["ok"] is False  # used once


async def test_a_wrong_proof_and_a_missing_customer_number_fail_alike(gql: GraphQLClient) -> None:
    # when
    wrong_proof = await gql.execute(REGISTER, registration(proof={"variableSymbol": "1234567890"}))
    missing = await gql.execute(
        REGISTER, registration(customerNumber="9999999999", proof={"variableSymbol": "1234567890"})
    )
    wrong_code = await gql.execute(REGISTER, registration(proof={"supplyPointCode": "859182400000000000"}))

    # then
    errors = wrong_proof["data"]["register"]["errors"]
    assert errors == [
        {
            "field": ["input", "proof"],
            "message": "We could not confirm this customer number with the proof given.",
            "code": "PROOF_FAILED",
        }
    ]
    assert missing["data"]["register"]["errors"] == errors
    assert wrong_code["data"]["register"]["errors"] == errors
    assert wrong_proof["data"]["register"]["token"] is None


async def test_a_taken_login_is_refused_in_any_letter_case_once_the_customer_is_proved(
    gql: GraphQLClient,
) -> None:
    variable_symbol, _ = await proofs_of(gql, UNREGISTERED)

    result = await gql.execute(
        REGISTER, registration(login="Novak", proof={"variableSymbol": variable_symbol})
    )

    assert result["data"]["register"]["errors"] == [
        {"field": ["input", "login"], "message": "This login is already taken.", "code": "LOGIN_TAKEN"}
    ]


async def test_a_taken_login_is_not_confirmed_without_a_proof(gql: GraphQLClient) -> None:
    result = await gql.execute(REGISTER, registration(login="novak", proof={"variableSymbol": "1234567890"}))

    [error] = result["data"]["register"]["errors"]
    assert error["code"] == "PROOF_FAILED"


async def test_weak_passwords_are_refused_with_the_reason(gql: GraphQLClient) -> None:
    cases = {
        "Kratke-1": "at least 10 characters",
        "xx-nova-uzivatelka-xx": "must not contain the login",
        "Password123": "too common",
    }
    for password, reason in cases.items():
        result = await gql.execute(REGISTER, registration(password=password))
        [error] = result["data"]["register"]["errors"]
        assert error["code"] == "WEAK_PASSWORD"
        assert error["field"] == ["input", "password"]
        assert reason in error["message"]


async def test_both_or_no_proofs_are_refused_before_the_back_ends(gql: GraphQLClient) -> None:
    result = await gql.execute(REGISTER, registration(proof={"variableSymbol": "1", "supplyPointCode": "2"}))

    assert result["errors"][0]["extensions"]["code"] in {"BAD_USER_INPUT", "GRAPHQL_VALIDATION_FAILED"}


async def test_an_existing_account_adds_a_further_customer_number_with_a_proof(gql: GraphQLClient) -> None:
    # given
    _, code = await proofs_of(gql, UNREGISTERED_BUSINESS)
    await gql.login("svobodova")

    # when
    refused = await gql.execute(
        ADD_CUSTOMER,
        {"input": {"customerNumber": UNREGISTERED_BUSINESS, "proof": {"supplyPointCode": "000"}}},
    )
    added = await gql.execute(
        ADD_CUSTOMER, {"input": {"customerNumber": UNREGISTERED_BUSINESS, "proof": {"supplyPointCode": code}}}
    )

    # then
    assert refused["data"]["addCustomerNumber"]["errors"][0]["code"] == "PROOF_FAILED"
    assert added["data"]["addCustomerNumber"]["errors"] == []
    assert added["data"]["addCustomerNumber"]["viewer"]["customers"] == [
        {"number": SVOBODOVA},
        {"number": UNREGISTERED_BUSINESS},
    ]


async def test_a_changed_email_counts_only_once_it_is_verified(
    gql: GraphQLClient, settings: Settings
) -> None:
    # given: novak and novak2 share a verified e-mail; svobodova moves to it
    novak = GraphQLClient(gql.http)
    await novak.login("novak")
    gql.http.cookies.clear()  # two users, each by its bearer token only
    await gql.login("svobodova")
    gql.http.cookies.clear()

    # when
    changed = await gql.execute(UPDATE_REGISTRATION, {"email": " Jan.Novak@Example.cz "})

    # then: the new address waits for its token; until then it is not hers and counts for nothing
    assert changed["data"]["updateRegistration"] == {
        "pendingEmail": "jan.novak@example.cz",
        "viewer": {"email": "marie.svobodova@example.cz", "emailVerified": True},
        "errors": [],
    }
    assert (await gql.execute(SAME_EMAIL))["data"]["viewer"]["accountsWithSameEmail"] == []
    assert (await novak.execute(SAME_EMAIL))["data"]["viewer"]["accountsWithSameEmail"] == [
        {"login": "novak2"}
    ]

    # when: the token mailed to the new address is confirmed
    token = mailed_token(settings.outbox_dir, to="jan.novak@example.cz")
    verified = await gql.execute(VERIFY, {"token": token})

    # then
    assert verified["data"]["verifyEmail"]["ok"] is True
    assert (await gql.execute(SAME_EMAIL))["data"]["viewer"] == {
        "email": "jan.novak@example.cz",
        "emailVerified": True,
        "accountsWithSameEmail": [{"login": "novak"}, {"login": "novak2"}],
    }
    assert (await novak.execute(SAME_EMAIL))["data"]["viewer"]["accountsWithSameEmail"] == [
        {"login": "svobodova"},
        {"login": "novak2"},
    ]


async def test_an_unchanged_verified_email_mails_nothing(gql: GraphQLClient, settings: Settings) -> None:
    await gql.login("svobodova")

    result = await gql.execute(UPDATE_REGISTRATION, {"email": "Marie.Svobodova@example.cz"})

    assert result["data"]["updateRegistration"]["pendingEmail"] is None
    assert result["data"]["updateRegistration"]["errors"] == []
    assert list(settings.outbox_dir.glob("*.eml")) == []


async def test_an_unverified_email_is_not_the_same_email(gql: GraphQLClient, settings: Settings) -> None:
    # given: a new account registers with novak's address and has not confirmed it
    variable_symbol, _ = await proofs_of(gql, UNREGISTERED)
    registered = await gql.execute(
        REGISTER,
        registration(email="jan.novak@example.cz", proof={"variableSymbol": variable_symbol}),
    )
    newcomer = GraphQLClient(gql.http)
    newcomer.headers["Authorization"] = f"Bearer {registered['data']['register']['token']}"
    gql.http.cookies.clear()
    novak = GraphQLClient(gql.http)
    await novak.login("novak")
    gql.http.cookies.clear()

    # when
    before_newcomer = (await newcomer.execute(SAME_EMAIL))["data"]["viewer"]
    before_novak = (await novak.execute(SAME_EMAIL))["data"]["viewer"]["accountsWithSameEmail"]
    await newcomer.execute(VERIFY, {"token": mailed_token(settings.outbox_dir, to="jan.novak@example.cz")})
    after_novak = (await novak.execute(SAME_EMAIL))["data"]["viewer"]["accountsWithSameEmail"]

    # then
    assert before_newcomer == {
        "email": "jan.novak@example.cz",
        "emailVerified": False,
        "accountsWithSameEmail": [],
    }
    assert before_novak == [{"login": "novak2"}]
    assert after_novak == [{"login": "novak2"}, {"login": "nova-uzivatelka"}]
