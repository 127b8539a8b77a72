"""``SoapBilling``'s finance worklists (GetOverdueInvoices, GetReceivablesSummary) against the
billing simulator on a real socket, checked against what each customer's invoices say."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import AsyncIterator, Callable, Iterator
from decimal import Decimal

import httpx
import pytest

from fixtures import data, personas
from fixtures.billing.app import create_app
from fixtures.server import serve_in_thread
from gateway.adapters.billing.soap import SoapBilling
from gateway.domain.billing import (
    AgingBucket,
    Invoice,
    InvoiceQuery,
    InvoiceStatus,
    OverdueInvoice,
    OverdueInvoiceQuery,
    OverdueOrder,
)
from gateway.domain.customers import Segment
from gateway.errors import BackendProtocolError, BackendRejected, BackendUnavailable

USER, PASSWORD = "portal-gw", "billing-secret"
TODAY = dt.date(2026, 11, 26)


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with serve_in_thread(create_app(username=USER, password=PASSWORD)) as url:
        yield url


@pytest.fixture(scope="module")
def control(base_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=f"{base_url}/__sim") as client:
        yield client


@pytest.fixture(autouse=True)
def fixed_day(control: httpx.Client) -> Iterator[None]:
    control.delete("/stats")
    sim(control, "/clock", {"today": TODAY.isoformat()})
    yield
    for endpoint in ("/faults", "/stats", "/clock"):
        control.delete(endpoint).raise_for_status()


@pytest.fixture
async def billing(base_url: str) -> AsyncIterator[SoapBilling]:
    async with httpx.AsyncClient(timeout=10) as http:
        yield SoapBilling(http=http, address=f"{base_url}/soap", username=USER, password=PASSWORD)


def sim(control: httpx.Client, path: str, body: dict[str, object]) -> None:
    control.post(path, json=body).raise_for_status()


def calls(control: httpx.Client) -> dict[str, int]:
    counted: dict[str, int] = control.get("/stats").json()["calls"]
    return counted


async def every_invoice(billing: SoapBilling, number: str, *statuses: InvoiceStatus) -> list[Invoice]:
    """The customer's invoices through GetInvoiceList, page by page."""
    found: list[Invoice] = []
    while True:
        [page] = await billing.invoice_pages(
            [InvoiceQuery(number, offset=len(found), limit=100, statuses=statuses)]
        )
        found += page.invoices
        if len(found) >= page.total_count:
            return found


async def overdue_per_customer(billing: SoapBilling) -> dict[str, Invoice]:
    """Every persona's overdue invoices as their own invoice lists say, by invoice id."""
    return {
        invoice.id: invoice
        for number in personas.ALL
        for invoice in await every_invoice(billing, number, InvoiceStatus.OVERDUE)
    }


async def walk(billing: SoapBilling, query: OverdueInvoiceQuery) -> list[OverdueInvoice]:
    items: list[OverdueInvoice] = []
    while True:
        page = await billing.overdue_invoices(_at(query, len(items)))
        items += page.items
        assert page.as_of == TODAY
        if not page.items or len(items) >= page.total_count:
            assert len(items) == page.total_count
            return items


def _at(query: OverdueInvoiceQuery, offset: int) -> OverdueInvoiceQuery:
    return OverdueInvoiceQuery(
        offset=offset,
        limit=query.limit,
        min_days_overdue=query.min_days_overdue,
        max_days_overdue=query.max_days_overdue,
        segment=query.segment,
        min_amount_due=query.min_amount_due,
        order=query.order,
    )


async def test_the_worklist_is_every_customers_overdue_invoices_as_their_own_lists_say(
    billing: SoapBilling,
) -> None:
    expected = await overdue_per_customer(billing)

    items = await walk(billing, OverdueInvoiceQuery(limit=4))

    assert sorted(item.invoice_id for item in items) == sorted(expected)
    for item in items:
        invoice = expected[item.invoice_id]
        owner = data.customer(item.customer_number)
        assert owner is not None
        assert item.customer_number == invoice.customer_number
        assert (item.customer_name, item.segment.value) == (owner.name, owner.segment)
        assert item.invoice_number == invoice.number
        assert item.due_date == invoice.due_date
        assert item.amount_due == invoice.amount_due
        assert item.days_overdue == (TODAY - invoice.due_date).days >= 1
    assert {item.segment for item in items} == set(Segment)  # every segment owes something
    days = [item.days_overdue for item in items]
    assert days == sorted(days, reverse=True)  # the default order: longest overdue first


@pytest.mark.parametrize(
    ("order", "key", "descending"),
    [
        (OverdueOrder.DAYS_OVERDUE_DESC, lambda i: i.days_overdue, True),
        (OverdueOrder.DAYS_OVERDUE_ASC, lambda i: i.days_overdue, False),
        (OverdueOrder.AMOUNT_DESC, lambda i: i.amount_due.amount, True),
        (OverdueOrder.AMOUNT_ASC, lambda i: i.amount_due.amount, False),
    ],
)
async def test_each_order_sorts_the_whole_list_and_pages_never_overlap(
    billing: SoapBilling, order: OverdueOrder, key: object, descending: bool
) -> None:
    whole = (await billing.overdue_invoices(OverdueInvoiceQuery(limit=100, order=order))).items

    paged = await walk(billing, OverdueInvoiceQuery(limit=3, order=order))

    assert [i.invoice_id for i in paged] == [i.invoice_id for i in whole]
    values = [key(i) for i in whole]  # type: ignore[operator]
    assert values == sorted(values, reverse=descending)
    for a, b in itertools.pairwise(whole):
        if key(a) == key(b):  # type: ignore[operator]
            assert a.invoice_id < b.invoice_id  # ties by invoice id


async def test_filters_select_what_the_customers_invoices_say(billing: SoapBilling) -> None:
    expected = await overdue_per_customer(billing)

    def days(invoice: Invoice) -> int:
        return (TODAY - invoice.due_date).days

    cases: list[tuple[OverdueInvoiceQuery, Callable[[Invoice], bool]]] = [
        (OverdueInvoiceQuery(min_days_overdue=31, max_days_overdue=90), lambda i: 31 <= days(i) <= 90),
        (OverdueInvoiceQuery(max_days_overdue=30), lambda i: days(i) <= 30),
        (OverdueInvoiceQuery(min_days_overdue=91), lambda i: days(i) >= 91),
        (
            OverdueInvoiceQuery(segment=Segment.HOUSEHOLD),
            lambda i: i.customer_number in (personas.NOVAK, personas.NOVAK2, personas.SVOBODOVA),
        ),
        (OverdueInvoiceQuery(segment=Segment.LARGE), lambda i: i.customer_number == personas.TEPLARNA),
        (
            OverdueInvoiceQuery(min_amount_due=Decimal("20000.00")),
            lambda i: i.amount_due.amount >= Decimal("20000.00"),
        ),
        (OverdueInvoiceQuery(min_days_overdue=50, max_days_overdue=40), lambda i: False),
    ]
    for query, holds in cases:
        page = await billing.overdue_invoices(_at(query, 0))
        wanted = {invoice_id for invoice_id, invoice in expected.items() if holds(invoice)}
        assert {item.invoice_id for item in page.items} == wanted, query
        assert page.total_count == len(wanted)
        assert page.total_amount_due.amount == sum(
            (expected[i].amount_due.amount for i in wanted), Decimal("0.00")
        )
        assert bool(wanted) is (query.min_days_overdue != 50), query  # each filter keeps some, drops some
        assert len(wanted) < len(expected), query


async def test_a_page_is_billings_own_paging_fifty_a_call(
    billing: SoapBilling, control: httpx.Client
) -> None:
    page = await billing.overdue_invoices(OverdueInvoiceQuery(offset=2, limit=60))

    assert calls(control) == {"GetOverdueInvoices": 2}  # 50 + 10 from offset 2
    everything = await billing.overdue_invoices(OverdueInvoiceQuery(limit=100))
    assert page.items == everything.items[2:62]
    assert page.total_count == everything.total_count > 10


async def test_the_summary_sums_every_customers_invoices(billing: SoapBilling) -> None:
    invoices = {number: await every_invoice(billing, number) for number in personas.ALL}

    summary = await billing.receivables()

    assert summary.as_of == TODAY
    segment_of = {number: Segment(data.customer(number).segment) for number in personas.ALL}  # type: ignore[union-attr]
    by_segment = dict(summary.by_segment)
    assert set(by_segment) == set(Segment)
    for segment, part in [(None, summary.total), *by_segment.items()]:
        mine = [
            invoice
            for number, found in invoices.items()
            if segment is None or segment_of[number] is segment
            for invoice in found
        ]
        overdue = [invoice for invoice in mine if invoice.status is InvoiceStatus.OVERDUE]
        assert part.outstanding.amount == sum((i.amount_due.amount for i in mine), Decimal("0.00"))
        assert part.overdue.amount == sum((i.amount_due.amount for i in overdue), Decimal("0.00"))
        assert part.overdue_count == len(overdue)
        assert [total.status for total in part.by_status] == [
            InvoiceStatus.UNPAID,
            InvoiceStatus.PAID,
            InvoiceStatus.PARTIALLY_PAID,
            InvoiceStatus.CANCELLED,
            InvoiceStatus.OVERDUE,
        ]
        for total in part.by_status:
            of_status = [i for i in mine if i.status is total.status]
            assert total.count == len(of_status)
            assert total.total.amount == sum((i.total.amount for i in of_status), Decimal("0.00"))
            assert total.amount_due.amount == sum((i.amount_due.amount for i in of_status), Decimal("0.00"))
        limits = {
            AgingBucket.DAYS_1_30: (1, 30),
            AgingBucket.DAYS_31_60: (31, 60),
            AgingBucket.DAYS_61_90: (61, 90),
            AgingBucket.DAYS_OVER_90: (91, 10**6),
        }
        assert [a.bucket for a in part.aging] == list(limits)
        for aging in part.aging:
            low, high = limits[aging.bucket]
            inside = [i for i in overdue if low <= (TODAY - i.due_date).days <= high]
            assert aging.count == len(inside)
            assert aging.amount_due.amount == sum((i.amount_due.amount for i in inside), Decimal("0.00"))
    assert all(aging.count > 0 for aging in summary.total.aging)  # a dashboard shows every bucket


async def test_every_aging_bucket_has_invoices_on_any_day_of_a_year(
    billing: SoapBilling, control: httpx.Client
) -> None:
    for day in (dt.date(2027, 1, 9), dt.date(2027, 3, 1), dt.date(2027, 7, 31), dt.date(2027, 10, 15)):
        sim(control, "/clock", {"today": day.isoformat()})
        summary = await billing.receivables()
        assert summary.as_of == day
        assert [a.count > 0 for a in summary.total.aging] == [True] * 4, day


async def test_a_down_back_end_is_unavailable_garbage_a_protocol_error(
    billing: SoapBilling, control: httpx.Client
) -> None:
    sim(control, "/faults", {"mode": "down"})
    with pytest.raises(BackendUnavailable):
        await billing.overdue_invoices(OverdueInvoiceQuery())
    with pytest.raises(BackendUnavailable):
        await billing.receivables()

    sim(control, "/faults", {"mode": "garbage"})
    with pytest.raises(BackendProtocolError):
        await billing.receivables()


async def test_a_fault_on_the_worklist_fails_only_the_worklist(
    billing: SoapBilling, control: httpx.Client
) -> None:
    sim(control, "/faults", {"mode": "down", "operations": ["GetOverdueInvoices"]})

    with pytest.raises(BackendUnavailable):
        await billing.overdue_invoices(OverdueInvoiceQuery())
    summary = await billing.receivables()

    assert summary.total.overdue_count > 0


async def test_values_billing_refuses_are_a_rejection(billing: SoapBilling) -> None:
    with pytest.raises(BackendRejected):
        await billing.overdue_invoices(OverdueInvoiceQuery(min_days_overdue=-1))
    with pytest.raises(BackendRejected):
        await billing.overdue_invoices(OverdueInvoiceQuery(min_amount_due=Decimal("-5")))
