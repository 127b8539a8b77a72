"""RestCrm against the CRM simulator on a real socket: the CrmBackend contract."""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Iterator

import httpx
import pytest

from fixtures import data, personas
from fixtures.crm.app import create_app, supply_point_json
from fixtures.server import free_port, serve_in_thread
from gateway.adapters.crm.protocol import CrmBackend
from gateway.adapters.crm.rest import RestCrm
from gateway.domain.contact import ContactDetailsChange
from gateway.domain.customers import Address, Segment
from gateway.domain.messages import MessageKind
from gateway.domain.requests import NewRequest, RequestKind, RequestState, RequestUpdate
from gateway.domain.supply_points import (
    BillingCycle,
    Commodity,
    ContractType,
    ElectricityTechnicalData,
    GasTechnicalData,
    InvoiceDelivery,
    RegisterKind,
)
from gateway.errors import BackendProtocolError, BackendRejected, BackendUnavailable, NotFound
from tests.adapters.conformance import protocol_mismatches
from tests.adapters.simulators import fresh

API_KEY = "contract-key"


@pytest.fixture(scope="session")
def crm_url() -> Iterator[str]:
    with serve_in_thread(create_app(api_key=API_KEY)) as url:
        yield url


@pytest.fixture(autouse=True)
def clean_simulator(crm_url: str) -> Iterator[None]:
    yield from fresh(crm_url)


@pytest.fixture
def crm(http: httpx.AsyncClient, crm_url: str) -> RestCrm:
    return RestCrm(http, base_url=crm_url, api_key=API_KEY)


def set_faults(url: str, **faults: object) -> None:
    httpx.post(f"{url}/__sim/faults", json=faults).raise_for_status()


def calls(url: str) -> dict[str, int]:
    counted: dict[str, int] = httpx.get(f"{url}/__sim/stats").json()["calls"]
    return counted


def test_rest_crm_is_a_crm_backend(crm: RestCrm) -> None:
    # every operation of the Protocol, as a coroutine taking the same parameters
    assert protocol_mismatches(crm, CrmBackend) == []


async def test_customers_come_through_as_domain_objects(crm: RestCrm) -> None:
    (novak,) = await crm.customers([personas.NOVAK])

    assert novak is not None
    assert novak.number == personas.NOVAK
    assert novak.name == "Jan Novák"
    assert novak.segment is Segment.HOUSEHOLD
    assert novak.email == "jan.novak@example.cz"
    assert novak.permanent_address == Address("Vodičkova", "12", "Praha 1", "11000")
    assert novak.phone is not None
    assert novak.phone.startswith("+420")
    assert len(novak.phone) == 13


async def test_customer_batch_keeps_order_gives_none_for_unknown_in_one_call(
    crm: RestCrm, crm_url: str
) -> None:
    numbers = [
        personas.PEKARNA,
        "9999999999",
        personas.NOVAK,
        "not-a-number",
        personas.TEPLARNA,
        personas.NOVAK,
    ]

    found = await crm.customers(numbers)

    assert [c.number if c else None for c in found] == [
        personas.PEKARNA,
        None,
        personas.NOVAK,
        None,
        personas.TEPLARNA,
        personas.NOVAK,
    ]
    assert [c.segment if c else None for c in found][::2] == [
        Segment.BUSINESS,
        Segment.HOUSEHOLD,
        Segment.LARGE,
    ]
    assert calls(crm_url) == {"GetCustomers": 1}


async def test_a_large_customer_batch_is_split_into_calls_of_fifty(crm: RestCrm, crm_url: str) -> None:
    numbers = [f"1000{n:06d}" for n in range(120)]

    found = await crm.customers(numbers)

    assert [c.number if c else None for c in found] == numbers
    assert calls(crm_url) == {"GetCustomers": 3}


async def test_supply_points_translate_legacy_codes_and_formats(crm: RestCrm) -> None:
    novak, svobodova, unknown = await crm.supply_points_by_customer(
        [personas.NOVAK, personas.SVOBODOVA, "4000000000"]
    )

    electricity, gas = novak
    assert electricity.id == "1000012345001"
    assert electricity.commodity is Commodity.ELECTRICITY
    assert electricity.contract_type is ContractType.COMBINED_SERVICES
    assert len(electricity.code) == 18
    assert electricity.address.postcode == "11000"
    assert isinstance(electricity.technical, ElectricityTechnicalData)
    assert (electricity.technical.main_breaker_amps, electricity.technical.phases) == (25, 3)
    assert electricity.technical.distribution_tariff == "D02d"
    assert electricity.technical.expected_annual_consumption_kwh == 3150
    assert isinstance(electricity.technical.last_reading_date, dt.date)
    assert gas.commodity is Commodity.GAS
    assert gas.code.startswith("27ZG")
    assert isinstance(gas.technical, GasTechnicalData)
    assert gas.technical.consumption_band == "7 560 - 15 000 kWh"
    (supply_only,) = svobodova
    assert supply_only.contract_type is ContractType.SUPPLY_ONLY
    assert supply_only.technical is None
    assert unknown == []


async def test_paging_follows_the_page_cap(http: httpx.AsyncClient, crm_url: str) -> None:
    # given: an adapter asking for 10 a page, and pekarna's 25 supply points
    small_pages = RestCrm(http, base_url=crm_url, api_key=API_KEY, page_size=10)

    (points,) = await small_pages.supply_points_by_customer([personas.PEKARNA])

    assert [p.id for p in points] == [f"{personas.PEKARNA}{i:03d}" for i in range(1, 26)]
    assert calls(crm_url) == {"GetCustomerSupplyPoints": 3}


async def test_a_page_larger_than_the_cap_is_cut_and_the_rest_fetched(
    http: httpx.AsyncClient, crm_url: str, crm: RestCrm
) -> None:
    # given: a customer with 60 requests, and an adapter asking for 500 a page
    number = "1000077001"
    for n in range(60):
        await crm.create_request(NewRequest(number, RequestKind.OTHER, f"Dotaz {n}"))
    await http.delete(f"{crm_url}/__sim/stats")
    greedy = RestCrm(http, base_url=crm_url, api_key=API_KEY, page_size=500)

    (requests,) = await greedy.requests([number])

    assert len(requests) >= 60
    assert len({r.id for r in requests}) == len(requests)
    assert calls(crm_url) == {"GetRequests": 2}


async def test_supply_points_by_id_keep_order_and_give_none_for_unknown(crm: RestCrm, crm_url: str) -> None:
    ids = ["2000034567025", "1000012345009", "1000012345001", "x", "1000023456001"]

    found = await crm.supply_points_by_id(ids)

    assert [p.id if p else None for p in found] == [
        "2000034567025",
        None,
        "1000012345001",
        None,
        "1000023456001",
    ]
    assert calls(crm_url) == {"GetSupplyPoints": 1}


async def test_novak_has_open_and_closed_requests_with_history(crm: RestCrm) -> None:
    (requests,) = await crm.requests([personas.NOVAK])

    states = {r.state for r in requests}
    assert RequestState.OPEN in states
    assert RequestState.IN_PROGRESS in states
    assert RequestState.RESOLVED in states
    assert [r.created_at for r in requests] == sorted((r.created_at for r in requests), reverse=True)
    for request in requests:
        assert request.customer_number == personas.NOVAK
        assert request.created_at.tzinfo is not None
        assert request.history[0].state is RequestState.OPEN
        assert request.history[-1].state is request.state


async def test_novak_has_unread_messages(crm: RestCrm) -> None:
    (messages,) = await crm.messages([personas.NOVAK])

    assert sum(not m.read for m in messages) == 3
    assert {m.kind for m in messages} == {MessageKind.MARKETING, MessageKind.PRODUCT_NEWS, MessageKind.NOTICE}
    assert all(m.customer_number == personas.NOVAK and m.subject for m in messages)


async def test_a_request_is_created_changed_and_cancelled(crm: RestCrm) -> None:
    created = await crm.create_request(
        NewRequest("1000088001", RequestKind.SELF_READING, "VT 12345 kWh", supply_point_id="1000088001001")
    )
    assert (created.state, created.kind, created.supply_point_id) == (
        RequestState.OPEN,
        RequestKind.SELF_READING,
        "1000088001001",
    )

    updated = await crm.update_request(created.id, RequestUpdate(summary="VT 12346 kWh"))
    assert updated.summary == "VT 12346 kWh"
    cancelled = await crm.cancel_request(created.id)
    assert cancelled.state is RequestState.CANCELLED
    assert [h.state for h in cancelled.history] == [
        RequestState.OPEN,
        RequestState.OPEN,
        RequestState.CANCELLED,
    ]

    with pytest.raises(BackendRejected):
        await crm.cancel_request(created.id)
    with pytest.raises(BackendRejected):
        await crm.update_request(created.id, RequestUpdate(summary="too late"))
    again, missing = await crm.requests_by_id([created.id, "1000088001-9999"])
    assert again == cancelled
    assert missing is None


@pytest.mark.parametrize(
    "change",
    [
        ContactDetailsChange(email="not an address"),
        ContactDetailsChange(phone="+42060112345"),
        ContactDetailsChange(),
    ],
)
async def test_values_the_crm_refuses_are_a_rejection_without_its_message(
    crm: RestCrm, change: ContactDetailsChange
) -> None:
    with pytest.raises(BackendRejected) as rejected:
        await crm.change_contact_details(personas.NOVAK, change)

    assert rejected.value.backend == "crm"
    assert rejected.value.message == "The crm system did not accept these values."


async def test_writes_to_unknown_things_are_not_found(crm: RestCrm) -> None:
    with pytest.raises(NotFound):
        await crm.create_request(NewRequest("4000000000", RequestKind.OTHER, "?"))
    with pytest.raises(NotFound):
        await crm.create_request(
            NewRequest("1000088002", RequestKind.OTHER, "?", supply_point_id="1000088003001")
        )
    with pytest.raises(NotFound):
        await crm.cancel_request("1000088002-0404")
    with pytest.raises(NotFound):
        await crm.mark_messages_read("4000000000", ["x"])


async def test_messages_are_marked_read(crm: RestCrm) -> None:
    numbers = [f"1000066{n:03d}" for n in range(40)]
    inboxes = await crm.messages(numbers)
    number, inbox = next((n, i) for n, i in zip(numbers, inboxes, strict=True) if any(not m.read for m in i))
    unread = [m.id for m in inbox if not m.read]

    changed = await crm.mark_messages_read(number, [*unread, "someone-else"])

    assert changed == len(unread)
    (after,) = await crm.messages([number])
    assert all(m.read for m in after)
    assert await crm.mark_messages_read(number, unread) == 0


async def test_ping_answers_while_the_crm_is_up_and_fails_while_it_is_down(
    crm: RestCrm, crm_url: str
) -> None:
    await crm.ping()  # up: returns (raises otherwise)
    set_faults(crm_url, mode="down")

    with pytest.raises(BackendUnavailable) as raised:
        await crm.ping()

    assert raised.value.backend == "crm"


async def test_a_wrong_api_key_is_a_logged_protocol_error(
    http: httpx.AsyncClient, crm_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    wrong = RestCrm(http, base_url=crm_url, api_key="wrong")

    with (
        caplog.at_level(logging.ERROR, logger="gateway.adapters.crm.rest"),
        pytest.raises(BackendProtocolError),
    ):
        await wrong.customers([personas.NOVAK])

    assert "API key" in caplog.text


async def test_a_down_crm_is_unavailable_without_its_message(crm: RestCrm, crm_url: str) -> None:
    set_faults(crm_url, mode="down")

    with pytest.raises(BackendUnavailable) as raised:
        await crm.customers([personas.NOVAK])
    with pytest.raises(BackendUnavailable):
        await crm.supply_points_by_customer([personas.NOVAK])
    with pytest.raises(BackendUnavailable):
        await crm.ping()

    assert raised.value.backend == "crm"
    assert raised.value.retryable
    assert "Sluzba" not in raised.value.message


async def test_garbage_is_a_protocol_error(crm: RestCrm, crm_url: str) -> None:
    set_faults(crm_url, mode="garbage")

    with pytest.raises(BackendProtocolError):
        await crm.customers([personas.NOVAK])
    with pytest.raises(BackendProtocolError):
        await crm.messages([personas.NOVAK])


async def test_a_fault_on_one_operation_leaves_the_others(crm: RestCrm, crm_url: str) -> None:
    set_faults(crm_url, mode="down", operations=["GetMessages"])

    (customer,) = await crm.customers([personas.NOVAK])
    assert customer is not None
    with pytest.raises(BackendUnavailable):
        await crm.messages([personas.NOVAK])


async def test_a_slow_crm_times_out_as_unavailable(crm_url: str) -> None:
    # latency rather than mode "slow": a 30 s answer in flight would hold up the server's shutdown
    set_faults(crm_url, latency_ms=1000)
    async with httpx.AsyncClient(timeout=0.2) as impatient:
        crm = RestCrm(impatient, base_url=crm_url, api_key=API_KEY)

        with pytest.raises(BackendUnavailable):
            await crm.customers([personas.NOVAK])


async def test_a_refused_connection_is_unavailable(http: httpx.AsyncClient) -> None:
    nobody = RestCrm(http, base_url=f"http://127.0.0.1:{free_port()}", api_key=API_KEY)

    with pytest.raises(BackendUnavailable):
        await nobody.customers([personas.NOVAK])


@pytest.mark.parametrize(
    "body",
    [
        b"[]",
        b'{"ZAKAZNICI": "none"}',
        b'{"ZAKAZNICI": [{"ZAK_CISLO": 1000012345}]}',
        b'{"ZAKAZNICI": [{"ZAK_CISLO": "1000012345", "NAZEV": "X", "SEGMENT": 7}]}',
    ],
)
async def test_an_unexpected_shape_is_a_protocol_error(body: bytes) -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=body))
    async with httpx.AsyncClient(transport=transport) as client:
        crm = RestCrm(client, base_url="http://crm", api_key=API_KEY)

        with pytest.raises(BackendProtocolError):
            await crm.customers([personas.NOVAK])


async def test_supply_point_details_translate_registers_correspondence_and_billing(crm: RestCrm) -> None:
    (novak,) = await crm.supply_points_by_customer([personas.NOVAK])

    electricity, gas = novak
    assert isinstance(electricity.technical, ElectricityTechnicalData)
    assert electricity.expected_annual_consumption_kwh == 3150
    assert electricity.meter is not None
    assert electricity.meter.number == electricity.technical.meter_number
    (register,) = electricity.meter.registers
    assert (register.code, register.kind) == ("1.8.0", RegisterKind.SINGLE)
    assert register.last_reading_kwh > 3150
    assert register.last_reading_date == electricity.technical.last_reading_date
    assert electricity.correspondence.address == Address("Vodičkova", "12", "Praha 1", "11000")
    assert electricity.correspondence.invoice_delivery is InvoiceDelivery.EMAIL
    assert electricity.correspondence.e_invoice_email == "jan.novak@example.cz"
    assert electricity.billing.cycle is BillingCycle.YEARLY
    assert electricity.billing.billing_month == register.last_reading_date.month
    assert electricity.billing.invoice_recipient == "Jan Novák"
    assert gas.expected_annual_consumption_kwh == 11200
    assert gas.meter is not None
    assert [r.kind for r in gas.meter.registers] == [RegisterKind.SINGLE]


async def test_a_dual_tariff_point_has_high_and_low_tariff_registers(crm: RestCrm) -> None:
    (point,) = await crm.supply_points_by_id([f"{personas.PEKARNA}002"])

    assert point is not None
    assert isinstance(point.technical, ElectricityTechnicalData)
    assert point.technical.distribution_tariff == "C25d"
    assert point.meter is not None
    high, low = point.meter.registers
    assert (high.code, high.kind) == ("1.8.1", RegisterKind.HIGH_TARIFF)
    assert (low.code, low.kind) == ("1.8.2", RegisterKind.LOW_TARIFF)
    assert high.last_reading_date == low.last_reading_date == point.technical.last_reading_date
    assert low.last_reading_kwh > high.last_reading_kwh  # storage heating runs on the low tariff


async def test_a_supply_only_point_has_consumption_and_correspondence_but_no_meter(crm: RestCrm) -> None:
    (svobodova,) = await crm.supply_points_by_customer([personas.SVOBODOVA])

    (point,) = svobodova
    assert point.meter is None
    assert point.expected_annual_consumption_kwh == 1450
    assert point.correspondence.address == Address("Husova", "7", "Brno", "60200")
    assert point.correspondence.invoice_delivery is InvoiceDelivery.PAPER
    assert point.correspondence.e_invoice_email is None
    assert point.billing.cycle is BillingCycle.YEARLY
    assert point.billing.billing_month is not None


async def test_a_monthly_cycle_has_no_billing_month(crm: RestCrm) -> None:
    (teplarna,) = await crm.supply_points_by_customer([personas.TEPLARNA])

    assert {(p.billing.cycle, p.billing.billing_month) for p in teplarna} == {(BillingCycle.MONTHLY, None)}


def novak_point_with(changes: dict[str, object]) -> httpx.MockTransport:
    """A CRM answering novak's electricity point in legacy JSON, with ``changes`` applied."""
    point = data.supply_point(f"{personas.NOVAK}001")
    assert point is not None
    body = json.dumps({"ODBERNA_MISTA": [{**supply_point_json(point), **changes}], "NENALEZENO": []})
    return httpx.MockTransport(lambda request: httpx.Response(200, content=body.encode()))


async def test_a_fractional_reading_is_cut_to_whole_kwh() -> None:
    register = {"KOD_REG": "1.8.0", "TARIF": 0, "POSL_STAV": "12345,9", "DAT_POSL_STAVU": "20260115"}
    async with httpx.AsyncClient(transport=novak_point_with({"REGISTRY": [register]})) as client:
        crm = RestCrm(client, base_url="http://crm", api_key=API_KEY)

        (point,) = await crm.supply_points_by_id([f"{personas.NOVAK}001"])

    assert point is not None
    assert point.meter is not None
    assert point.meter.registers[0].last_reading_kwh == 12345
    assert point.meter.registers[0].last_reading_date == dt.date(2026, 1, 15)


@pytest.mark.parametrize(
    "changes",
    [
        {"REGISTRY": [{"KOD_REG": "1.8.0", "TARIF": 7, "POSL_STAV": "1,0", "DAT_POSL_STAVU": "20260115"}]},
        {"REGISTRY": [{"KOD_REG": "1.8.0", "TARIF": 0, "POSL_STAV": "1.5", "DAT_POSL_STAVU": "20260115"}]},
        {"REGISTRY": [{"KOD_REG": "1.8.0", "TARIF": 0, "POSL_STAV": "-1,0", "DAT_POSL_STAVU": "20260115"}]},
        {"REGISTRY": [{"KOD_REG": "1.8.0", "TARIF": 0, "POSL_STAV": "1,0", "DAT_POSL_STAVU": ""}]},
        {"REGISTRY": "none"},
        {"ZP_DORUC": 3},
        {"FAKT_CYKLUS": 6},
        {"FAKT_MESIC": 13},
        {"KOR_PSC": "1100"},
    ],
)
async def test_unexpected_supply_point_details_are_a_protocol_error(changes: dict[str, object]) -> None:
    async with httpx.AsyncClient(transport=novak_point_with(changes)) as client:
        crm = RestCrm(client, base_url="http://crm", api_key=API_KEY)

        with pytest.raises(BackendProtocolError):
            await crm.supply_points_by_id([f"{personas.NOVAK}001"])


# -- writes ------------------------------------------------------------------------------------


async def test_a_create_with_the_same_reference_twice_files_one_case(crm: RestCrm) -> None:
    number = "1000077012"
    request = NewRequest(number, RequestKind.OTHER, "Dotaz k vyúčtování", reference="ref-once-1")
    (before,) = await crm.requests([number])

    first = await crm.create_request(request)
    second = await crm.create_request(request)
    (after,) = await crm.requests([number])

    assert second.id == first.id
    assert len(after) == len(before) + 1
    assert [r.id for r in after].count(first.id) == 1


async def test_a_contact_change_shows_in_the_next_read_of_the_customer_and_every_supply_point(
    crm: RestCrm,
) -> None:
    number = "1000077007"  # paper invoices, an electricity and a gas supply point
    address = Address("Dlouhá", "7/12", "Brno", "60200")
    (points_before,) = await crm.supply_points_by_customer([number])
    assert {p.correspondence.invoice_delivery for p in points_before} == {InvoiceDelivery.PAPER}

    changed = await crm.change_contact_details(
        number,
        ContactDetailsChange(
            email="nova@example.cz",
            phone="+420777123456",
            correspondence_address=address,
            e_invoice_email="faktury@example.cz",
        ),
    )
    (customer,) = await crm.customers([number])
    (points,) = await crm.supply_points_by_customer([number])
    (by_id,) = await crm.supply_points_by_id([points[1].id])

    assert changed == customer
    assert customer is not None
    assert (customer.email, customer.phone) == ("nova@example.cz", "+420777123456")
    assert len(points) == 2
    for point in [*points, by_id]:
        assert point is not None
        assert point.correspondence.address == address
        assert point.correspondence.invoice_delivery is InvoiceDelivery.EMAIL
        assert point.correspondence.e_invoice_email == "faktury@example.cz"


async def test_a_closed_case_can_be_neither_updated_nor_cancelled(crm: RestCrm, crm_url: str) -> None:
    created = await crm.create_request(NewRequest("1000077015", RequestKind.OTHER, "Dotaz"))
    httpx.post(f"{crm_url}/__sim/requests/{created.id}/advance", json={"state": 30}).raise_for_status()

    with pytest.raises(BackendRejected):
        await crm.update_request(created.id, RequestUpdate(summary="Ještě doplňuji"))
    with pytest.raises(BackendRejected):
        await crm.cancel_request(created.id)
    (after,) = await crm.requests_by_id([created.id])
    assert after is not None
    assert (after.state, after.summary) == (RequestState.RESOLVED, "Dotaz")


async def test_a_self_reading_becomes_the_meters_last_reading_until_its_case_is_cancelled(
    crm: RestCrm,
) -> None:
    point_id = "1000077004001"  # dual tariff: VT and NT
    (before,) = await crm.supply_points_by_id([point_id])
    assert before is not None and before.meter is not None
    seeded = {r.kind: (r.last_reading_kwh, r.last_reading_date) for r in before.meter.registers}
    high, low = seeded[RegisterKind.HIGH_TARIFF][0] + 120, seeded[RegisterKind.LOW_TARIFF][0] + 340

    created = await crm.create_request(
        NewRequest(
            "1000077004",
            RequestKind.SELF_READING,
            f"Samoodečet: VT {high}, NT {low}",
            supply_point_id=point_id,
            attributes=(("DATUM_ODECTU", "20261120"), ("STAV_NT", str(low)), ("STAV_VT", str(high))),
        )
    )
    (recorded,) = await crm.supply_points_by_id([point_id])
    await crm.cancel_request(created.id)
    (after_cancel,) = await crm.supply_points_by_id([point_id])

    assert recorded is not None and recorded.meter is not None
    assert {r.kind: (r.last_reading_kwh, r.last_reading_date) for r in recorded.meter.registers} == {
        RegisterKind.HIGH_TARIFF: (high, dt.date(2026, 11, 20)),
        RegisterKind.LOW_TARIFF: (low, dt.date(2026, 11, 20)),
    }
    assert after_cancel is not None and after_cancel.meter is not None
    assert {r.kind: (r.last_reading_kwh, r.last_reading_date) for r in after_cancel.meter.registers} == seeded
