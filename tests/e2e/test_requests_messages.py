"""Requests, messages, access grants and the catalogue, read live from the CRM simulator and the store."""

from __future__ import annotations

from typing import Any

from tests.e2e.client import GraphQLClient, error_codes

NOVAK, SVOBODOVA = "1000012345", "1000023456"
REQUESTS = """
query Requests($number: String!, $filter: RequestFilter) {
  customer(number: $number) {
    requests(filter: $filter) {
      totalCount
      edges { node { id kind state closed createdAt updatedAt summary supplyPointId
        supplyPoint { id } history { at state note } } }
    }
  }
}
"""
MESSAGES = """
query Messages($number: String!, $filter: MessageFilter) {
  customer(number: $number) {
    unreadMessageCount
    messages(filter: $filter) { totalCount edges { node { id kind subject read sentAt } } }
  }
}
"""
GRANTS = """
query Grants($number: String!) { customer(number: $number) { accessGrants { login role scopes consentAt } } }
"""
CATALOGUE = """
query Catalogue($supplyPointId: ID) {
  requestTypes(supplyPointId: $supplyPointId) {
    code kind nameCs nameEn processing instant commodity perSupplyPoint
  }
  contactInfo { phone hours email }
}
"""
NODE = "query Node($id: ID!) { node(id: $id) { id __typename } }"


def nodes(result: dict[str, Any], field: str) -> list[dict[str, Any]]:
    assert "errors" not in result, result["errors"]
    return [edge["node"] for edge in result["data"]["customer"][field]["edges"]]


async def test_novak_sees_open_and_closed_requests_with_their_history(gql: GraphQLClient) -> None:
    await gql.login("novak")

    every = nodes(await gql.execute(REQUESTS, {"number": NOVAK}), "requests")
    closed = nodes(await gql.execute(REQUESTS, {"number": NOVAK, "filter": {"closed": True}}), "requests")
    still_open = nodes(
        await gql.execute(REQUESTS, {"number": NOVAK, "filter": {"closed": False}}), "requests"
    )

    assert len(every) == 5
    assert [r["createdAt"] for r in every] == sorted((r["createdAt"] for r in every), reverse=True)
    assert {r["state"] for r in closed} == {"RESOLVED", "REJECTED"}
    assert {r["state"] for r in still_open} == {"OPEN", "IN_PROGRESS"}
    assert len(closed) + len(still_open) == 5
    for request in every:
        history = [entry["at"] for entry in request["history"]]
        assert history == sorted(history)
        assert request["history"][-1]["state"] == request["state"]
        assert request["supplyPoint"] == (
            {"id": request["supplyPointId"]} if request["supplyPointId"] else None
        )


async def test_requests_filter_by_kind_and_supply_point(gql: GraphQLClient) -> None:
    await gql.login("novak")
    every = nodes(await gql.execute(REQUESTS, {"number": NOVAK}), "requests")
    with_point = next(r for r in every if r["supplyPointId"])

    by_kind = nodes(
        await gql.execute(REQUESTS, {"number": NOVAK, "filter": {"kinds": [with_point["kind"]]}}), "requests"
    )
    by_point = nodes(
        await gql.execute(
            REQUESTS, {"number": NOVAK, "filter": {"supplyPointId": with_point["supplyPointId"]}}
        ),
        "requests",
    )

    assert {r["kind"] for r in by_kind} == {with_point["kind"]}
    assert with_point["id"] in {r["id"] for r in by_point}
    assert {r["supplyPointId"] for r in by_point} == {with_point["supplyPointId"]}


async def test_a_request_is_a_node_and_a_foreign_one_is_not_found(gql: GraphQLClient) -> None:
    await gql.login("novak")
    request_id = nodes(await gql.execute(REQUESTS, {"number": NOVAK}), "requests")[0]["id"]

    own = await gql.execute(NODE, {"id": request_id})
    gql.headers.clear()
    await gql.login("svobodova")
    foreign = await gql.execute(NODE, {"id": request_id})

    assert own["data"]["node"] == {"id": request_id, "__typename": "CustomerRequest"}
    assert foreign["data"] == {"node": None}
    assert error_codes(foreign) == ["NOT_FOUND"]


async def test_novak_reads_its_inbox_and_unread_count(gql: GraphQLClient) -> None:
    await gql.login("novak")

    result = await gql.execute(MESSAGES, {"number": NOVAK})
    unread = await gql.execute(MESSAGES, {"number": NOVAK, "filter": {"unread": True}})

    messages = nodes(result, "messages")
    assert len(messages) == 5
    assert result["data"]["customer"]["unreadMessageCount"] == 3
    assert {m["kind"] for m in messages} == {"MARKETING", "PRODUCT_NEWS", "NOTICE"}
    assert [m["sentAt"] for m in messages] == sorted((m["sentAt"] for m in messages), reverse=True)
    assert [m["read"] for m in nodes(unread, "messages")] == [False, False, False]


async def test_a_delegate_may_not_read_the_inbox_or_who_has_access(gql: GraphQLClient) -> None:
    await gql.login("poradce")

    messages = await gql.execute(MESSAGES, {"number": NOVAK})
    grants = await gql.execute(GRANTS, {"number": NOVAK})

    assert messages["data"]["customer"] == {"unreadMessageCount": None, "messages": None}
    assert error_codes(messages) == ["FORBIDDEN", "FORBIDDEN"]
    assert grants["data"]["customer"]["accessGrants"] is None
    assert error_codes(grants) == ["FORBIDDEN"]


async def test_staff_read_the_inbox(gql: GraphQLClient) -> None:
    gql.headers["X-API-Key"] = "demo-staff-key"

    result = await gql.execute(MESSAGES, {"number": NOVAK})

    assert result["data"]["customer"]["unreadMessageCount"] == 3


async def test_the_owner_sees_who_has_access(gql: GraphQLClient) -> None:
    await gql.login("novak")

    result = await gql.execute(GRANTS, {"number": NOVAK})

    assert "errors" not in result
    grants = {g["login"]: g for g in result["data"]["customer"]["accessGrants"]}
    assert grants["novak"]["role"] == "OWNER"
    assert grants["poradce"]["role"] == "DELEGATE"
    assert grants["poradce"]["scopes"] == ["VIEW_BILLING"]
    assert grants["poradce"]["consentAt"] is not None


async def test_the_catalogue_says_which_requests_are_instant_and_which_tracked(gql: GraphQLClient) -> None:
    result = await gql.execute(CATALOGUE)

    types = {t["code"]: t for t in result["data"]["requestTypes"]}
    assert types["DEPOSIT_CHANGE"]["instant"] is True
    assert types["E_INVOICE_CHANGE"]["processing"] == "INSTANT"
    assert types["SELF_READING"]["processing"] == "TRACKED"
    assert types["BREAKER_OR_TARIFF_CHANGE"]["commodity"] == "ELECTRICITY"
    assert types["FREE_TEXT"]["kind"] == "OTHER"
    assert all(t["nameCs"] and t["nameEn"] for t in types.values())
    assert result["data"]["contactInfo"]["phone"].startswith("+420")


async def test_the_catalogue_for_one_supply_point_follows_its_contract(gql: GraphQLClient) -> None:
    await gql.login("svobodova")
    customer = await gql.execute('query { customer(number: "1000023456") { supplyPoints { id } } }')
    point_id = customer["data"]["customer"]["supplyPoints"][0]["id"]

    own = await gql.execute(CATALOGUE, {"supplyPointId": point_id})
    gql.headers.clear()
    await gql.login("novak")
    foreign = await gql.execute(CATALOGUE, {"supplyPointId": point_id})

    codes = {t["code"] for t in own["data"]["requestTypes"]}
    assert "SELF_READING" not in codes and "PRODUCT_CHANGE" in codes
    assert error_codes(foreign) == ["NOT_FOUND"]
