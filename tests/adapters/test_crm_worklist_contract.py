"""RestCrm's worklist (``request_queue``) against the CRM simulator on a real socket."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import httpx
import pytest

from fixtures import personas
from fixtures.crm.app import create_app
from fixtures.crm.store import BOOKED
from fixtures.server import serve_in_thread
from gateway.adapters.crm.rest import RestCrm
from gateway.domain.requests import NewRequest, RequestKind, RequestQueueQuery, RequestState
from gateway.errors import BackendProtocolError, BackendUnavailable
from tests.adapters.simulators import fresh

API_KEY = "worklist-key"
WAITING = (RequestState.OPEN, RequestState.IN_PROGRESS)


@pytest.fixture(scope="module")
def crm_url() -> Iterator[str]:
    # cases filed here move only when told, so the listing stands still between calls
    with serve_in_thread(create_app(api_key=API_KEY, progression=None)) as url:
        yield url


@pytest.fixture(autouse=True)
def clean_simulator(crm_url: str) -> Iterator[None]:
    yield from fresh(crm_url)


@pytest.fixture
def crm(http: httpx.AsyncClient, crm_url: str) -> RestCrm:
    return RestCrm(http, base_url=crm_url, api_key=API_KEY)


def calls(url: str, operation: str) -> int:
    counted: dict[str, int] = httpx.get(f"{url}/__sim/stats").json()["calls"]
    return counted.get(operation, 0)


async def whole_queue(crm: RestCrm, **query: object) -> list[tuple[str, str]]:
    [page] = await crm.request_queue([RequestQueueQuery(limit=100, **query)])  # type: ignore[arg-type]
    assert page.total <= 100
    return [(item.request.customer_number, item.request.id) for item in page.items]


async def test_the_worklist_holds_exactly_each_booked_customers_own_requests(crm: RestCrm) -> None:
    # given: every booked customer's requests, through the per-customer endpoint
    own = await crm.requests(list(BOOKED))
    expected = sorted(((r.created_at, r.id) for requests in own for r in requests), key=lambda pair: pair)

    # when
    [page] = await crm.request_queue([RequestQueueQuery(limit=100)])

    # then: the same cases, oldest first, each equal to what its customer's list says
    assert page.total == len(expected) > 40
    assert [item.request.id for item in page.items] == [id for _, id in expected]
    by_id = {r.id: r for requests in own for r in requests}
    assert all(item.request == by_id[item.request.id] for item in page.items)
    novak = next(item for item in page.items if item.request.customer_number == personas.NOVAK)
    assert novak.customer_name == "Jan Novák"


async def test_the_demo_worklist_has_waiting_requests_of_several_kinds_and_ages(crm: RestCrm) -> None:
    [page] = await crm.request_queue([RequestQueueQuery(states=WAITING, limit=100)])

    assert page.total >= 10
    assert len({item.request.kind for item in page.items}) >= 5
    created = sorted(item.request.created_at for item in page.items)
    assert created[-1] - created[0] > dt.timedelta(days=180)
    assert {item.request.state for item in page.items} == set(WAITING)


async def test_filters_by_states_kinds_and_age_as_the_crm_does(crm: RestCrm) -> None:
    everything = await crm.request_queue([RequestQueueQuery(limit=100)])
    items = everything[0].items
    kinds = (RequestKind.TRANSFER, RequestKind.OTHER)
    cutoff = sorted(i.request.created_at for i in items)[len(items) // 2].date()

    [by_state, by_kind, by_age] = await crm.request_queue(
        [
            RequestQueueQuery(states=(RequestState.REJECTED,), limit=100),
            RequestQueueQuery(kinds=kinds, limit=100),
            RequestQueueQuery(created_until=cutoff, limit=100),
        ]
    )

    assert [i.request.id for i in by_state.items] == [
        i.request.id for i in items if i.request.state is RequestState.REJECTED
    ]
    assert by_kind.total > 0
    assert [i.request.id for i in by_kind.items] == [i.request.id for i in items if i.request.kind in kinds]
    assert [i.request.id for i in by_age.items] == [
        i.request.id for i in items if i.request.created_at.date() <= cutoff
    ]


async def test_pages_over_the_crms_50_a_call_and_newest_first_is_the_reverse(
    crm: RestCrm, crm_url: str
) -> None:
    oldest_first = await whole_queue(crm)
    assert len(oldest_first) > 57
    httpx.delete(f"{crm_url}/__sim/stats")

    # when: a page of 52 from offset 5, newest first
    [page] = await crm.request_queue([RequestQueueQuery(oldest_first=False, offset=5, limit=52)])

    # then: the reverse order's slice, in two calls (the CRM serves at most 50 a call)
    assert [(i.request.customer_number, i.request.id) for i in page.items] == oldest_first[::-1][5:57]
    assert page.total == len(oldest_first)
    assert calls(crm_url, "ListRequests") == 2


async def test_a_page_past_the_end_is_empty_with_the_total(crm: RestCrm) -> None:
    [page] = await crm.request_queue([RequestQueueQuery(offset=10_000, limit=20)])

    assert page.items == () and page.total > 0


async def test_a_request_filed_for_any_customer_joins_the_worklist(crm: RestCrm) -> None:
    # given: a customer outside the booked sample
    outsider = "1000777001"
    assert outsider not in BOOKED

    # when
    filed = await crm.create_request(
        NewRequest(customer_number=outsider, kind=RequestKind.OTHER, summary="Prosím o zavolání")
    )

    # then: the newest first page starts with it, and its own list has it too
    [page] = await crm.request_queue([RequestQueueQuery(oldest_first=False, limit=1)])
    assert page.items[0].request == filed
    assert filed in (await crm.requests([outsider]))[0]


async def test_a_down_crm_is_unavailable_and_garbage_a_protocol_error(crm: RestCrm, crm_url: str) -> None:
    httpx.post(f"{crm_url}/__sim/faults", json={"mode": "down", "operations": ["ListRequests"]})
    with pytest.raises(BackendUnavailable):
        await crm.request_queue([RequestQueueQuery()])

    httpx.post(f"{crm_url}/__sim/faults", json={"mode": "garbage", "operations": ["ListRequests"]})
    with pytest.raises(BackendProtocolError):
        await crm.request_queue([RequestQueueQuery()])


def test_the_crm_refuses_unknown_parameters_in_its_own_words(crm_url: str) -> None:
    answer = httpx.get(
        f"{crm_url}/api/v2/pozadavky", params={"razeni": "NAZEV"}, headers={"X-Api-Key": API_KEY}
    )
    assert answer.status_code == 400
    assert answer.json() == {"CHYBA": {"KOD": 400, "TEXT": "Neplatny parametr razeni"}}
    listed = httpx.get(
        f"{crm_url}/api/v2/pozadavky", params={"stav": "10", "limit": 500}, headers={"X-Api-Key": API_KEY}
    ).json()
    assert listed["LIMIT"] == 50
    assert all(item["STAV"] == 10 and item["ZAK_NAZEV"] for item in listed["POZADAVKY"])


def test_the_openapi_document_describes_the_worklist(crm_url: str) -> None:
    document = httpx.get(f"{crm_url}/openapi.json").json()
    listing = document["paths"]["/api/v2/pozadavky"]["get"]
    assert listing["operationId"] == "ListRequests"
    assert {p["name"] for p in listing["parameters"]} == {
        "stav",
        "typ",
        "od",
        "do",
        "razeni",
        "offset",
        "limit",
    }
    assert "PozadavekVeFronte" in document["components"]["schemas"]
