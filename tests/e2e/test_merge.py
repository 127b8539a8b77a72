"""Merging accounts that share a verified e-mail: all or nothing."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.store import accounts as store_accounts
from tests.e2e.client import PASSWORD, GraphQLClient, error_codes

NOVAK, NOVAK2 = "1000012345", "1000056789"
SAME_EMAIL = "{ viewer { accountsWithSameEmail { login } customers { number } } }"
MERGE = """
mutation Merge($input: MergeAccountsInput!) {
  mergeAccounts(input: $input) {
    mergedLogins movedCustomerNumbers viewer { customers { number } } errors { field code }
  }
}
"""


def merge(password: str = PASSWORD, *, confirm: bool = True) -> dict[str, object]:
    return {"input": {"logins": ["novak2"], "password": password, "confirm": confirm}}


async def test_the_viewer_lists_accounts_with_the_same_verified_email(gql: GraphQLClient) -> None:
    await gql.login("novak")

    viewer = (await gql.execute(SAME_EMAIL))["data"]["viewer"]

    assert viewer["accountsWithSameEmail"] == [{"login": "novak2"}]


async def test_merging_moves_the_customer_numbers_and_cancels_the_other_account(gql: GraphQLClient) -> None:
    # given
    other = GraphQLClient(gql.http)
    await other.login("novak2")
    await gql.login("novak")

    # when
    result = await gql.execute(MERGE, merge())

    # then
    payload = result["data"]["mergeAccounts"]
    assert payload["errors"] == []
    assert payload["movedCustomerNumbers"] == [NOVAK2]
    assert payload["viewer"]["customers"] == [{"number": NOVAK}, {"number": NOVAK2}]
    gql.http.cookies.clear()
    assert (await other.execute("{ viewer { login } }"))["data"]["viewer"] is None  # its session ended
    assert (await GraphQLClient(gql.http).login("novak2"))["data"]["login"]["token"] is None
    assert (await gql.execute(SAME_EMAIL))["data"]["viewer"]["accountsWithSameEmail"] == []


async def test_merging_needs_the_password_and_the_confirmation(gql: GraphQLClient) -> None:
    await gql.login("novak")

    wrong = await gql.execute(MERGE, merge("not-my-password"))
    unconfirmed = await gql.execute(MERGE, merge(confirm=False))
    foreign = await gql.execute(
        MERGE, {"input": {"logins": ["pekarna"], "password": PASSWORD, "confirm": True}}
    )

    assert wrong["data"]["mergeAccounts"]["errors"] == [
        {"field": ["input", "password"], "code": "WRONG_PASSWORD"}
    ]
    assert unconfirmed["data"]["mergeAccounts"]["errors"][0]["code"] == "NOT_CONFIRMED"
    assert foreign["data"]["mergeAccounts"]["errors"][0]["code"] == "NOT_MERGEABLE"
    assert (await gql.execute(SAME_EMAIL))["data"]["viewer"]["customers"] == [{"number": NOVAK}]


async def test_a_failure_half_way_changes_nothing(
    gql: GraphQLClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: the move of the customer numbers succeeds (and is flushed), then something fails
    move = store_accounts.merge_customer_access  # type: ignore[attr-defined]

    async def move_then_fail(
        session: AsyncSession, *, from_user_id: int, to_user_id: int, now: datetime
    ) -> Sequence[str]:
        moved = await move(session, from_user_id=from_user_id, to_user_id=to_user_id, now=now)
        assert moved == [NOVAK2]
        raise RuntimeError("the database went away half-way")

    monkeypatch.setattr(store_accounts, "merge_customer_access", move_then_fail)
    await gql.login("novak")

    # when
    result = await gql.execute(MERGE, merge())

    # then
    assert error_codes(result) == ["INTERNAL"]
    assert (await gql.execute(SAME_EMAIL))["data"]["viewer"] == {
        "accountsWithSameEmail": [{"login": "novak2"}],
        "customers": [{"number": NOVAK}],
    }
    other = GraphQLClient(gql.http)
    gql.http.cookies.clear()
    assert (await other.login("novak2"))["data"]["login"]["errors"] == []
    assert (await other.execute(SAME_EMAIL))["data"]["viewer"]["customers"] == [{"number": NOVAK2}]
