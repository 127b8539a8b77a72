"""Staff worklists: the request queue across customers and the large consumers' nomination status.

On simulators of this module's own: a weekly nomination is submitted here."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from fixtures import personas
from fixtures.crm.store import CrmStore, SimRequest
from fixtures.nomination.contracts import ROSTER
from gateway import sessions
from gateway.context import Staff as ContextStaff
from gateway.nomination.intervals import PRAGUE
from gateway.permissions import StaffRole
from gateway.schema.node import to_global_id
from gateway.store import audit
from gateway.store.db import transaction
from gateway.store.models import ActorKind
from tests.e2e.client import GraphQLClient, error_codes, set_faults
from tests.e2e.conftest import SettableClock
from tests.e2e.simulators import own_simulators
from tests.e2e.test_nomination import SUBMIT_WEEK, Clocks, contracted_week, week_input

simulators = own_simulators(progression=None)  # cases move only when told: the queue stands still

STAFF_KEY = "demo-staff-key"
TODAY = dt.datetime(2026, 11, 30, 9, 0, tzinfo=PRAGUE)  # a Monday
STATE_CODES = {"OPEN": 10, "IN_PROGRESS": 20, "RESOLVED": 30, "REJECTED": 40, "CANCELLED": 50}
KIND_CODES = {"TRANSFER": 8, "OTHER": 99, "CONTACT_CHANGE": 1}

QUEUE = """
query Queue($filter: RequestQueueFilter, $orderBy: RequestQueueOrder, $first: Int, $after: String) {
  staff {
    requestQueue(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { cursor node {
        customerNumber customerName ageDays
        request { id state kind createdAt }
        customer { number name segment }
      } }
    }
  }
}
"""

OWN_REQUESTS = """
query Own($number: String!) {
  customer(number: $number) { requests(first: 100) { edges { node { id state kind createdAt } } } }
}
"""

STATUS = """
query Status($week: Date) {
  staff {
    nominationStatus(week: $week) {
      weekStart gateClosure gateOpen expected submitted
      consumers {
        customerNumber customerName eic contractNumber submitted submittedAt customer { number name }
      }
    }
  }
}
"""


@pytest.fixture
def staff(gql: GraphQLClient) -> GraphQLClient:
    gql.headers["X-API-Key"] = STAFF_KEY
    return gql


@pytest.fixture
def today(clock: SettableClock) -> dt.datetime:
    clock.set(TODAY)
    return TODAY


def waiting(store: CrmStore, *, states: set[int], kinds: set[int] | None = None) -> list[SimRequest]:
    """What the simulator's CRM holds, selected and ordered here, independently of the gateway."""
    return sorted(
        (r for r in store.queue() if r.state in states and (kinds is None or r.kind in kinds)),
        key=lambda r: (r.created_at, r.id),
    )


def sim_calls(base: str) -> dict[str, int]:
    calls: dict[str, int] = httpx.get(f"{base}/__sim/stats").json()["calls"]
    return calls


async def whole_queue(client: GraphQLClient, first: int, **variables: Any) -> list[dict[str, Any]]:
    """Every page, following ``endCursor``; checks each page's own bookkeeping on the way."""
    nodes: list[dict[str, Any]] = []
    after = None
    while True:
        result = await client.execute(QUEUE, {**variables, "first": first, "after": after})
        assert error_codes(result) == [], result
        connection = result["data"]["staff"]["requestQueue"]
        page = connection["edges"]
        assert len(page) <= first
        assert connection["pageInfo"]["hasPreviousPage"] is (after is not None)
        nodes.extend(edge["node"] for edge in page)
        if not connection["pageInfo"]["hasNextPage"]:
            assert len(nodes) == connection["totalCount"]
            return nodes
        assert len(page) == first
        after = connection["pageInfo"]["endCursor"]


def ids(requests: list[SimRequest]) -> list[str]:
    return [to_global_id("CustomerRequest", r.id) for r in requests]


@pytest.mark.usefixtures("today")
async def test_the_queue_pages_oldest_first_through_every_waiting_request(staff: GraphQLClient) -> None:
    # given
    expected = waiting(CrmStore(), states={10, 20})
    assert len(expected) > 7 * 2  # more than two pages

    # when
    nodes = await whole_queue(staff, 7, filter={"states": ["OPEN", "IN_PROGRESS"]})

    # then
    assert [n["request"]["id"] for n in nodes] == ids(expected)
    first = nodes[0]
    oldest = expected[0]
    assert first["customerNumber"] == first["customer"]["number"] == oldest.customer_number
    assert first["customerName"] == first["customer"]["name"]
    assert first["ageDays"] == (TODAY.date() - oldest.created_at.astimezone(PRAGUE).date()).days
    assert {n["request"]["state"] for n in nodes} == {"OPEN", "IN_PROGRESS"}
    assert [n["ageDays"] for n in nodes] == sorted((n["ageDays"] for n in nodes), reverse=True)


@pytest.mark.usefixtures("today")
async def test_kinds_age_and_newest_first_select_and_order_as_the_crm_holds_them(
    staff: GraphQLClient,
) -> None:
    # given: transfers and other requests at least 250 days old, in any state
    kinds = {KIND_CODES["TRANSFER"], KIND_CODES["OTHER"]}
    cutoff = TODAY.date() - dt.timedelta(days=250)
    expected = [
        r
        for r in waiting(CrmStore(), states=set(STATE_CODES.values()), kinds=kinds)
        if r.created_at.astimezone(PRAGUE).date() <= cutoff
    ]
    assert len(expected) >= 3

    # when
    nodes = await whole_queue(
        staff, 2, filter={"kinds": ["TRANSFER", "OTHER"], "minAgeDays": 250}, orderBy="NEWEST_FIRST"
    )

    # then
    assert [n["request"]["id"] for n in nodes] == ids(expected)[::-1]
    assert all(n["ageDays"] >= 250 and n["request"]["kind"] in ("TRANSFER", "OTHER") for n in nodes)


@pytest.mark.usefixtures("today")
async def test_an_empty_filter_is_the_whole_worklist(staff: GraphQLClient) -> None:
    result = await staff.execute(QUEUE, {"filter": {"states": [], "kinds": []}, "first": 0})

    assert result["data"]["staff"]["requestQueue"]["totalCount"] == len(CrmStore().queue())
    assert result["data"]["staff"]["requestQueue"]["edges"] == []


@pytest.mark.usefixtures("today")
async def test_the_queue_shows_a_customers_requests_as_its_own_list_does(staff: GraphQLClient) -> None:
    # given: novak's open requests, through the portal's own field
    own = await staff.execute(OWN_REQUESTS, {"number": personas.NOVAK})
    novak_open = [
        edge["node"]
        for edge in own["data"]["customer"]["requests"]["edges"]
        if edge["node"]["state"] in ("OPEN", "IN_PROGRESS")
    ]
    assert novak_open

    # when
    nodes = await whole_queue(staff, 100, filter={"states": ["OPEN", "IN_PROGRESS"]})

    # then
    in_queue = [n["request"] for n in nodes if n["customerNumber"] == personas.NOVAK]
    assert sorted(in_queue, key=lambda r: r["id"]) == sorted(novak_open, key=lambda r: r["id"])


@pytest.mark.usefixtures("today")
async def test_every_customer_a_queue_page_reveals_is_audited(staff: GraphQLClient, app: Starlette) -> None:
    # when: a page selecting only the customer numbers (no customer field asked for)
    result = await staff.execute(
        "query Page { staff { requestQueue(first: 5) { edges { node { customerNumber } } } } }"
    )

    # then
    revealed = {edge["node"]["customerNumber"] for edge in result["data"]["staff"]["requestQueue"]["edges"]}
    assert len(revealed) >= 3
    async with transaction(app.state.services.store) as db:
        entries = await audit.list_audit(db, actor_kind=ActorKind.STAFF)
    assert {e.customer_number for e in entries} == revealed
    assert {(e.action, (e.detail or {})["operation"]) for e in entries} == {("staff_read", "Page")}


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"filter": {"minAgeDays": -1}}, "`minAgeDays` must be between 0 and 3650."),
        ({"filter": {"minAgeDays": 3651}}, "`minAgeDays` must be between 0 and 3650."),
        ({"first": 101}, "`first` must be between 0 and 100."),
        ({"after": "not a cursor"}, "`after` is not a cursor this API gave out."),
    ],
)
async def test_bad_queue_input_never_reaches_the_crm(
    staff: GraphQLClient, simulators: dict[str, str], variables: dict[str, Any], message: str
) -> None:
    httpx.delete(f"{simulators['crm']}/__sim/stats")

    result = await staff.execute(QUEUE, variables)

    assert error_codes(result) == ["BAD_USER_INPUT"]
    assert result["errors"][0]["message"] == message
    assert "ListRequests" not in sim_calls(simulators["crm"])


async def test_a_crm_that_is_down_is_the_usual_backend_error(
    staff: GraphQLClient, simulators: dict[str, str]
) -> None:
    set_faults(simulators["crm"], mode="down", operations=["ListRequests"])

    result = await staff.execute(QUEUE, {"first": 3})

    assert error_codes(result) == ["BACKEND_UNAVAILABLE"]
    assert result["errors"][0]["extensions"]["backend"] == "crm"
    assert result["data"]["staff"] is None


# -- nomination status -------------------------------------------------------------------------

BEFORE_GATE = dt.datetime(2026, 2, 1, 10, 0, tzinfo=PRAGUE)  # a Sunday
OPEN_WEEK = "2026-02-09"  # its gate: Thursday 2026-02-05 12:00


@pytest.fixture
def clocks(clock: SettableClock, simulators: dict[str, str]) -> Clocks:
    clocks = Clocks(clock, simulators["nomination"])
    clocks.set(BEFORE_GATE)
    return clocks


@pytest.fixture(autouse=True)
def _simulator_clock_back(simulators: dict[str, str]) -> Any:
    yield
    httpx.delete(f"{simulators['nomination']}/__sim/clock")


async def status(client: GraphQLClient, week: str | None = None) -> dict[str, Any]:
    result = await client.execute(STATUS, {"week": week})
    assert error_codes(result) == [], result
    answer: dict[str, Any] = result["data"]["staff"]["nominationStatus"]
    return answer


@pytest.mark.usefixtures("clocks")
async def test_a_weekly_submission_through_the_gateway_shows_in_the_status_at_once(
    gql: GraphQLClient, client: httpx.AsyncClient
) -> None:
    # given: the status of an open week, read (and cached) before anyone submitted
    staff = GraphQLClient(client)
    staff.headers["X-API-Key"] = STAFF_KEY
    before = await status(staff, "2026-02-11")  # a Wednesday of the week
    assert before["weekStart"] == OPEN_WEEK
    assert (before["expected"], before["submitted"], before["gateOpen"]) == (len(ROSTER), 0, True)
    assert [c["customerNumber"] for c in before["consumers"]] == sorted(ROSTER)
    teplarna = next(c for c in before["consumers"] if c["customerNumber"] == personas.TEPLARNA)
    assert teplarna["submitted"] is False and teplarna["submittedAt"] is None
    assert teplarna["customerName"] == teplarna["customer"]["name"] == "Teplárna Dolní Město a.s."
    assert teplarna["eic"].startswith("27X")

    # when: teplarna submits the week through the portal's mutation
    await gql.login("teplarna")
    values = await contracted_week(gql, OPEN_WEEK)
    submitted = await gql.execute(SUBMIT_WEEK, week_input(OPEN_WEEK, values, "staff-status-1"))
    receipt = submitted["data"]["submitWeeklyNomination"]["submission"]
    assert receipt is not None, submitted

    # then: the status says so at once, teplarna now listed after those still missing
    after = await status(staff, OPEN_WEEK)
    assert (after["expected"], after["submitted"]) == (len(ROSTER), 1)
    assert after["consumers"][-1]["customerNumber"] == personas.TEPLARNA
    assert after["consumers"][-1]["submitted"] is True
    assert dt.datetime.fromisoformat(after["consumers"][-1]["submittedAt"]) == dt.datetime.fromisoformat(
        receipt["receivedAt"]
    )
    assert not any(c["submitted"] for c in after["consumers"][:-1])


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        # a Monday morning: the coming week starts next Monday
        ("2026-02-02T08:00:00+01:00", ("2026-02-09", "2026-02-05T12:00:00+01:00", True)),
        # late on Sunday in UTC is already Monday in Prague
        ("2026-02-01T23:30:00+00:00", ("2026-02-09", "2026-02-05T12:00:00+01:00", True)),
        # a Sunday in Prague: the coming week starts tomorrow, and its gate closed on Thursday
        ("2026-02-01T22:30:00+00:00", ("2026-02-02", "2026-01-29T12:00:00+01:00", False)),
    ],
)
async def test_without_a_week_the_status_is_the_coming_weeks(
    staff: GraphQLClient, clocks: Clocks, now: str, expected: tuple[str, str, bool]
) -> None:
    clocks.set(dt.datetime.fromisoformat(now))

    answer = await status(staff)

    assert (answer["weekStart"], answer["gateClosure"], answer["gateOpen"]) == expected


@pytest.mark.parametrize(
    ("week", "gate_closure", "utc"),
    [
        ("2026-03-30", "2026-03-26T12:00:00+01:00", "2026-03-26T11:00:00+00:00"),  # the week after spring DST
        ("2026-04-06", "2026-04-02T12:00:00+02:00", "2026-04-02T10:00:00+00:00"),
        ("2026-10-26", "2026-10-22T12:00:00+02:00", "2026-10-22T10:00:00+00:00"),  # the week after autumn DST
        ("2026-11-02", "2026-10-29T12:00:00+01:00", "2026-10-29T11:00:00+00:00"),
    ],
)
async def test_the_gate_closes_at_noon_in_prague_whichever_side_of_a_dst_change(
    staff: GraphQLClient, clocks: Clocks, week: str, gate_closure: str, utc: str
) -> None:
    # given: a second before the gate closes
    closure = dt.datetime.fromisoformat(utc)
    clocks.set(closure - dt.timedelta(seconds=1))

    before = await status(staff, week)

    # then
    assert before["gateClosure"] == gate_closure
    assert dt.datetime.fromisoformat(before["gateClosure"]) == closure
    assert before["gateOpen"] is True

    # and at the instant itself the gate is closed
    clocks.set(closure)
    at = await status(staff, week)
    assert at["gateOpen"] is False


@pytest.mark.parametrize("week", ["2025-02-02", "2026-05-04", "1999-01-01"])
async def test_a_week_far_away_is_bad_input_before_the_nomination_system(
    staff: GraphQLClient, clocks: Clocks, simulators: dict[str, str], week: str
) -> None:
    # given: a Sunday, so the coming week starts tomorrow, 2026-02-02
    httpx.delete(f"{simulators['nomination']}/__sim/stats")

    result = await staff.execute(STATUS, {"week": week})

    assert error_codes(result) == ["BAD_USER_INPUT"]
    assert result["errors"][0]["message"] == (
        "`week` must be a day of a week from 2025-02-03 to 2026-04-27 (up to 52 weeks before and 12 after "
        f"the coming week, 2026-02-02); {week} is not."
    )
    assert "GetWeekStatus" not in sim_calls(simulators["nomination"])


async def test_the_first_and_last_weeks_in_range_are_answered(staff: GraphQLClient, clocks: Clocks) -> None:
    assert (await status(staff, "2026-05-03"))["weekStart"] == "2026-04-27"
    assert (await status(staff, "2025-02-03"))["weekStart"] == "2025-02-03"


async def test_every_consumer_the_status_reveals_is_audited(
    staff: GraphQLClient, clocks: Clocks, app: Starlette
) -> None:
    result = await staff.execute(
        'query Gate { staff { nominationStatus(week: "2026-02-09") { gateClosure consumers { eic } } } }'
    )

    assert error_codes(result) == []
    async with transaction(app.state.services.store) as db:
        entries = await audit.list_audit(db, actor_kind=ActorKind.STAFF)
    assert sorted(e.customer_number or "" for e in entries) == sorted(ROSTER)


async def test_a_nomination_system_that_is_down_is_the_usual_backend_error(
    staff: GraphQLClient, clocks: Clocks, simulators: dict[str, str]
) -> None:
    set_faults(simulators["nomination"], mode="down", operations=["GetWeekStatus"])

    result = await staff.execute(STATUS, {"week": OPEN_WEEK})

    assert error_codes(result) == ["BACKEND_UNAVAILABLE"]
    assert result["errors"][0]["extensions"]["backend"] == "nomination"


CANCEL = """
mutation Cancel($id: ID!) { cancelRequest(input: {requestId: $id}) { request { state } errors { code } } }
"""


@pytest.mark.usefixtures("today")
async def test_a_request_cancelled_in_the_portal_leaves_the_queue_at_once(
    gql: GraphQLClient, client: httpx.AsyncClient
) -> None:
    # given: the open requests, read by staff (and kept in the gateway's cache); novak has one
    staff = GraphQLClient(client)
    staff.headers["X-API-Key"] = STAFF_KEY
    before = await whole_queue(staff, 100, filter={"states": ["OPEN"]})
    [novak_open] = [n["request"]["id"] for n in before if n["customerNumber"] == personas.NOVAK]

    # when: novak cancels it (this module's last test: it changes the CRM's data)
    await gql.login("novak")
    cancelled = await gql.execute(CANCEL, {"id": novak_open})
    assert cancelled["data"]["cancelRequest"]["request"]["state"] == "CANCELLED", cancelled

    # then
    after = await whole_queue(staff, 100, filter={"states": ["OPEN"]})
    assert [n["request"]["id"] for n in after] == [
        n["request"]["id"] for n in before if n["request"]["id"] != novak_open
    ]


@pytest.mark.parametrize(
    ("role", "queue", "nomination"),
    [
        (StaffRole.SUPPORT, True, False),
        (StaffRole.FINANCE, True, False),
        (StaffRole.OPERATIONS, True, True),
        (StaffRole.AUDITOR, False, False),
    ],
)
@pytest.mark.usefixtures("clocks")
async def test_each_worklist_needs_its_ability(
    staff: GraphQLClient, monkeypatch: pytest.MonkeyPatch, role: StaffRole, queue: bool, nomination: bool
) -> None:
    # given: the key holds one role (whatever the store says of its roles)
    def one_role(**fields: Any) -> ContextStaff:
        return ContextStaff(**{**fields, "roles": frozenset({role})})

    monkeypatch.setattr(sessions, "Staff", one_role)

    # when
    queue_result = await staff.execute("query Queue { staff { requestQueue(first: 1) { totalCount } } }")
    status_result = await staff.execute(
        'query Status { staff { nominationStatus(week: "2026-02-09") { expected } } }'
    )

    # then
    assert error_codes(queue_result) == ([] if queue else ["FORBIDDEN"])
    assert error_codes(status_result) == ([] if nomination else ["FORBIDDEN"])
