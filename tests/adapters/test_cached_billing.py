"""``CachedBilling``: one back-end call per missing key, isolation between customers,
single flight, serve-stale within a bound, invalidation. In process and in Redis."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator, Sequence
from dataclasses import replace
from decimal import Decimal

import pytest

from gateway.adapters.cached import CachedBilling
from gateway.cache import codec, stale
from gateway.cache.store import CacheStore
from gateway.domain.billing import (
    AgingBucket,
    AgingTotal,
    ConsumptionPeriod,
    DepositFrequency,
    DepositPlan,
    Document,
    Invoice,
    InvoiceDetail,
    InvoicePage,
    InvoiceQuery,
    InvoiceStatus,
    MeterReading,
    OverdueInvoice,
    OverdueInvoicePage,
    OverdueInvoiceQuery,
    Payment,
    PaymentMethod,
    Receivables,
    ReceivablesSummary,
    Reminder,
    StatusTotal,
)
from gateway.domain.customers import Segment
from gateway.domain.money import Money
from gateway.errors import BackendProtocolError, BackendRejected, BackendUnavailable
from tests.cache import samples
from tests.cache.stores import STORE_KINDS, FakeClock, open_test_store

NOVAK, SVOBODOVA = "1000012345", "1000054321"


class FakeBilling:
    """Answers from ``tests.cache.samples``, records every call, fails when told to."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, list[object]]] = []
        self.failure: Exception | None = None
        self.gate: asyncio.Event | None = None
        self.entered = asyncio.Event()  # set once a call has reached billing (and waits at the gate)
        self.invoices: dict[str, Invoice] = {}
        self.refused: set[object] = set()  # keys whose values billing refuses, failing their batch
        self.called = asyncio.Event()

    async def _enter(self, operation: str, keys: Sequence[object]) -> None:
        self.calls.append((operation, list(keys)))
        self.called.set()
        self.entered.set()
        if self.gate is not None:
            await self.gate.wait()
        if self.failure is not None:
            raise self.failure
        if self.refused.intersection(keys):
            raise BackendRejected("billing")

    async def invoice_pages(self, queries: Sequence[InvoiceQuery]) -> list[InvoicePage]:
        await self._enter("invoice_pages", queries)
        return [samples.page(q) for q in queries]

    async def invoices_by_id(self, ids: Sequence[str]) -> list[Invoice | None]:
        await self._enter("invoices_by_id", ids)
        return [self.invoices.get(i) for i in ids]

    async def deposit_plans(self, customer_numbers: Sequence[str]) -> list[list[DepositPlan]]:
        raise NotImplementedError

    async def payments(self, customer_numbers: Sequence[str]) -> list[list[Payment]]:
        await self._enter("payments", customer_numbers)
        return [[] for _ in customer_numbers]

    async def reminders(self, customer_numbers: Sequence[str]) -> list[list[Reminder]]:
        raise NotImplementedError

    async def documents(self, ids: Sequence[str]) -> list[Document | None]:
        raise NotImplementedError

    async def change_deposit_amount(self, *, plan_id: str, amount: Decimal) -> DepositPlan:
        raise NotImplementedError

    async def change_deposit_frequency(
        self, *, plan_id: str, frequency: DepositFrequency, amount: Decimal | None = None
    ) -> DepositPlan:
        raise NotImplementedError

    async def change_payment_method(
        self,
        *,
        plan_id: str,
        method: PaymentMethod,
        bank_account: str | None = None,
        sipo_number: str | None = None,
    ) -> DepositPlan:
        raise NotImplementedError

    async def invoice_details(self, ids: Sequence[str]) -> list[InvoiceDetail | None]:
        raise NotImplementedError

    async def meter_readings(self, supply_point_ids: Sequence[str]) -> list[list[MeterReading]]:
        raise NotImplementedError

    async def consumption(self, supply_point_ids: Sequence[str]) -> list[list[ConsumptionPeriod]]:
        raise NotImplementedError

    async def customers_by_variable_symbol(self, symbols: Sequence[str]) -> list[str | None]:
        raise NotImplementedError  # tests/adapters/test_cached_search.py, on the simulator

    async def customers_by_invoice_number(self, numbers: Sequence[str]) -> list[str | None]:
        raise NotImplementedError

    async def overdue_invoices(self, query: OverdueInvoiceQuery) -> OverdueInvoicePage:
        await self._enter("overdue_invoices", [query])
        item = OverdueInvoice(
            invoice_id=f"{NOVAK}001202610",
            invoice_number="FV20261000012345001",
            customer_number=NOVAK,
            customer_name="Jan Novák",
            segment=Segment.HOUSEHOLD,
            due_date=dt.date(2026, 11, 1),
            days_overdue=25 + query.offset,
            amount_due=Money(Decimal("1200.50")),
        )
        return OverdueInvoicePage(
            items=(item,), total_count=1, total_amount_due=item.amount_due, as_of=dt.date(2026, 11, 26)
        )

    async def receivables(self) -> Receivables:
        await self._enter("receivables", ["summary"])
        summary = ReceivablesSummary(
            outstanding=Money(Decimal("10.00")),
            overdue=Money(Decimal("5.00")),
            overdue_count=1,
            by_status=(
                StatusTotal(InvoiceStatus.OVERDUE, 1, Money(Decimal("5.00")), Money(Decimal("5.00"))),
            ),
            aging=(AgingTotal(AgingBucket.DAYS_1_30, 1, Money(Decimal("5.00"))),),
        )
        return Receivables(
            as_of=dt.date(2026, 11, 26), total=summary, by_segment=((Segment.HOUSEHOLD, summary),)
        )

    async def ping(self) -> None:
        return None

    def calls_of(self, operation: str) -> list[list[object]]:
        return [keys for op, keys in self.calls if op == operation]


@pytest.fixture(params=STORE_KINDS)
async def store(request: pytest.FixtureRequest) -> AsyncIterator[CacheStore]:
    async with open_test_store(request.param) as store:
        store.clock = FakeClock()
        yield store


@pytest.fixture
def inner() -> FakeBilling:
    return FakeBilling()


@pytest.fixture
def billing(inner: FakeBilling, store: CacheStore) -> CachedBilling:
    return CachedBilling(inner, store)


def advance(store: CacheStore, seconds: float) -> None:
    clock = store.clock
    assert isinstance(clock, FakeClock)
    clock.advance(seconds)


async def test_a_cached_page_is_served_without_calling_billing(
    billing: CachedBilling, inner: FakeBilling
) -> None:
    # given
    query = InvoiceQuery(NOVAK)
    first = await billing.invoice_pages([query])

    # when
    second = await billing.invoice_pages([query])

    # then
    assert second == first
    assert inner.calls_of("invoice_pages") == [[query]]


async def test_only_the_missing_keys_are_asked_for_and_answers_keep_their_order(
    billing: CachedBilling, inner: FakeBilling
) -> None:
    cached, new = InvoiceQuery(NOVAK), InvoiceQuery(NOVAK, offset=20)
    await billing.invoice_pages([cached])

    pages = await billing.invoice_pages([new, cached, new])

    assert inner.calls_of("invoice_pages") == [[cached], [new]]
    assert pages == [samples.page(new), samples.page(cached), samples.page(new)]


async def test_one_customers_cached_invoices_are_never_returned_for_another(
    billing: CachedBilling, inner: FakeBilling
) -> None:
    # given: novak's first page is cached
    await billing.invoice_pages([InvoiceQuery(NOVAK)])

    # when: the same page of another customer
    (page,) = await billing.invoice_pages([InvoiceQuery(SVOBODOVA)])

    # then: billing is asked, and only svobodova's invoices come back
    assert inner.calls_of("invoice_pages")[-1] == [InvoiceQuery(SVOBODOVA)]
    assert {i.customer_number for i in page.invoices} == {SVOBODOVA}


async def test_every_filter_is_part_of_the_key(billing: CachedBilling, inner: FakeBilling) -> None:
    await billing.invoice_pages([InvoiceQuery(NOVAK)])

    await billing.invoice_pages([InvoiceQuery(NOVAK, amount_from=Decimal("100"))])

    assert len(inner.calls_of("invoice_pages")) == 2


async def all_waiting(inner: FakeBilling) -> None:
    """Until the first task reached billing; the others, started with it on the same path, have
    by then reached the shared call (asyncio runs ready tasks in turn); one more turn for all."""
    await inner.entered.wait()
    await asyncio.sleep(0)


async def test_concurrent_misses_of_one_key_share_one_call(
    billing: CachedBilling, inner: FakeBilling
) -> None:
    # given: billing answers only when released
    inner.gate = asyncio.Event()
    query = InvoiceQuery(NOVAK)

    # when: ten requests miss the same page at once
    tasks = [asyncio.create_task(billing.invoice_pages([query])) for _ in range(10)]
    await all_waiting(inner)
    inner.gate.set()
    pages = await asyncio.gather(*tasks)

    # then
    assert inner.calls_of("invoice_pages") == [[query]]
    assert all(p == [samples.page(query)] for p in pages)


async def test_a_shared_call_that_fails_fails_every_waiter(
    billing: CachedBilling, inner: FakeBilling
) -> None:
    inner.gate = asyncio.Event()
    inner.failure = BackendUnavailable("billing")
    tasks = [asyncio.create_task(billing.invoice_pages([InvoiceQuery(NOVAK)])) for _ in range(3)]
    await all_waiting(inner)
    inner.gate.set()

    results = await asyncio.gather(*tasks, return_exceptions=True)

    assert all(isinstance(r, BackendUnavailable) for r in results)
    assert len(inner.calls) == 1


async def test_a_refusal_is_not_kept_and_not_served_stale(
    billing: CachedBilling, inner: FakeBilling, store: CacheStore
) -> None:
    # given: a page cached, then past its TTL, and billing refusing it now
    query = InvoiceQuery(NOVAK, amount_from=Decimal("100"))
    await billing.invoice_pages([query])
    advance(store, 31)
    inner.refused.add(query)

    # when / then: every ask reaches billing and is refused, not answered from the cache
    for _ in range(2):
        with pytest.raises(BackendRejected):
            await billing.invoice_pages([query])
    assert len(inner.calls_of("invoice_pages")) == 3


async def test_a_refused_key_fails_only_itself_not_the_others_sharing_its_flight(
    billing: CachedBilling, inner: FakeBilling
) -> None:
    # given: one request asks for a page billing refuses together with a good one, and
    # another request waits on that good page's flight
    inner.gate = asyncio.Event()
    good, bad = InvoiceQuery(NOVAK), InvoiceQuery(NOVAK, amount_from=Decimal("-1"))
    inner.refused.add(bad)
    owner = asyncio.create_task(billing.invoice_pages([good, bad]))
    await inner.called.wait()
    waiter = asyncio.create_task(billing.invoice_pages([good]))

    # when
    inner.gate.set()
    owned, waited = await asyncio.gather(owner, waiter, return_exceptions=True)

    # then: the refusal is the owner's alone; the waiter gets its page, which is kept
    assert isinstance(owned, BackendRejected)
    assert waited == [samples.page(good)]
    assert await billing.invoice_pages([good]) == [samples.page(good)]
    assert sorted(map(len, inner.calls_of("invoice_pages"))) == [1, 1, 2]


async def test_past_its_ttl_an_entry_is_loaded_again(
    billing: CachedBilling, inner: FakeBilling, store: CacheStore
) -> None:
    await billing.payments([NOVAK])
    advance(store, 10)
    await billing.payments([NOVAK])
    assert len(inner.calls_of("payments")) == 1

    advance(store, 6)  # 16 s: past the 15 s of billing data
    await billing.payments([NOVAK])

    assert len(inner.calls_of("payments")) == 2


async def test_while_billing_is_unavailable_a_stale_copy_is_served_and_recorded(
    billing: CachedBilling, inner: FakeBilling, store: CacheStore
) -> None:
    # given: a page cached a minute ago, and billing down
    query = InvoiceQuery(NOVAK)
    await billing.invoice_pages([query])
    advance(store, 60)
    inner.failure = BackendUnavailable("billing")
    served = stale.begin_request()

    # when
    pages = await billing.invoice_pages([query])

    # then
    assert pages == [samples.page(query)]
    assert served.as_extension() == [{"backend": "billing", "ageSeconds": 60}]
    assert len(inner.calls_of("invoice_pages")) == 2  # it did try billing first


async def test_past_the_stale_bound_the_failure_shows(
    billing: CachedBilling, inner: FakeBilling, store: CacheStore
) -> None:
    await billing.invoice_pages([InvoiceQuery(NOVAK)])
    advance(store, 15 + 600 + 1)
    inner.failure = BackendUnavailable("billing")

    with pytest.raises(BackendUnavailable):
        await billing.invoice_pages([InvoiceQuery(NOVAK)])


async def test_a_malformed_answer_is_not_hidden_behind_stale_data(
    billing: CachedBilling, inner: FakeBilling, store: CacheStore
) -> None:
    await billing.invoice_pages([InvoiceQuery(NOVAK)])
    advance(store, 60)
    inner.failure = BackendProtocolError("billing")
    served = stale.begin_request()

    with pytest.raises(BackendProtocolError):
        await billing.invoice_pages([InvoiceQuery(NOVAK)])
    assert served.ages == {}


async def test_invalidating_a_customer_drops_its_entries_fresh_and_stale(
    billing: CachedBilling, inner: FakeBilling
) -> None:
    # given: novak's page and payments and svobodova's page are cached
    inner.invoices["F1"] = samples.invoice(NOVAK, "F1")
    await billing.invoice_pages([InvoiceQuery(NOVAK), InvoiceQuery(SVOBODOVA)])
    await billing.invoices_by_id(["F1"])

    # when
    await billing.invalidate_customer(NOVAK)

    # then: novak's are loaded again (also the one found by id), svobodova's are not
    await billing.invoice_pages([InvoiceQuery(NOVAK), InvoiceQuery(SVOBODOVA)])
    await billing.invoices_by_id(["F1"])
    assert inner.calls_of("invoice_pages")[-1] == [InvoiceQuery(NOVAK)]
    assert inner.calls_of("invoices_by_id") == [["F1"], ["F1"]]
    # and with billing down, nothing of novak's from before is served
    inner.failure = BackendUnavailable("billing")
    await billing.invalidate_customer(NOVAK)
    with pytest.raises(BackendUnavailable):
        await billing.invoice_pages([InvoiceQuery(NOVAK)])


async def test_an_answer_that_raced_an_invalidation_is_not_kept(
    billing: CachedBilling, inner: FakeBilling
) -> None:
    # given: a load is under way
    inner.gate = asyncio.Event()
    load = asyncio.create_task(billing.invoice_pages([InvoiceQuery(NOVAK)]))
    await inner.entered.wait()

    # when: a write invalidates the customer before billing answers
    await billing.invalidate_customer(NOVAK)
    inner.gate.set()
    await load

    # then: the pre-write answer was served to its request but not kept
    await billing.invoice_pages([InvoiceQuery(NOVAK)])
    assert len(inner.calls_of("invoice_pages")) == 2


async def test_an_invoice_found_by_id_is_cached_and_an_unknown_id_is_not(
    billing: CachedBilling, inner: FakeBilling
) -> None:
    inner.invoices["F1"] = samples.invoice(NOVAK, "F1")

    first = await billing.invoices_by_id(["F1", "NOPE"])
    second = await billing.invoices_by_id(["F1", "NOPE"])

    assert first == second == [inner.invoices["F1"], None]
    assert inner.calls_of("invoices_by_id") == [["F1", "NOPE"], ["NOPE"]]
    assert second[0] is not None and second[0].customer_number == NOVAK  # the resolver checks this


async def test_a_changed_answer_shows_after_invalidation(billing: CachedBilling, inner: FakeBilling) -> None:
    inner.invoices["F1"] = samples.invoice(NOVAK, "F1")
    await billing.invoices_by_id(["F1"])
    inner.invoices["F1"] = replace(inner.invoices["F1"], amount_due=Money(Decimal("5.00")))

    await billing.invalidate_customer(NOVAK)
    (invoice,) = await billing.invoices_by_id(["F1"])

    assert invoice is not None and invoice.amount_due.amount == Decimal("5.00")


async def test_the_worklists_are_kept_per_query_for_their_ttl_and_survive_the_codec(
    billing: CachedBilling, inner: FakeBilling, store: CacheStore
) -> None:
    first_page = await billing.overdue_invoices(OverdueInvoiceQuery(limit=5))
    again = await billing.overdue_invoices(OverdueInvoiceQuery(limit=5))
    other = await billing.overdue_invoices(OverdueInvoiceQuery(offset=5, limit=5))
    summary = await billing.receivables()
    summary_again = await billing.receivables()

    assert again == first_page and other != first_page
    assert summary_again == summary
    assert codec.loads(codec.dumps(summary)) == summary
    assert len(inner.calls_of("overdue_invoices")) == 2  # one per query
    assert len(inner.calls_of("receivables")) == 1

    await billing.invalidate_customer(NOVAK)  # a customer's write leaves the worklists to their TTL
    await billing.overdue_invoices(OverdueInvoiceQuery(limit=5))
    assert len(inner.calls_of("overdue_invoices")) == 2

    advance(store, 61)  # past the minute of receivables data
    await billing.receivables()
    assert len(inner.calls_of("receivables")) == 2
