"""Every persona against the root fields and node types: own objects are readable, a
foreign and a missing object answer the identical NOT_FOUND, a delegate gets only its scopes."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from tests.e2e.client import GraphQLClient, error_codes

OWNED = {
    "novak": "1000012345",
    "svobodova": "1000023456",
    "pekarna": "2000034567",
    "teplarna": "3000045678",
    "novak2": "1000056789",
}
PERSONAS = [*OWNED, "poradce", "anonymous", "staff"]
MISSING = "9000000001"  # the simulators know numbers starting 1-3 only
CUSTOMER = "query C($n: String!) { customer(number: $n) { number name } }"
NODE = "query N($id: ID!) { node(id: $id) { id ... on Customer { name } } }"
IDS = """
query Ids($n: String!) {
  customer(number: $n) { id supplyPoints { id } invoices(first: 1) { edges { node { id } } } }
}
"""


def global_id(type_name: str, raw: str) -> str:
    return base64.urlsafe_b64encode(f"{type_name}:{raw}".encode()).decode()


async def as_persona(gql: GraphQLClient, persona: str) -> None:
    if persona == "staff":
        gql.headers["X-API-Key"] = "demo-staff-key"
    elif persona != "anonymous":
        await gql.login(persona)
    gql.http.cookies.clear()


async def ids_of(gql: GraphQLClient, number: str) -> dict[str, str]:
    staff = GraphQLClient(gql.http)
    staff.headers["X-API-Key"] = "demo-staff-key"
    customer = (await staff.execute(IDS, {"n": number}))["data"]["customer"]
    ids = {"Customer": customer["id"]}
    if customer["supplyPoints"]:
        ids["SupplyPoint"] = customer["supplyPoints"][0]["id"]
    if customer["invoices"]["edges"]:
        ids["Invoice"] = customer["invoices"]["edges"][0]["node"]["id"]
    return ids


def not_found(result: dict[str, Any]) -> tuple[str, str]:
    [error] = result["errors"]
    return error["message"], error["extensions"]["code"]


@pytest.mark.parametrize("persona", PERSONAS)
async def test_root_fields_and_nodes_for_every_persona(gql: GraphQLClient, persona: str) -> None:
    # given
    foreign_number = OWNED["svobodova"] if persona != "svobodova" else OWNED["pekarna"]
    foreign_ids = await ids_of(gql, foreign_number)
    own_number = OWNED.get(persona)
    own_ids = await ids_of(gql, own_number) if own_number else {}
    await as_persona(gql, persona)

    # when / then: viewer
    viewer = (await gql.execute("{ viewer { login } }"))["data"]["viewer"]
    assert viewer == (None if persona in {"anonymous", "staff"} else {"login": persona})

    # customer(number:)
    missing = await gql.execute(CUSTOMER, {"n": MISSING})
    assert not_found(missing)[1] == "NOT_FOUND"
    if persona != "staff":
        foreign = await gql.execute(CUSTOMER, {"n": foreign_number})
        assert not_found(foreign) == not_found(missing)
        assert foreign["data"] == missing["data"] == {"customer": None}
    else:
        assert error_codes(await gql.execute(CUSTOMER, {"n": foreign_number})) == []
    if own_number:
        own = await gql.execute(CUSTOMER, {"n": own_number})
        assert error_codes(own) == [] and own["data"]["customer"]["number"] == own_number

    # node(id:) for every node type
    for type_name, foreign_id in foreign_ids.items():
        missing_node = await gql.execute(NODE, {"id": global_id(type_name, "no-such-object-0")})
        assert not_found(missing_node)[1] == "NOT_FOUND", type_name
        if persona != "staff":
            foreign_node = await gql.execute(NODE, {"id": foreign_id})
            assert not_found(foreign_node) == not_found(missing_node), type_name
        else:
            assert error_codes(await gql.execute(NODE, {"id": foreign_id})) == [], type_name
    for type_name, own_id in own_ids.items():
        own_node = await gql.execute(NODE, {"id": own_id})
        assert error_codes(own_node) == [] and own_node["data"]["node"]["id"] == own_id, type_name


async def test_a_delegate_gets_only_its_scopes(gql: GraphQLClient) -> None:
    # given
    ids = await ids_of(gql, OWNED["novak"])
    await as_persona(gql, "poradce")

    # when
    billing = await gql.execute(NODE, {"id": ids["Invoice"]})
    points = await gql.execute(NODE, {"id": ids["SupplyPoint"]})
    field = await gql.execute(
        'query { customer(number: "1000012345") { invoices(first: 1) { totalCount } supplyPoints { id } } }'
    )

    # then
    assert error_codes(billing) == []
    assert error_codes(points) == ["FORBIDDEN"]
    assert error_codes(field) == ["FORBIDDEN"]
    assert field["data"]["customer"]["invoices"]["totalCount"] > 0
    assert field["errors"][0]["path"] == ["customer", "supplyPoints"]
