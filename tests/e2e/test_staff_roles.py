"""Staff roles end to end: each role x each ``Staff`` field, customers for keys without
READ_CUSTOMERS, and the audit trail as an AUDITOR reads it.

The role x field matrix is generated: the fields are the schema's ``Staff`` fields, what each
needs is ``tests/schema/test_staff_abilities.py::EXPECTED`` (checked there against each
field's ``requires_staff``), and what each role may do is ``STAFF_ROLE_ABILITIES``. A field
another branch adds is covered as soon as it is in the schema.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from graphql import GraphQLNonNull, GraphQLObjectType, get_named_type
from starlette.applications import Starlette

from gateway.permissions import STAFF_ROLE_ABILITIES, StaffRole
from gateway.store import audit
from gateway.store.db import transaction
from gateway.store.models import ActorKind
from tests.e2e.client import GraphQLClient, error_codes
from tests.e2e.conftest import SettableClock
from tests.schema.test_staff_abilities import EXPECTED, staff_fields, staff_type

NOVAK, PEKARNA, SVOBODOVA = "1000012345", "2000034567", "1000023456"
ROLE_KEYS = {
    StaffRole.SUPPORT: "demo-support-key",
    StaffRole.FINANCE: "demo-finance-key",
    StaffRole.OPERATIONS: "demo-operations-key",
    StaffRole.AUDITOR: "demo-auditor-key",
}
ALL_ROLES_KEY = "demo-staff-key"
# A value for each required argument, by type; a field that needs a particular one names it.
SAMPLE_ARGUMENTS: dict[str, dict[str, str]] = {"searchCustomers": {"query": '"novak"'}}
SAMPLE_BY_TYPE = {"String": '"novak"', "Int": "1", "Date": '"2026-03-02"'}


def field_query(name: str) -> str:
    """``{ staff { NAME(required arguments) { __typename } } }``: the least that reads the field."""
    field = staff_type().fields[name]
    samples = SAMPLE_ARGUMENTS.get(name, {})
    arguments = [
        f"{argument}: {samples.get(argument) or SAMPLE_BY_TYPE[str(get_named_type(spec.type))]}"
        for argument, spec in field.args.items()
        if isinstance(spec.type, GraphQLNonNull) and spec.default_value is None
    ]
    called = f"{name}({', '.join(arguments)})" if arguments else name
    selection = " { __typename }" if isinstance(get_named_type(field.type), GraphQLObjectType) else ""
    return f"query RoleMatrix {{ staff {{ {called}{selection} }} }}"


def allowed(role: StaffRole, field: str) -> bool:
    ability = EXPECTED[field]
    return ability is None or ability in STAFF_ROLE_ABILITIES[role]


MATRIX = [
    pytest.param(role, field, id=f"{role.value}-{field}") for role in StaffRole for field in staff_fields()
]


@pytest.mark.parametrize(("role", "field"), MATRIX)
async def test_each_role_gets_a_staff_field_or_forbidden_as_the_table_says(
    gql: GraphQLClient, role: StaffRole, field: str
) -> None:
    # given: a key with only this role
    gql.headers["X-API-Key"] = ROLE_KEYS[role]

    # when
    result = await gql.execute(field_query(field))

    # then
    if allowed(role, field):
        assert error_codes(result) == [], result
        assert result["data"]["staff"][field] is not None
    else:
        assert error_codes(result) == ["FORBIDDEN"], result
        assert result["errors"][0]["path"] == ["staff", field]
        assert result["data"]["staff"] is None  # every Staff field is non-null: the error bubbles up


@pytest.mark.parametrize("field", staff_fields())
async def test_the_key_with_every_role_gets_every_staff_field(gql: GraphQLClient, field: str) -> None:
    gql.headers["X-API-Key"] = ALL_ROLES_KEY

    result = await gql.execute(field_query(field))

    assert error_codes(result) == [], result


async def test_staff_roles_shows_the_keys_roles(gql: GraphQLClient) -> None:
    seen = {}
    for role, key in ROLE_KEYS.items():
        gql.headers["X-API-Key"] = key
        seen[role.value] = (await gql.execute("{ staff { name roles } }"))["data"]["staff"]["roles"]
    gql.headers["X-API-Key"] = ALL_ROLES_KEY
    every = (await gql.execute("{ staff { roles } }"))["data"]["staff"]["roles"]

    assert seen == {role.value: [role.value] for role in ROLE_KEYS}
    assert every == ["SUPPORT", "FINANCE", "OPERATIONS", "AUDITOR"]


CUSTOMER_READS = {
    "customer": f'{{ customer(number: "{NOVAK}") {{ name }} }}',
    "node": '{ node(id: "%s") { id } }',
    "nodes": '{ nodes(ids: ["%s"]) { id } }',
}


async def _customer_id(gql: GraphQLClient) -> str:
    gql.headers["X-API-Key"] = "demo-support-key"
    result = await gql.execute(f'{{ customer(number: "{NOVAK}") {{ id }} }}')
    customer_id: str = result["data"]["customer"]["id"]
    return customer_id


@pytest.mark.parametrize("root", list(CUSTOMER_READS))
async def test_a_key_without_read_customers_cannot_read_a_customer(
    gql: GraphQLClient, app: Starlette, root: str
) -> None:
    # given: the ID a support key reads, and an auditor's key
    customer_id = await _customer_id(gql)
    query = CUSTOMER_READS[root] if root == "customer" else CUSTOMER_READS[root] % customer_id
    gql.headers["X-API-Key"] = "demo-auditor-key"

    # when
    result = await gql.execute(query)

    # then: refused for the key, whatever the number, and nothing is audited as read by it
    assert error_codes(result) == ["FORBIDDEN"], result
    assert result["errors"][0]["message"] == "This API key's roles do not include reading customers."
    assert result["data"] is None or result["data"][root] is None
    async with transaction(app.state.services.store) as db:
        reads = await audit.list_audit(db, actor_kind=ActorKind.STAFF)
    assert [entry.detail["staff"] for entry in reads if entry.detail] == ["demo support"]


async def test_a_key_without_read_customers_is_refused_alike_for_a_number_that_does_not_exist(
    gql: GraphQLClient,
) -> None:
    gql.headers["X-API-Key"] = "demo-auditor-key"

    existing = await gql.execute(f'{{ customer(number: "{NOVAK}") {{ name }} }}')
    missing = await gql.execute('{ customer(number: "9999999999") { name } }')

    assert error_codes(existing) == error_codes(missing) == ["FORBIDDEN"]
    assert existing["errors"][0]["message"] == missing["errors"][0]["message"]


AUDIT_LOG = """
query Trail($filter: AuditLogFilter, $first: Int, $after: String) {
  staff { auditLog(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage endCursor }
    edges { cursor node { at actorKind actor action customerNumber operation clientAddress } }
  } }
}
"""


async def _trail(gql: GraphQLClient, **variables: Any) -> dict[str, Any]:
    gql.headers["X-API-Key"] = "demo-auditor-key"
    result = await gql.execute(AUDIT_LOG, variables)
    assert error_codes(result) == [], result
    trail: dict[str, Any] = result["data"]["staff"]["auditLog"]
    return trail


def _nodes(trail: dict[str, Any]) -> list[dict[str, Any]]:
    return [edge["node"] for edge in trail["edges"]]


async def test_the_audit_log_shows_staff_reads_with_their_customer_numbers_and_user_actions(
    gql: GraphQLClient, clock: SettableClock
) -> None:
    # given: a user logs in, then a support key reads two customers in one operation
    clock.set(dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC))
    await gql.login("novak")
    del gql.headers["Authorization"]
    clock.set(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC))
    gql.headers["X-API-Key"] = "demo-support-key"
    read = await gql.execute(
        "query DeskLook { "
        f'a: customer(number: "{NOVAK}") {{ name }} b: customer(number: "{PEKARNA}") {{ name }} }}'
    )
    assert error_codes(read) == []
    clock.set(dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC))

    # when
    trail = await _trail(gql)

    # then: newest first, the staff reads by the key's name, the login by the user's
    shown = [
        (node["actorKind"], node["actor"], node["action"], node["customerNumber"], node["operation"])
        for node in _nodes(trail)
    ]
    assert shown[:2] == [
        ("STAFF", "demo support", "staff_read", PEKARNA, "DeskLook"),
        ("STAFF", "demo support", "staff_read", NOVAK, "DeskLook"),
    ]
    assert ("USER", "novak", "login", None, None) in shown[2:]
    assert trail["totalCount"] == len(shown)
    assert all(node["at"] for node in _nodes(trail))
    assert _nodes(trail)[0]["at"].startswith("2026-03-02T09:00:00")


async def test_the_audit_log_filters_by_customer_actor_kind_action_and_period(
    gql: GraphQLClient, clock: SettableClock
) -> None:
    # given: reads at 9:00 (novak) and 11:00 (novak, svobodova), a login at 10:00
    gql.headers["X-API-Key"] = "demo-support-key"
    clock.set(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC))
    await gql.execute(f'query First {{ customer(number: "{NOVAK}") {{ name }} }}')
    clock.set(dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC))
    del gql.headers["X-API-Key"]
    await gql.login("svobodova")
    del gql.headers["Authorization"]
    clock.set(dt.datetime(2026, 3, 2, 11, 0, tzinfo=dt.UTC))
    gql.headers["X-API-Key"] = "demo-support-key"
    await gql.execute(
        "query Second { "
        f'a: customer(number: "{NOVAK}") {{ name }} b: customer(number: "{SVOBODOVA}") {{ name }} }}'
    )
    clock.set(dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC))

    def summary(trail: dict[str, Any]) -> list[tuple[str, str | None, str | None]]:
        return [(n["action"], n["customerNumber"], n["operation"]) for n in _nodes(trail)]

    by_customer = await _trail(gql, filter={"customerNumber": NOVAK, "action": "staff_read"})
    by_kind = await _trail(gql, filter={"actorKind": "USER"})
    by_period = await _trail(
        gql, filter={"since": "2026-03-02T09:30:00+00:00", "until": "2026-03-02T11:00:00+00:00"}
    )
    until_is_exclusive = await _trail(gql, filter={"since": "2026-03-02T11:00:00Z", "action": "staff_read"})

    assert summary(by_customer) == [("staff_read", NOVAK, "Second"), ("staff_read", NOVAK, "First")]
    assert by_customer["totalCount"] == 2
    assert {n["actorKind"] for n in _nodes(by_kind)} == {"USER"}
    assert ("login", None, None) in summary(by_kind)
    assert [(n["actor"], n["action"]) for n in _nodes(by_period)] == [("svobodova", "login")]
    assert summary(until_is_exclusive) == [
        ("staff_read", SVOBODOVA, "Second"),
        ("staff_read", NOVAK, "Second"),
    ]


async def test_the_audit_log_pages_with_cursors_and_a_total(gql: GraphQLClient, clock: SettableClock) -> None:
    # given: five reads, a minute apart
    gql.headers["X-API-Key"] = "demo-support-key"
    for minute in range(5):
        clock.set(dt.datetime(2026, 3, 2, 9, minute, tzinfo=dt.UTC))
        await gql.execute(f'query Look{minute} {{ customer(number: "{NOVAK}") {{ name }} }}')
    only_reads = {"action": "staff_read"}

    # when
    first = await _trail(gql, filter=only_reads, first=2)
    second = await _trail(gql, filter=only_reads, first=2, after=first["pageInfo"]["endCursor"])
    third = await _trail(gql, filter=only_reads, first=2, after=second["pageInfo"]["endCursor"])
    empty = await _trail(gql, filter=only_reads, first=0)

    # then
    pages = [[n["operation"] for n in _nodes(page)] for page in (first, second, third)]
    assert pages == [["Look4", "Look3"], ["Look2", "Look1"], ["Look0"]]
    assert [page["totalCount"] for page in (first, second, third, empty)] == [5, 5, 5, 5]
    assert [page["pageInfo"]["hasNextPage"] for page in (first, second, third)] == [True, True, False]
    assert [page["pageInfo"]["hasPreviousPage"] for page in (first, second, third)] == [False, True, True]
    assert empty["edges"] == []


async def test_reading_the_audit_log_is_itself_recorded(gql: GraphQLClient, clock: SettableClock) -> None:
    # given
    clock.set(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC))
    first = await _trail(gql, filter={"customerNumber": NOVAK})
    clock.set(dt.datetime(2026, 3, 2, 9, 5, tzinfo=dt.UTC))

    # when: the next read
    second = await _trail(gql, filter={"action": "audit_log_read"})

    # then: a read does not show itself; the next one shows it, by the auditor's key, under
    # the customer number it filtered on
    assert all(n["action"] != "audit_log_read" for n in _nodes(first))
    assert [(n["actor"], n["actorKind"], n["customerNumber"], n["operation"]) for n in _nodes(second)] == [
        ("demo auditor", "STAFF", NOVAK, "Trail")
    ]


@pytest.mark.parametrize(
    ("variables", "naming"),
    [
        ({"filter": {"since": "2026-03-02T10:00:00Z", "until": "2026-03-02T09:00:00Z"}}, "filter.since"),
        ({"filter": {"customerNumber": "12345"}}, "filter.customerNumber"),
        ({"filter": {"customerNumber": "１０００012345"}}, "filter.customerNumber"),
        ({"filter": {"action": "x" * 65}}, "filter.action"),
        ({"first": 101}, "first"),
        ({"after": "not-a-cursor"}, "after"),
    ],
)
async def test_bad_audit_log_filters_are_bad_user_input(
    gql: GraphQLClient, app: Starlette, variables: dict[str, Any], naming: str
) -> None:
    gql.headers["X-API-Key"] = "demo-auditor-key"

    result = await gql.execute(AUDIT_LOG, variables)

    assert error_codes(result) == ["BAD_USER_INPUT"], result
    assert naming in result["errors"][0]["message"]
    async with transaction(app.state.services.store) as db:  # refused before anything was read
        assert await audit.list_audit(db, actor_kind=ActorKind.STAFF) == []


async def test_a_key_without_read_customers_cannot_download_a_customers_document(gql: GraphQLClient) -> None:
    # given: an invoice PDF's address, as a support key reads it
    gql.headers["X-API-Key"] = "demo-support-key"
    read = await gql.execute(
        "query($n: String!) { customer(number: $n) { invoices(first: 1) { edges { node { "
        "document { url } } } } } }",
        {"n": NOVAK},
    )
    url = read["data"]["customer"]["invoices"]["edges"][0]["node"]["document"]["url"]
    assert (await gql.http.get(url, headers=gql.headers)).status_code == 200

    # when: an auditor's key asks for it
    gql.headers["X-API-Key"] = "demo-auditor-key"
    response = await gql.http.get(url, headers=gql.headers)

    # then
    assert response.status_code == 403
    assert response.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert response.json()["errors"][0]["message"] == "This API key's roles do not include reading customers."
