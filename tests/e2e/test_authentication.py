"""Say who you are, or that you are no one.

Anonymous access to anything that needs a login answers UNAUTHENTICATED ("You need to log in.");
a credential that does not resolve (expired or revoked session, mistyped token or API key)
answers UNAUTHENTICATED saying so, and its stale cookie is cleared, while ``login`` and the
public fields keep working. NOT_FOUND stays for objects a caller who is someone may not see.
"""

from __future__ import annotations

import datetime as dt

import httpx

from gateway.schema.node import to_global_id
from gateway.sessions import API_KEY_REFUSED, SESSION_ENDED
from tests.e2e.client import LOGIN, PASSWORD, GraphQLClient
from tests.e2e.conftest import SettableClock

NOVAK, MISSING = "1000012345", "9000000001"
LOG_IN = "You need to log in."
CUSTOMER = "query Customer($n: String!) { customer(number: $n) { number } }"
NODE = "query Node($id: ID!) { node(id: $id) { id } }"
SET_ACTIVE = """
mutation Active($n: String!) { setActiveCustomer(customerNumber: $n) { viewer { login } errors { code } } }
"""
VIEWER = "{ viewer { login } }"
PUBLIC = "{ contactInfo { phone } requestTypes { kind } }"
REQUEST_TYPES = "query Types($sp: ID) { requestTypes(supplyPointId: $sp) { kind } }"
LOGOUT = "mutation { logout { ok } }"


def answers(result: dict[str, object]) -> list[tuple[str, str]]:
    errors = result.get("errors")
    assert isinstance(errors, list), result
    return [(error["extensions"]["code"], error["message"]) for error in errors]


async def test_anonymous_customer_node_and_mutation_answer_unauthenticated(gql: GraphQLClient) -> None:
    # when
    existing = await gql.execute(CUSTOMER, {"n": NOVAK})
    missing = await gql.execute(CUSTOMER, {"n": MISSING})
    node = await gql.execute(NODE, {"id": to_global_id("Invoice", "no-such-invoice")})
    mutation = await gql.execute(SET_ACTIVE, {"n": NOVAK})

    # then: who asks comes first, so nothing tells an existing number from a missing one
    assert answers(existing) == [("UNAUTHENTICATED", LOG_IN)]
    assert existing == missing
    assert existing["data"] == {"customer": None}
    assert answers(node) == [("UNAUTHENTICATED", LOG_IN)]
    assert answers(mutation) == [("UNAUTHENTICATED", LOG_IN)]
    assert mutation["data"] is None  # a non-null payload: the whole data is null


async def test_anonymous_request_types_of_a_supply_point_need_a_login(gql: GraphQLClient) -> None:
    # given
    await gql.login("novak")
    points = await gql.execute("{ viewer { activeCustomer { supplyPoints { id } } } }")
    own_point = points["data"]["viewer"]["activeCustomer"]["supplyPoints"][0]["id"]
    anonymous = GraphQLClient(gql.http)
    gql.http.cookies.clear()

    # when
    existing = await anonymous.execute(REQUEST_TYPES, {"sp": own_point})
    missing = await anonymous.execute(REQUEST_TYPES, {"sp": to_global_id("SupplyPoint", f"{MISSING}001")})
    catalogue = await anonymous.execute(REQUEST_TYPES)

    # then
    assert answers(existing) == [("UNAUTHENTICATED", LOG_IN)]
    assert existing == missing
    assert "errors" not in catalogue and catalogue["data"]["requestTypes"]


async def test_an_expired_session_cookie_says_log_in_again_and_is_cleared(
    client: httpx.AsyncClient, clock: SettableClock
) -> None:
    # given: a cookie session, then an hour without use (idle expiry: 30 minutes)
    await client.post(
        "/graphql", json={"query": LOGIN, "variables": {"login": "novak", "password": PASSWORD}}
    )
    clock.set(dt.datetime.now(dt.UTC) + dt.timedelta(hours=1))

    # when
    response = await client.post("/graphql", json={"query": CUSTOMER, "variables": {"n": NOVAK}})

    # then
    assert answers(response.json()) == [("UNAUTHENTICATED", SESSION_ENDED)]
    assert response.json()["data"] == {"customer": None}
    [cleared] = response.headers.get_list("set-cookie")
    assert cleared.startswith("portal_session=") and "Max-Age=0" in cleared
    assert "portal_session" not in client.cookies  # the next request is plainly anonymous
    again = (await client.post("/graphql", json={"query": CUSTOMER, "variables": {"n": NOVAK}})).json()
    assert answers(again) == [("UNAUTHENTICATED", LOG_IN)]


async def test_a_token_revoked_by_logout_says_log_in_again(gql: GraphQLClient) -> None:
    # given
    await gql.login("novak")
    assert (await gql.execute(LOGOUT))["data"]["logout"]["ok"] is True

    # when
    customer = await gql.execute(CUSTOMER, {"n": NOVAK})
    viewer = await gql.execute(VIEWER)

    # then: not silently anonymous
    assert answers(customer) == [("UNAUTHENTICATED", SESSION_ENDED)]
    assert answers(viewer) == [("UNAUTHENTICATED", SESSION_ENDED)]
    assert viewer["data"] == {"viewer": None}


async def test_a_mistyped_bearer_token_says_log_in_again(gql: GraphQLClient) -> None:
    gql.headers["Authorization"] = "Bearer not-a-token-at-all"

    customer = await gql.execute(CUSTOMER, {"n": NOVAK})
    mutation = await gql.execute(SET_ACTIVE, {"n": NOVAK})

    assert answers(customer) == [("UNAUTHENTICATED", SESSION_ENDED)]
    assert answers(mutation) == [("UNAUTHENTICATED", SESSION_ENDED)]


async def test_a_mistyped_api_key_says_so(gql: GraphQLClient) -> None:
    gql.headers["X-API-Key"] = "demo-staff-kex"

    customer = await gql.execute(CUSTOMER, {"n": NOVAK})
    node = await gql.execute(NODE, {"id": to_global_id("Customer", NOVAK)})

    assert answers(customer) == [("UNAUTHENTICATED", API_KEY_REFUSED)]
    assert answers(node) == [("UNAUTHENTICATED", API_KEY_REFUSED)]


async def test_login_and_public_fields_work_with_a_stale_cookie(
    client: httpx.AsyncClient, clock: SettableClock
) -> None:
    # given: a cookie whose session has ended
    await client.post(
        "/graphql", json={"query": LOGIN, "variables": {"login": "novak", "password": PASSWORD}}
    )
    stale = client.cookies["portal_session"]
    clock.set(dt.datetime.now(dt.UTC) + dt.timedelta(hours=13))
    client.cookies.set("portal_session", stale, domain="gateway.test")

    # when
    public = (await client.post("/graphql", json={"query": PUBLIC})).json()
    client.cookies.set("portal_session", stale, domain="gateway.test")
    login = await client.post(
        "/graphql", json={"query": LOGIN, "variables": {"login": "novak", "password": PASSWORD}}
    )

    # then: the catalogue and the footer answer; the login works and its cookie is the one kept
    assert "errors" not in public and public["data"]["contactInfo"]["phone"]
    payload = login.json()["data"]["login"]
    assert payload["errors"] == [] and payload["token"]
    assert client.cookies["portal_session"] == payload["token"]
    viewer = (await client.post("/graphql", json={"query": VIEWER})).json()
    assert viewer == {"data": {"viewer": {"login": "novak"}}}


async def test_a_document_needs_a_login_and_a_stale_cookie_is_told_to_log_in_again(
    client: httpx.AsyncClient, clock: SettableClock
) -> None:
    # given
    path = "/documents/" + str(to_global_id("Document", "DF0000000000"))
    await client.post(
        "/graphql", json={"query": LOGIN, "variables": {"login": "novak", "password": PASSWORD}}
    )

    # when
    clock.set(dt.datetime.now(dt.UTC) + dt.timedelta(hours=1))
    expired = await client.get(path)
    client.cookies.clear()
    anonymous = await client.get(path)

    # then
    assert (expired.status_code, expired.json()["errors"][0]["extensions"]["code"]) == (
        401,
        "UNAUTHENTICATED",
    )
    assert expired.json()["errors"][0]["message"] == SESSION_ENDED
    assert "Max-Age=0" in expired.headers["set-cookie"]
    assert (anonymous.status_code, anonymous.json()["errors"][0]["message"]) == (401, LOG_IN)
