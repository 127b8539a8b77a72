"""Every persona against every root field and every node type, one test per cell.

Own objects are readable; a foreign object and a missing one answer the identical
NOT_FOUND (same message, code, path and data); anonymous callers get the identical
UNAUTHENTICATED for both; the delegate ``poradce`` (VIEW_BILLING on novak's number) reads
billing objects but gets FORBIDDEN on supply points, messages and the customer's personal
data; staff read everything and change nothing.

The cells only read, so they share one app per module and each persona logs in once
(Argon2 is slow on purpose). The IDs come from real data: each owner's lists.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio

from gateway.app import create_app
from gateway.resolvers.nodes import NODE_RESOLVERS
from gateway.schema.catalogue import CONTACT_INFO
from gateway.schema.node import from_global_id, to_global_id
from tests.e2e.client import GraphQLClient, error_codes
from tests.e2e.conftest import settings_in

pytestmark = pytest.mark.asyncio(loop_scope="module")

NOVAK, NOVAK2 = "1000012345", "1000056789"
OWNED = {
    "novak": NOVAK,
    "svobodova": "1000023456",
    "pekarna": "2000034567",
    "teplarna": "3000045678",
    "novak2": NOVAK2,
}
DELEGATED = {"poradce": NOVAK}  # VIEW_BILLING only
PERSONAS = [*OWNED, *DELEGATED, "anonymous", "staff"]
ROOT_FIELDS = ["viewer", "customer", "node", "nodes", "requestTypes", "contactInfo"]
NODE_TYPES = list(NODE_RESOLVERS)
DELEGATE_FORBIDDEN = {"SupplyPoint", "Message"}  # outside VIEW_BILLING
# The node types an owner's demo data holds no object of: the only own-object checks left out.
# Monthly-billed customers (pekarna, teplarna) pay no deposits: no deposit plan. (teplarna is
# in arrears, fixtures.billing.ledger.ARREARS: it holds reminders.)
HOLDS_NONE = {
    ("svobodova", "Reminder"),
    ("pekarna", "DepositPlan"),
    ("teplarna", "DepositPlan"),
}
MISSING = "9000000001"  # the simulators know numbers starting 1-3 only

LISTS = """
query Lists($n: String!) {
  customer(number: $n) {
    id
    supplyPoints { id }
    invoices(first: 1) { edges { node { id } } }
    depositPlans { id }
    payments(first: 1) { edges { node { id } } }
    reminders(first: 1) { edges { node { id } } }
    requests(first: 1) { edges { node { id } } }
    messages(first: 1) { edges { node { id } } }
  }
}
"""
NODE = """
query Node($id: ID!) {
  node(id: $id) {
    __typename
    id
    ... on Customer { number }
    ... on SupplyPoint { code }
    ... on Invoice { number }
    ... on CustomerRequest { state }
    ... on DepositPlan { frequency }
    ... on Payment { date }
    ... on Reminder { level }
    ... on Message { subject }
  }
}
"""
VIEWER = "{ viewer { login customers { number } activeCustomer { number } } }"
CUSTOMER = "query Customer($n: String!) { customer(number: $n) { number name } }"
PERSONAL = """
query Personal($n: String!) {
  customer(number: $n) {
    number segment name permanentAddress { city }
    overview { number name permanentAddress { city } quickRequestTypes { code } nearestInvoices { number } }
  }
}
"""
PERSONAL_PATHS = [
    ["customer", "name"],
    ["customer", "permanentAddress"],
    ["customer", "overview", "name"],
    ["customer", "overview", "permanentAddress"],
    ["customer", "overview", "quickRequestTypes"],
]
DELEGATE_FIELDS = """
query Fields($n: String!) { customer(number: $n) { invoices(first: 1) { totalCount } supplyPoints { id } } }
"""
REQUEST_TYPES = "query Types($sp: ID) { requestTypes(supplyPointId: $sp) { kind } }"
CONTACT = "{ contactInfo { phone hours } }"
MARK_READ = """
mutation Mark($n: String!, $ids: [ID!]!) {
  markMessagesRead(input: {customerNumber: $n, messageIds: $ids}) { markedCount errors { code } }
}
"""
UNREAD = "query Unread($n: String!) { customer(number: $n) { unreadMessageCount } }"

# A missing object of a customer number the persona owns, per node type.
MISSING_OF_OWN = {
    "SupplyPoint": "{n}999",
    "Invoice": "{n}999209901",
    "CustomerRequest": "{n}-9999",
    "DepositPlan": "{n}:no-such-plan",
    "Payment": "{n}:no-such-payment",
    "Reminder": "{n}:no-such-reminder",
    "Message": "{n}:no-such-message",
}


def first_ids(customer: dict[str, Any]) -> dict[str, str]:
    """The first object of each node type in a customer's lists."""
    lists: dict[str, list[dict[str, Any]]] = {
        "Customer": [customer],
        "SupplyPoint": customer["supplyPoints"],
        "DepositPlan": customer["depositPlans"],
        **{
            type_name: [edge["node"] for edge in customer[key]["edges"]]
            for type_name, key in [
                ("Invoice", "invoices"),
                ("Payment", "payments"),
                ("Reminder", "reminders"),
                ("CustomerRequest", "requests"),
                ("Message", "messages"),
            ]
        },
    }
    return {type_name: objects[0]["id"] for type_name, objects in lists.items() if objects}


@dataclass
class Matrix:
    http: httpx.AsyncClient
    tokens: dict[str, str] = field(default_factory=dict)
    ids: dict[str, dict[str, str]] = field(default_factory=dict)

    async def client(self, persona: str) -> GraphQLClient:
        """A client for the persona: staff by API key, users by bearer token (one login each)."""
        gql = GraphQLClient(self.http)
        if persona == "staff":
            gql.headers["X-API-Key"] = "demo-staff-key"
        elif persona != "anonymous":
            if persona not in self.tokens:
                login = await gql.login_raw(persona)
                self.tokens[persona] = login["data"]["login"]["token"]
                self.http.cookies.clear()  # the token alone says who asks
            gql.headers["Authorization"] = f"Bearer {self.tokens[persona]}"
        return gql

    async def ids_of(self, number: str) -> dict[str, str]:
        """The first object of each node type of ``number``, from its owner's lists."""
        if number not in self.ids:
            owner = next(login for login, owned in OWNED.items() if owned == number)
            result = await (await self.client(owner)).execute(LISTS, {"n": number})
            assert error_codes(result) == []
            self.ids[number] = first_ids(result["data"]["customer"])
        return self.ids[number]


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def matrix(
    simulators: dict[str, str], seeded_database: Path, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Matrix]:
    directory = tmp_path_factory.mktemp("matrix")
    app = create_app(settings_in(directory, simulators=simulators, seeded_database=seeded_database))
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://gateway.test") as http,
    ):
        yield Matrix(http)


def foreign_to(persona: str) -> str:
    """A customer number the persona has no access to, holding an object of every node type."""
    return NOVAK2 if persona in {"novak", *DELEGATED} else NOVAK


def missing_ids(type_name: str, foreign_id: str, foreign_number: str, own: str | None) -> list[str]:
    """IDs of the type that name nothing: the foreign object under a number that does not
    exist, an ID that is not of the type's shape and, for an owner, a missing object of its own."""
    _, raw = from_global_id(foreign_id, expected=type_name)
    moved = raw.replace(foreign_number, MISSING)
    assert moved != raw
    ids: list[str] = [to_global_id(type_name, moved), to_global_id(type_name, "no-such-object-0")]
    if own is not None and type_name in MISSING_OF_OWN:
        ids.append(to_global_id(type_name, MISSING_OF_OWN[type_name].format(n=own)))
    return ids


def assert_reads(result: dict[str, Any], global_id: str, type_name: str) -> None:
    assert error_codes(result) == [], result
    node = result["data"]["node"]
    assert (node["__typename"], node["id"]) == (type_name, global_id)
    assert all(value is not None for value in node.values())


def assert_not_found(result: dict[str, Any], field_name: str, *, nullable: bool = True) -> None:
    assert error_codes(result) == ["NOT_FOUND"], result
    assert result["errors"][0]["path"] == [field_name]
    assert result["data"] == ({field_name: None} if nullable else None)


def assert_refused(result: dict[str, Any], field_name: str, persona: str, *, nullable: bool = True) -> None:
    """NOT_FOUND for someone; for anonymous callers UNAUTHENTICATED (who asks comes first)."""
    if persona != "anonymous":
        assert_not_found(result, field_name, nullable=nullable)
        return
    assert error_codes(result) == ["UNAUTHENTICATED"], result
    assert result["errors"][0]["message"] == "You need to log in."
    assert result["errors"][0]["path"] == [field_name]
    assert result["data"] == ({field_name: None} if nullable else None)


@pytest.mark.parametrize("type_name", NODE_TYPES)
@pytest.mark.parametrize("persona", PERSONAS)
async def test_node_type(matrix: Matrix, persona: str, type_name: str) -> None:
    # given
    gql = await matrix.client(persona)
    foreign_number, own = foreign_to(persona), OWNED.get(persona)
    foreign_id = (await matrix.ids_of(foreign_number))[type_name]

    # when
    foreign = await gql.execute(NODE, {"id": foreign_id})
    missing = [
        await gql.execute(NODE, {"id": missing_id})
        for missing_id in missing_ids(type_name, foreign_id, foreign_number, own)
    ]

    # then: a foreign object is indistinguishable from a missing one (staff see it)
    for answer in missing:
        assert_refused(answer, "node", persona)
        if persona != "staff":
            assert answer == foreign
    if persona == "staff":
        assert_reads(foreign, foreign_id, type_name)
    # own objects are readable: every owner reads one of each type its data holds
    if own is not None:
        own_ids = await matrix.ids_of(own)
        if (persona, type_name) in HOLDS_NONE:
            assert type_name not in own_ids  # the data really holds none (else check it below)
        else:
            assert_reads(await gql.execute(NODE, {"id": own_ids[type_name]}), own_ids[type_name], type_name)
    # a delegate reads what its scopes cover, and FORBIDDEN (not NOT_FOUND) for the rest
    if persona in DELEGATED:
        delegated_id = (await matrix.ids_of(DELEGATED[persona]))[type_name]
        delegated = await gql.execute(NODE, {"id": delegated_id})
        if type_name in DELEGATE_FORBIDDEN:
            assert error_codes(delegated) == ["FORBIDDEN"]
            assert delegated["data"] == {"node": None}
        else:
            assert_reads(delegated, delegated_id, type_name)


@pytest.mark.parametrize("root_field", ROOT_FIELDS)
@pytest.mark.parametrize("persona", PERSONAS)
async def test_root_field(matrix: Matrix, persona: str, root_field: str) -> None:
    gql = await matrix.client(persona)
    check = {
        "viewer": check_viewer,
        "customer": check_customer,
        "node": check_node,
        "nodes": check_nodes,
        "requestTypes": check_request_types,
        "contactInfo": check_contact_info,
    }[root_field]
    await check(matrix, gql, persona)


async def check_viewer(matrix: Matrix, gql: GraphQLClient, persona: str) -> None:
    result = await gql.execute(VIEWER)

    assert error_codes(result) == []
    visible = OWNED.get(persona) or DELEGATED.get(persona)
    if visible is None:  # anonymous, and staff (no portal user)
        assert result["data"]["viewer"] is None
    else:
        assert result["data"]["viewer"] == {
            "login": persona,
            "customers": [{"number": visible}],
            "activeCustomer": {"number": visible},
        }


async def check_customer(matrix: Matrix, gql: GraphQLClient, persona: str) -> None:
    foreign_number = foreign_to(persona)

    missing = await gql.execute(CUSTOMER, {"n": MISSING})
    foreign = await gql.execute(CUSTOMER, {"n": foreign_number})

    assert_refused(missing, "customer", persona)
    if persona == "staff":
        assert error_codes(foreign) == []
        assert foreign["data"]["customer"]["number"] == foreign_number
        assert foreign["data"]["customer"]["name"]
    else:
        assert foreign == missing
    visible = OWNED.get(persona) or DELEGATED.get(persona)
    if visible is not None:
        own = await gql.execute(CUSTOMER, {"n": visible})
        assert own["data"]["customer"]["number"] == visible
        if persona in DELEGATED:  # the name is personal data, outside VIEW_BILLING
            assert error_codes(own) == ["FORBIDDEN"]
            assert own["data"]["customer"]["name"] is None
        else:
            assert error_codes(own) == []
            assert own["data"]["customer"]["name"]


async def check_node(matrix: Matrix, gql: GraphQLClient, persona: str) -> None:
    """IDs that name no object at all answer like a foreign customer (or, for staff, a missing one)."""
    reference_number = MISSING if persona == "staff" else foreign_to(persona)
    reference = await gql.execute(NODE, {"id": to_global_id("Customer", reference_number)})
    nonsense = [
        "not base64 at all!",
        "Q3VzdG9tZXI",
        to_global_id("Account", NOVAK),
        to_global_id("Customer", ""),
    ]

    answers = [await gql.execute(NODE, {"id": global_id}) for global_id in nonsense]

    assert_refused(reference, "node", persona)
    assert answers == [reference] * len(nonsense)


NODES = "query Nodes($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }"


async def check_nodes(matrix: Matrix, gql: GraphQLClient, persona: str) -> None:
    """One list: an object of every type of a foreign number, two IDs that name nothing, and
    every type of the persona's own number. Foreign and missing are null alike (staff read the
    foreign ones), own ones are read, a delegate's out-of-scope ones are null: never an error."""
    foreign = await matrix.ids_of(foreign_to(persona))
    visible = OWNED.get(persona) or DELEGATED.get(persona)
    own = await matrix.ids_of(visible) if visible is not None else {}
    ids = [*foreign.values(), to_global_id("Customer", MISSING), "not base64 at all!", *own.values()]

    result = await gql.execute(NODES, {"ids": ids})

    if persona == "anonymous":
        assert error_codes(result) == ["UNAUTHENTICATED"], result
        assert result["data"] is None
        return
    assert error_codes(result) == [], result
    found = result["data"]["nodes"]
    expected = [
        {"__typename": type_name, "id": global_id} if persona == "staff" else None
        for type_name, global_id in foreign.items()
    ]
    expected += [None, None]
    expected += [
        None
        if persona in DELEGATED and type_name in DELEGATE_FORBIDDEN
        else {"__typename": type_name, "id": global_id}
        for type_name, global_id in own.items()
    ]
    assert found == expected


async def check_request_types(matrix: Matrix, gql: GraphQLClient, persona: str) -> None:
    foreign_point = (await matrix.ids_of(foreign_to(persona)))["SupplyPoint"]
    missing_point = to_global_id("SupplyPoint", f"{MISSING}001")

    catalogue = await gql.execute(REQUEST_TYPES)
    foreign = await gql.execute(REQUEST_TYPES, {"sp": foreign_point})
    missing = await gql.execute(REQUEST_TYPES, {"sp": missing_point})

    assert error_codes(catalogue) == [] and catalogue["data"]["requestTypes"]
    kinds = {entry["kind"] for entry in catalogue["data"]["requestTypes"]}
    assert_refused(missing, "requestTypes", persona, nullable=False)  # a non-null list: data is null
    if persona == "staff":
        assert error_codes(foreign) == []
        assert {entry["kind"] for entry in foreign["data"]["requestTypes"]} <= kinds
    else:
        assert foreign == missing
    if persona in OWNED:
        own_point = (await matrix.ids_of(OWNED[persona]))["SupplyPoint"]
        own = await gql.execute(REQUEST_TYPES, {"sp": own_point})
        assert error_codes(own) == [] and own["data"]["requestTypes"]
        assert {entry["kind"] for entry in own["data"]["requestTypes"]} <= kinds
    if persona in DELEGATED:  # supply points are outside its scopes
        delegated_point = (await matrix.ids_of(DELEGATED[persona]))["SupplyPoint"]
        assert error_codes(await gql.execute(REQUEST_TYPES, {"sp": delegated_point})) == ["FORBIDDEN"]


async def check_contact_info(matrix: Matrix, gql: GraphQLClient, persona: str) -> None:
    result = await gql.execute(CONTACT)

    assert error_codes(result) == []
    assert result["data"]["contactInfo"] == {"phone": CONTACT_INFO.phone, "hours": CONTACT_INFO.hours}


async def test_the_matrix_covers_every_node_type_on_the_foreign_numbers(matrix: Matrix) -> None:
    for number in (NOVAK, NOVAK2):
        assert set(await matrix.ids_of(number)) == set(NODE_RESOLVERS)


async def test_a_delegate_gets_forbidden_on_fields_outside_its_scopes(matrix: Matrix) -> None:
    # given
    gql = await matrix.client("poradce")

    # when
    result = await gql.execute(DELEGATE_FIELDS, {"n": NOVAK})

    # then
    assert error_codes(result) == ["FORBIDDEN"]
    assert result["errors"][0]["path"] == ["customer", "supplyPoints"]
    assert result["data"]["customer"]["invoices"]["totalCount"] > 0
    assert result["data"]["customer"]["supplyPoints"] is None


async def test_staff_read_but_change_nothing(matrix: Matrix) -> None:
    # given
    staff = await matrix.client("staff")
    message_id = (await matrix.ids_of(NOVAK))["Message"]
    unread_before = (await staff.execute(UNREAD, {"n": NOVAK}))["data"]["customer"]["unreadMessageCount"]

    # when
    result = await staff.execute(MARK_READ, {"n": NOVAK, "ids": [message_id]})

    # then
    assert error_codes(result) == ["FORBIDDEN"]
    unread_after = (await staff.execute(UNREAD, {"n": NOVAK}))["data"]["customer"]["unreadMessageCount"]
    assert unread_after == unread_before > 0


async def test_a_billing_delegate_sees_no_personal_data_nor_quick_request_types(matrix: Matrix) -> None:
    # given: poradce holds VIEW_BILLING on novak's number, nothing more
    gql = await matrix.client("poradce")

    # when
    result = await gql.execute(PERSONAL, {"n": NOVAK})

    # then: the billing parts arrive, the name, the address and the quick start do not
    assert sorted(error["path"] for error in result["errors"]) == sorted(PERSONAL_PATHS)
    assert set(error_codes(result)) == {"FORBIDDEN"}
    customer = result["data"]["customer"]
    assert (customer["number"], customer["segment"]) == (NOVAK, "HOUSEHOLD")
    assert customer["name"] is None and customer["permanentAddress"] is None
    overview = customer["overview"]
    assert overview["nearestInvoices"] and overview["number"] == NOVAK
    assert overview["name"] is None and overview["permanentAddress"] is None
    assert overview["quickRequestTypes"] is None


@pytest.mark.parametrize("persona", ["novak", "staff"])
async def test_the_owner_and_staff_see_the_personal_data(matrix: Matrix, persona: str) -> None:
    gql = await matrix.client(persona)

    result = await gql.execute(PERSONAL, {"n": NOVAK})

    assert error_codes(result) == []
    customer = result["data"]["customer"]
    assert customer["name"] and customer["permanentAddress"]["city"]
    assert customer["overview"]["name"] == customer["name"]
    assert customer["overview"]["quickRequestTypes"]
