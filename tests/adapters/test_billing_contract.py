"""``SoapBilling`` against the billing simulator on a real socket."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

import httpx
import pytest

from fixtures import personas
from fixtures.billing.app import create_app
from fixtures.server import free_port, serve_in_thread
from gateway.adapters.billing.protocol import BillingBackend
from gateway.adapters.billing.soap import WSDL_PATH, SoapBilling
from gateway.domain.billing import (
    ConsumptionGranularity,
    DepositFrequency,
    InvoiceKind,
    InvoiceLineKind,
    InvoiceQuery,
    InvoiceStatus,
    MeterUnit,
    PaymentDirection,
    PaymentMethod,
    ReadingType,
)
from gateway.errors import BackendProtocolError, BackendRejected, BackendUnavailable, NotFound
from tests.adapters.conformance import protocol_mismatches

USER, PASSWORD = "portal-gw", "billing-secret"
UNKNOWN = "9000000001"


@pytest.fixture(scope="session")
def base_url() -> Iterator[str]:
    with serve_in_thread(create_app(username=USER, password=PASSWORD)) as url:
        yield url


@pytest.fixture(scope="session")
def control(base_url: str) -> Iterator[httpx.Client]:
    """The simulator's /__sim endpoints, through one client (building one per call costs ~50 ms)."""
    with httpx.Client(base_url=f"{base_url}/__sim") as client:
        yield client


@pytest.fixture(autouse=True)
def reset_simulator(control: httpx.Client) -> Iterator[None]:
    control.delete("/stats")
    yield
    for endpoint in ("/faults", "/stats", "/clock"):
        control.delete(endpoint).raise_for_status()


@pytest.fixture
def billing(http: httpx.AsyncClient, base_url: str) -> SoapBilling:
    return SoapBilling(http=http, address=f"{base_url}/soap", username=USER, password=PASSWORD)


def calls(control: httpx.Client) -> dict[str, int]:
    counted: dict[str, int] = control.get("/stats").json()["calls"]
    return counted


def set_faults(control: httpx.Client, **faults: object) -> None:
    control.post("/faults", json=faults).raise_for_status()


def set_today(control: httpx.Client, day: str) -> None:
    control.post("/clock", json={"today": day}).raise_for_status()


def test_soap_billing_is_a_billing_backend(billing: SoapBilling) -> None:
    # every operation of the Protocol, as a coroutine taking the same parameters
    assert protocol_mismatches(billing, BillingBackend) == []


async def test_start_up_reads_the_pinned_wsdl_and_keeps_the_apps_headers(base_url: str) -> None:
    sent: list[httpx.Request] = []

    async def record(request: httpx.Request) -> None:
        sent.append(request)

    async with httpx.AsyncClient(headers={"X-Portal": "gw"}, event_hooks={"request": [record]}) as http:
        SoapBilling(http=http, address=f"{base_url}/soap", username=USER, password=PASSWORD)
        assert http.headers["X-Portal"] == "gw"

    assert sent == []
    async with httpx.AsyncClient() as http:
        served = await http.get(f"{base_url}/soap?wsdl")
    assert WSDL_PATH.read_bytes() == served.content


# -- invoices --------------------------------------------------------------------------------


async def test_novak_page_is_newest_first_with_paid_unpaid_and_one_overdue(
    billing: SoapBilling, control: httpx.Client
) -> None:
    [page] = await billing.invoice_pages([InvoiceQuery(personas.NOVAK, limit=100)])

    assert page.total_count == len(page.invoices) > 25  # gas monthly, electricity a settlement a year
    issued = [inv.issue_date for inv in page.invoices]
    assert issued == sorted(issued, reverse=True)
    found = [inv.status for inv in page.invoices]
    assert InvoiceStatus.PAID in found
    assert InvoiceStatus.UNPAID in found
    assert found.count(InvoiceStatus.OVERDUE) == 1
    assert all(inv.customer_number == personas.NOVAK for inv in page.invoices)
    assert calls(control) == {"GetInvoiceList": 2}


async def test_filters_reach_the_back_end(billing: SoapBilling) -> None:
    query = InvoiceQuery(
        personas.PEKARNA,
        limit=100,
        statuses=(InvoiceStatus.PAID, InvoiceStatus.CANCELLED),
        amount_from=Decimal("5000"),
        amount_to=Decimal("12000.50"),
        due_from=dt.date(2025, 6, 1),
        supply_point_id="2000034567002",
    )

    [page] = await billing.invoice_pages([query])

    assert 0 < page.total_count == len(page.invoices)
    for inv in page.invoices:
        assert inv.status in (InvoiceStatus.PAID, InvoiceStatus.CANCELLED)
        assert Decimal("5000") <= inv.total.amount <= Decimal("12000.50")
        assert inv.due_date >= dt.date(2025, 6, 1)
        assert inv.supply_point_id == "2000034567002"


async def test_only_the_overdue_status(billing: SoapBilling) -> None:
    [page] = await billing.invoice_pages([InvoiceQuery(personas.NOVAK, statuses=(InvoiceStatus.OVERDUE,))])

    assert page.total_count == 1
    [overdue] = page.invoices
    assert overdue.due_date < dt.date.today()
    assert overdue.amount_due == overdue.total


async def test_a_long_page_spans_back_end_pages_without_gaps_or_repeats(
    billing: SoapBilling, control: httpx.Client
) -> None:
    [long_page] = await billing.invoice_pages([InvoiceQuery(personas.PEKARNA, offset=30, limit=120)])
    assert calls(control) == {"GetInvoiceList": 3}

    small = await billing.invoice_pages(
        [InvoiceQuery(personas.PEKARNA, offset=o, limit=20) for o in range(30, 150, 20)]
    )

    ids = [inv.id for inv in long_page.invoices]
    assert len(ids) == len(set(ids)) == 120
    assert ids == [inv.id for page in small for inv in page.invoices]
    assert long_page.total_count > 600


async def test_walking_every_page_sees_every_invoice_once(billing: SoapBilling) -> None:
    [first] = await billing.invoice_pages([InvoiceQuery(personas.PEKARNA, limit=100)])
    pages = await billing.invoice_pages(
        [InvoiceQuery(personas.PEKARNA, offset=o, limit=100) for o in range(0, first.total_count, 100)]
    )

    ids = [inv.id for page in pages for inv in page.invoices]
    assert len(ids) == len(set(ids)) == first.total_count


async def test_queries_keep_their_order_and_an_unknown_customer_gets_an_empty_page(
    billing: SoapBilling,
) -> None:
    pages = await billing.invoice_pages(
        [
            InvoiceQuery(personas.PEKARNA, limit=3),
            InvoiceQuery(UNKNOWN),
            InvoiceQuery(personas.NOVAK, limit=0),
        ]
    )

    assert [len(p.invoices) for p in pages] == [3, 0, 0]
    assert pages[0].invoices[0].customer_number == personas.PEKARNA
    assert pages[1].total_count == 0
    assert pages[2].total_count > 25


async def test_invoices_by_id_is_one_batch_in_order_with_none_for_unknown(
    billing: SoapBilling, control: httpx.Client
) -> None:
    [page] = await billing.invoice_pages([InvoiceQuery(personas.NOVAK, limit=3)])
    known = [inv.id for inv in page.invoices]

    found = await billing.invoices_by_id([known[2], "1000012345009202601", known[0], "nonsense", known[2]])

    assert [inv.id if inv else None for inv in found] == [known[2], None, known[0], None, known[2]]
    assert found[0] == page.invoices[2]
    assert calls(control) == {"GetInvoiceList": 1, "GetInvoicesById": 1}


# -- per customer ----------------------------------------------------------------------------


async def test_deposit_plans_payments_and_reminders_per_customer(billing: SoapBilling) -> None:
    plans = await billing.deposit_plans([personas.NOVAK, UNKNOWN])
    payments = await billing.payments([personas.NOVAK, UNKNOWN])
    reminders = await billing.reminders([UNKNOWN, personas.NOVAK])
    [overdue_page] = await billing.invoice_pages(
        [InvoiceQuery(personas.NOVAK, statuses=(InvoiceStatus.OVERDUE,))]
    )

    assert [len(p) for p in plans] == [1, 0]  # gas is billed monthly: no deposits
    assert {p.supply_point_id for p in plans[0]} == {"1000012345001"}
    assert all(len(p.items) in (4, 12) for p in plans[0])
    assert all(p.next_settlement and p.items[-1].due_date <= p.next_settlement for p in plans[0])
    assert payments[1] == []
    assert payments[0]
    assert {p.direction for p in payments[0]} <= {PaymentDirection.RECEIVED, PaymentDirection.SENT}
    assert reminders[0] == []
    [reminder] = reminders[1]
    assert reminder.invoice_ids == (overdue_page.invoices[0].id,)
    assert reminder.fee.amount > 0


async def test_documents_are_pdfs_and_unknown_ones_are_none(billing: SoapBilling) -> None:
    [page] = await billing.invoice_pages([InvoiceQuery(personas.NOVAK, limit=1)])
    [reminder] = (await billing.reminders([personas.NOVAK]))[0]
    assert page.invoices[0].document_id is not None
    assert reminder.document_id is not None

    invoice_pdf, missing, reminder_pdf = await billing.documents(
        [page.invoices[0].document_id, "DF1000012345001190001", reminder.document_id]
    )

    assert invoice_pdf is not None
    assert invoice_pdf.content.startswith(b"%PDF-")
    assert invoice_pdf.customer_number == personas.NOVAK
    assert invoice_pdf.file_name.endswith(".pdf")
    assert missing is None
    assert reminder_pdf is not None
    assert reminder_pdf.content.startswith(b"%PDF-")


async def test_deposit_and_payment_method_changes_persist(billing: SoapBilling) -> None:
    [plans] = await billing.deposit_plans([personas.SVOBODOVA])
    plan = plans[0]
    amount = plan.minimum_amount.amount + 200

    changed = await billing.change_deposit_amount(plan_id=plan.id, amount=amount)
    with pytest.raises(BackendRejected):  # SIPO needs its connection number
        await billing.change_payment_method(plan_id=plan.id, method=PaymentMethod.SIPO)
    await billing.change_payment_method(plan_id=plan.id, method=PaymentMethod.SIPO, sipo_number="1234567890")
    [[after]] = await billing.deposit_plans([personas.SVOBODOVA])

    assert {item.amount.amount for item in changed.items if not item.paid} == {amount}
    assert after.payment_method is PaymentMethod.SIPO
    assert after.sipo_number == "1234567890"
    assert after.bank_account == plan.bank_account  # kept: refunds go there
    assert {item.amount.amount for item in after.items if not item.paid} == {amount}
    with pytest.raises(BackendRejected):
        await billing.change_deposit_amount(plan_id=plan.id, amount=Decimal("1.00"))
    with pytest.raises(NotFound):
        await billing.change_payment_method(plan_id="Z9", method=PaymentMethod.SIPO)


async def test_a_frequency_change_reschedules_the_deposits_not_yet_due(
    billing: SoapBilling, control: httpx.Client
) -> None:
    set_today(control, "2026-05-10")
    [[plan]] = await billing.deposit_plans(["1000077006"])  # monthly, its period from 12 January
    assert plan.frequency is DepositFrequency.MONTHLY
    monthly = {item.amount.amount for item in plan.items if not item.paid}
    paid_before = [item for item in plan.items if item.paid]

    quarterly = await billing.change_deposit_frequency(plan_id=plan.id, frequency=DepositFrequency.QUARTERLY)
    [[read_back]] = await billing.deposit_plans(["1000077006"])
    monthly_again = await billing.change_deposit_frequency(
        plan_id=plan.id, frequency=DepositFrequency.MONTHLY, amount=plan.minimum_amount.amount + 100
    )

    assert read_back == quarterly
    assert quarterly.frequency is DepositFrequency.QUARTERLY
    assert quarterly.minimum_amount.amount == plan.minimum_amount.amount * 3
    assert [item.due_date.month for item in quarterly.items if not item.paid] == [7, 10, 1]
    assert {item.amount.amount for item in quarterly.items if not item.paid} == {m * 3 for m in monthly}
    assert [item for item in quarterly.items if item.paid] == paid_before
    assert monthly_again.frequency is DepositFrequency.MONTHLY
    assert [item.due_date.month for item in monthly_again.items if not item.paid] == [*range(5, 13), 1]
    assert {item.amount.amount for item in monthly_again.items if not item.paid} == {
        plan.minimum_amount.amount + 100
    }
    assert calls(control)["ChangeDepositFrequency"] == 2


async def test_a_frequency_change_outside_billings_range_changes_nothing(billing: SoapBilling) -> None:
    [[plan]] = await billing.deposit_plans(["1000077003"])

    with pytest.raises(BackendRejected):  # above the monthly minimum, below the quarterly one
        await billing.change_deposit_frequency(
            plan_id=plan.id, frequency=DepositFrequency.QUARTERLY, amount=plan.minimum_amount.amount * 2
        )
    with pytest.raises(NotFound):
        await billing.change_deposit_frequency(plan_id="Z9", frequency=DepositFrequency.QUARTERLY)
    [[after]] = await billing.deposit_plans(["1000077003"])

    assert after == plan


# -- failures --------------------------------------------------------------------------------


async def test_a_down_back_end_is_unavailable_and_retryable(
    billing: SoapBilling, control: httpx.Client
) -> None:
    set_faults(control, mode="down")

    with pytest.raises(BackendUnavailable) as caught:
        await billing.invoice_pages([InvoiceQuery(personas.NOVAK)])

    assert caught.value.retryable
    assert caught.value.backend == "billing"
    assert "NEDOSTUPNY" not in caught.value.message


async def test_garbage_is_a_protocol_error(billing: SoapBilling, control: httpx.Client) -> None:
    set_faults(control, mode="garbage")

    with pytest.raises(BackendProtocolError) as caught:
        await billing.invoices_by_id(["1000012345001202610"])

    assert not caught.value.retryable


async def test_a_fault_on_one_operation_fails_only_that_operation(
    billing: SoapBilling, control: httpx.Client
) -> None:
    set_faults(control, mode="down", operations=["GetReminders"])

    [plans] = await billing.deposit_plans([personas.NOVAK])
    with pytest.raises(BackendUnavailable):
        await billing.reminders([personas.NOVAK])

    assert plans


async def test_a_slow_back_end_times_out_as_unavailable(base_url: str, control: httpx.Client) -> None:
    set_faults(control, latency_ms=1000)
    async with httpx.AsyncClient(timeout=0.2) as http:
        billing = SoapBilling(http=http, address=f"{base_url}/soap", username=USER, password=PASSWORD)

        with pytest.raises(BackendUnavailable):
            await billing.ping()


async def test_a_refused_connection_is_unavailable(http: httpx.AsyncClient) -> None:
    billing = SoapBilling(
        http=http, address=f"http://127.0.0.1:{free_port()}/soap", username=USER, password=PASSWORD
    )

    with pytest.raises(BackendUnavailable):
        await billing.ping()


@pytest.mark.parametrize(
    "query",
    [
        InvoiceQuery(personas.NOVAK, amount_from=Decimal("NaN")),
        InvoiceQuery(personas.NOVAK, amount_to=Decimal("-Infinity")),
        InvoiceQuery(personas.NOVAK, amount_from=Decimal("1E+20")),
    ],
)
async def test_values_billing_refuses_are_a_rejection_not_an_outage(
    billing: SoapBilling, control: httpx.Client, query: InvoiceQuery
) -> None:
    with pytest.raises(BackendRejected) as rejected:
        await billing.invoice_pages([query])

    assert rejected.value.backend == "billing"
    assert rejected.value.message == "The billing system did not accept these values."
    assert calls(control) == {"GetInvoiceList": 1}


@pytest.mark.parametrize("text", ["\x01", "A\x1bB", "\ufffe", "\ud800"])
async def test_characters_xml_cannot_carry_are_a_rejection_and_nothing_is_sent(
    billing: SoapBilling, control: httpx.Client, text: str
) -> None:
    with pytest.raises(BackendRejected):
        await billing.invoices_by_id([text])
    with pytest.raises(BackendRejected):
        await billing.invoice_pages([InvoiceQuery(personas.NOVAK, supply_point_id=text)])

    assert calls(control) == {}


async def test_wrong_credentials_are_a_protocol_error_not_an_empty_answer(
    http: httpx.AsyncClient, base_url: str
) -> None:
    billing = SoapBilling(http=http, address=f"{base_url}/soap", username=USER, password="wrong")

    with pytest.raises(BackendProtocolError):
        await billing.deposit_plans([personas.NOVAK])


async def test_ping_answers_when_the_back_end_is_up(billing: SoapBilling, control: httpx.Client) -> None:
    await billing.ping()

    assert calls(control) == {"Ping": 1}


# -- invoice detail, readings and consumption (issue 14) ---------------------------------------


async def test_invoices_carry_kind_period_lines_consumption_and_vat_summary(
    billing: SoapBilling, control: httpx.Client
) -> None:
    [page] = await billing.invoice_pages([InvoiceQuery(personas.NOVAK, limit=30)])
    details = await billing.invoice_details([*(inv.id for inv in page.invoices), "1000012345009202601"])

    assert details[-1] is None  # unknown
    details = details[:-1]
    assert all(d is not None for d in details)
    kinds = {d.kind for d in details if d is not None}
    assert kinds == {InvoiceKind.REGULAR, InvoiceKind.SETTLEMENT}
    for invoice, d in zip(page.invoices, details, strict=True):
        assert d is not None and d.invoice_id == invoice.id
        taxed = [line for line in d.lines if line.vat_rate is not None]
        assert sum((line.net.amount for line in taxed), Decimal(0)) == d.net.amount
        [vat] = d.vat_summary
        assert (vat.rate, vat.base, vat.vat, vat.total) == (21, d.net, d.vat, invoice.total)
        assert d.period_from <= d.period_to == d.taxable_supply_date < invoice.issue_date
        assert d.balance.amount == invoice.total.amount - d.deposits_deducted.amount
        if d.kind is InvoiceKind.SETTLEMENT:
            [deposits] = [line for line in d.lines if line.kind is InvoiceLineKind.DEPOSITS]
            assert deposits.net.amount == -d.deposits_deducted.amount < 0
        else:  # novak's gas: m³ converted with the combustion heat
            [use] = d.consumption
            assert use.unit is MeterUnit.CUBIC_METRE and use.combustion_heat is not None
            assert use.kwh == int((use.quantity * use.combustion_heat).quantize(Decimal(1)))
    assert calls(control) == {"GetInvoiceList": 1, "GetInvoiceDetail": 1}  # one call for the page's detail


async def test_readings_and_consumption_are_one_call_for_many_points(
    billing: SoapBilling, control: httpx.Client
) -> None:
    ids = ["1000012345001", "1000012345009", "1000012345002"]

    readings = await billing.meter_readings(ids)
    consumption = await billing.consumption(ids)

    assert [bool(r) for r in readings] == [True, False, True]
    assert {r.unit for r in readings[2]} == {MeterUnit.CUBIC_METRE}
    assert {r.type for r in readings[0]} <= set(ReadingType)
    dates = [r.date for r in readings[0]]
    assert dates == sorted(dates, reverse=True)
    months = [c for c in consumption[0] if c.granularity is ConsumptionGranularity.MONTH]
    periods = [c for c in consumption[0] if c.granularity is ConsumptionGranularity.BILLING_PERIOD]
    assert len(months) >= 24 and all(c.estimated for c in months)  # read once a year: profiled
    assert periods and not any(c.estimated for c in periods)
    assert consumption[1] == []
    assert calls(control) == {"GetMeterReadings": 1, "GetConsumption": 1}
