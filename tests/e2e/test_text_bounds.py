"""Review of issue 9: every string argument has a bound, refused before a back end or the
store sees the value; a mutation with a payload names the field."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from gateway.schema.text_input import MAX_TEXT_LENGTH
from gateway.store.access import MAX_CONSENT_LENGTH
from tests.e2e.client import GraphQLClient, error_codes

NOVAK = "1000012345"
HUGE = "a" * (MAX_TEXT_LENGTH + 1)
GRANT = """
mutation G($i: GrantAccessInput!) { grantAccess(input: $i) { grant { login } errors { code message } } }
"""
GRANTS = "query G($n: String!) { customer(number: $n) { accessGrants { login consentText } } }"


def grant(login: str = "svobodova", consent: str = "Souhlasím.") -> dict[str, Any]:
    return {
        "i": {"customerNumber": NOVAK, "login": login, "scopes": ["VIEW_BILLING"], "consentText": consent}
    }


@pytest.mark.parametrize(
    ("query", "variables"),
    [
        (GRANT, grant(consent=HUGE)),
        (GRANT, grant(login=HUGE)),
        ("query Q($q: String!) { queryCost(query: $q) }", {"q": "{ viewer { login } } #" + HUGE}),
        ("query Q($n: String!) { customer(number: $n) { name } }", {"n": HUGE}),
        ("mutation V($t: String!) { verifyEmail(token: $t) { ok } }", {"t": HUGE}),
    ],
    ids=["consentText", "grantAccess.login", "queryCost", "customer", "verifyEmail"],
)
async def test_a_string_variable_over_the_bound_is_bad_user_input(
    gql: GraphQLClient, query: str, variables: dict[str, Any]
) -> None:
    await gql.login("novak")

    result = await gql.execute(query, variables)

    assert error_codes(result) == ["BAD_USER_INPUT"]
    assert str(MAX_TEXT_LENGTH) in result["errors"][0]["message"]
    grants = await gql.execute(GRANTS, {"n": NOVAK})
    assert all(
        len(g["consentText"] or "") <= MAX_CONSENT_LENGTH for g in grants["data"]["customer"]["accessGrants"]
    )


async def test_a_string_literal_over_the_bound_is_bad_user_input(client: httpx.AsyncClient) -> None:
    document = 'mutation { login(input: {login: "' + HUGE + '", password: "x"}) { token } }'

    response = await client.post("/graphql", json={"query": document})

    assert error_codes(response.json()) == ["BAD_USER_INPUT"]
    assert response.json().get("data") is None


async def test_a_consent_over_its_own_bound_is_a_typed_error_and_not_recorded(gql: GraphQLClient) -> None:
    await gql.login("novak")

    result = await gql.execute(GRANT, grant(consent="a" * (MAX_CONSENT_LENGTH + 1)))
    fits = await gql.execute(GRANT, grant(consent="a" * MAX_CONSENT_LENGTH))

    payload = result["data"]["grantAccess"]
    assert payload["grant"] is None
    assert [error["code"] for error in payload["errors"]] != []
    assert fits["data"]["grantAccess"]["errors"] == []
