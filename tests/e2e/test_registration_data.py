"""A portal user's own registration data: name, phone and notification preferences, changed
with ``updateRegistration`` and read back on ``viewer.registration``; checked before anything
changes; the audit log names the fields, never their values."""

from __future__ import annotations

from typing import Any

from starlette.applications import Starlette

from gateway.store import audit
from gateway.store.db import transaction
from tests.e2e.client import GraphQLClient

REGISTRATION = """
{ viewer { registration {
  fullName phone notifications { invoices paymentReminders requestUpdates marketing }
} } }
"""
UPDATE = """
mutation($input: UpdateRegistrationInput!) {
  updateRegistration(input: $input) {
    pendingEmail errors { field code }
    viewer { registration {
      fullName phone notifications { invoices paymentReminders requestUpdates marketing }
    } }
  }
}
"""
DEFAULTS = {"invoices": True, "paymentReminders": True, "requestUpdates": True, "marketing": False}


async def update(gql: GraphQLClient, **fields: Any) -> dict[str, Any]:
    result = await gql.execute(UPDATE, {"input": fields})
    assert "errors" not in result, result["errors"]
    payload: dict[str, Any] = result["data"]["updateRegistration"]
    return payload


async def test_a_new_user_has_no_name_or_phone_and_the_default_preferences(gql: GraphQLClient) -> None:
    await gql.login("svobodova")

    result = await gql.execute(REGISTRATION)

    assert result["data"]["viewer"]["registration"] == {
        "fullName": None,
        "phone": None,
        "notifications": DEFAULTS,
    }


async def test_a_user_changes_name_phone_and_preferences_and_reads_them_back(
    gql: GraphQLClient, app: Starlette
) -> None:
    # given
    await gql.login("novak")

    # when
    payload = await update(
        gql,
        fullName="  Jan   Novák ",
        phone="+420 601 123 456",
        notifications={"marketing": True, "requestUpdates": False},
    )
    again = await gql.execute(REGISTRATION)

    # then
    expected = {
        "fullName": "Jan Novák",
        "phone": "+420601123456",
        "notifications": {**DEFAULTS, "marketing": True, "requestUpdates": False},
    }
    assert payload["errors"] == [] and payload["pendingEmail"] is None
    assert payload["viewer"]["registration"] == expected
    assert again["data"]["viewer"]["registration"] == expected
    async with transaction(app.state.services.store) as db:
        entries = await audit.list_audit(db)
    changed = [e for e in entries if e.action == "registration_changed"]  # newest first
    assert changed and changed[0].detail is not None
    assert changed[0].detail["fields"] == [
        "full_name",
        "phone",
        "notifications.request_updates",
        "notifications.marketing",
    ]
    assert "601123456" not in str(changed[0].detail) and "Novák" not in str(changed[0].detail)


async def test_an_empty_phone_removes_it_and_fields_left_out_stay(gql: GraphQLClient) -> None:
    await gql.login("novak")
    await update(gql, fullName="Jan Novák", phone="601123456")

    payload = await update(gql, phone="")

    assert payload["viewer"]["registration"]["phone"] is None
    assert payload["viewer"]["registration"]["fullName"] == "Jan Novák"


async def test_a_bad_value_changes_nothing(gql: GraphQLClient) -> None:
    # given
    await gql.login("novak")
    await update(gql, fullName="Jan Novák")

    # when: a valid name beside a phone that is not Czech
    payload = await update(
        gql, fullName="Someone Else", phone="+44 20 7946 0958", notifications={"marketing": True}
    )

    # then
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [(["input", "phone"], "INVALID_PHONE")]
    registration = (await gql.execute(REGISTRATION))["data"]["viewer"]["registration"]
    assert registration == {"fullName": "Jan Novák", "phone": None, "notifications": DEFAULTS}


async def test_a_name_of_only_spaces_is_refused(gql: GraphQLClient) -> None:
    await gql.login("novak")

    payload = await update(gql, fullName="   ")

    assert [(e["field"], e["code"]) for e in payload["errors"]] == [(["input", "fullName"], "INVALID_NAME")]
