"""Adapters that answer reads from the cache across requests and keep what the inner one answers.

They implement the same Protocols as what they wrap (``CachedBilling(ResilientBilling(...))``)
and keep the batch semantics: each key is looked up, the inner adapter is called once,
with the missing keys only, and the answers are put back in the callers' order.

Isolation: an entry is stored under the key of what it belongs to (the customer number
of a per-customer list, the invoice query with its customer number, the id of an object)
and records its customer; per-customer entries are only served for that customer. The
cache is consulted only with keys the resolvers ask for, after authorising them;
objects found by id carry their customer number, which the resolver checks as it would
without a cache.

Concurrent misses of one key share one inner call (``SingleFlight``). When the inner
adapter raises ``BackendUnavailable`` and an entry past its TTL is still within the stale
bound, that entry is served and the request records it (``extensions.stale``).

A refusal of the input (``BackendRejected``) is never kept and never served stale: it is the
answer to that input only. When it fails a batch of several keys, each key is asked for
alone, so that only the key the back end refused fails; the others are kept and their
waiters (other requests sharing the flight) get their data, not someone else's refusal.

Writes pass through and invalidate the customer they changed; ``invalidate_customer`` is
for writes that change a customer's data some other way.

Lists across customers (the CRM's worklist, the nomination roster's week status) are kept
under a name of their own in place of a customer number (``WORKLIST``, ``ROSTER``), which no
customer number can be; every write that may change them invalidates that name as well.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import logging
from collections.abc import Awaitable, Callable, Hashable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Generic, TypeVar

from gateway.adapters.billing.protocol import BillingBackend
from gateway.adapters.crm.protocol import CrmBackend
from gateway.adapters.nomination.protocol import NominationBackend, NominationPeriod
from gateway.cache import codec, stale
from gateway.cache.policy import TTL_SECONDS, Kind
from gateway.cache.shared_redis import FAILURES
from gateway.cache.singleflight import SingleFlight
from gateway.cache.store import CacheStore, Entry, customer_key, decode_entry, id_key
from gateway.domain.billing import (
    ConsumptionPeriod,
    DepositFrequency,
    DepositPlan,
    Document,
    Invoice,
    InvoiceDetail,
    InvoicePage,
    InvoiceQuery,
    MeterReading,
    OverdueInvoicePage,
    OverdueInvoiceQuery,
    Payment,
    PaymentMethod,
    Receivables,
    Reminder,
)
from gateway.domain.contact import ContactDetailsChange
from gateway.domain.customer_search import CustomerSearch, CustomerSearchPage
from gateway.domain.customers import Customer
from gateway.domain.messages import Message
from gateway.domain.nomination import (
    DailyRefinement,
    Interval,
    MonthlyRefinement,
    NominationContract,
    Resolution,
    SubmissionReceipt,
    WeeklyNomination,
    WeekStatus,
)
from gateway.domain.requests import (
    CustomerRequest,
    NewRequest,
    RequestQueuePage,
    RequestQueueQuery,
    RequestUpdate,
)
from gateway.domain.supply_points import SupplyPoint
from gateway.errors import BackendRejected, BackendUnavailable
from gateway.metrics import Metrics
from gateway.observability import request_record, tracing

log = logging.getLogger("gateway.cache")

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


@dataclass(frozen=True, slots=True)
class PerCustomer(Generic[K]):
    """Keys that name their customer: the entry is stored under it and served only for it."""

    customer: Callable[[K], str]
    key: Callable[[K], str]


@dataclass(frozen=True, slots=True)
class ById(Generic[V]):
    """Objects looked up by their own id; ``owner`` names the customer of a found object.
    Unknown ids (``None``) are not cached: they belong to no one to invalidate."""

    owner: Callable[[V], str | None]


# Answers about every customer (the finance worklists) are kept under this pseudo-customer:
# no customer's write invalidates them, so they follow the back office within their TTL.
ACROSS_CUSTOMERS = "*"


def query_key(query: InvoiceQuery | OverdueInvoiceQuery) -> str:
    """The whole query, hashed: any filter changes the key."""
    return hashlib.sha256(codec.dumps(query).encode()).hexdigest()


class CacheLayer:
    """The batch machinery shared by the cached adapters of one back end."""

    def __init__(self, backend: str, store: CacheStore, metrics: Metrics | None = None) -> None:
        self.backend = backend
        self.store = store
        self.metrics = metrics
        self._flights: SingleFlight[str, object] = SingleFlight()

    async def invalidate_customer(self, customer_number: str) -> None:
        """The customer's entries stop being served; with Redis down, the store replays the
        invalidation once Redis is back (and serves nothing from Redis until then), so the
        write that asked for it does not fail."""
        try:
            await self.store.invalidate(self.backend, customer_number)
        except FAILURES as error:
            log.warning(
                "cache: invalidation of customer %s deferred until Redis answers (%s)", customer_number, error
            )

    async def batch(
        self,
        operation: str,
        kind: Kind,
        keys: Sequence[K],
        load: Callable[[Sequence[K]], Awaitable[list[V]]],
        shape: PerCustomer[K] | ById[V],
    ) -> list[V]:
        unique = list(dict.fromkeys(keys))
        if not unique:
            return []
        storage: dict[K, str] = {}
        customer_of: dict[K, str] = {}
        for k in unique:
            if isinstance(shape, PerCustomer):
                customer_of[k] = shape.customer(k)
                storage[k] = customer_key(self.backend, operation, customer_of[k], shape.key(k))
            else:
                storage[k] = id_key(self.backend, operation, str(k))

        # A key is looked up and loaded by one caller at a time (in this process); callers
        # that arrive meanwhile share its answer, so there is no window between a miss and
        # the entry being stored in which a second back-end call could start.
        by_storage = {storage[k]: k for k in unique}
        owned_storage, waiting = self._flights.split(storage[k] for k in unique)
        owned = [by_storage[s] for s in owned_storage]
        answers: dict[K, tuple[object, float | None]] = {}
        if owned:
            try:
                with tracing.span(
                    f"cache {self.backend}.{operation}",
                    attributes={"gateway.cache.kind": kind.value, "gateway.cache.keys": len(owned)},
                ):
                    loaded, refused = await self._lookup_and_load(
                        operation, kind, owned, storage, customer_of, load, shape
                    )
            except BaseException as exc:
                shared = exc if isinstance(exc, Exception) else BackendUnavailable(self.backend)
                self._flights.fail_all(owned_storage, shared)
                raise
            answers.update(loaded)
            for k in owned:
                if k in refused:
                    self._flights.fail(storage[k], refused[k])
                else:
                    self._flights.resolve(storage[k], answers[k])
            if refused:
                raise next(iter(refused.values()))
        if waiting:
            shared_answers = await asyncio.gather(*waiting.values(), return_exceptions=True)
            for s, answer in zip(waiting, shared_answers, strict=True):
                if isinstance(answer, BaseException):
                    raise answer
                answers[by_storage[s]] = answer  # type: ignore[assignment]  # what the owner resolved

        results: dict[K, V] = {}
        for k, (value, stale_age) in answers.items():
            if stale_age is not None:
                stale.record(self.backend, stale_age)  # in every request that is served it
            results[k] = value  # type: ignore[assignment]  # the value loaded or cached for this key
        return [results[k] for k in keys]

    async def _lookup_and_load(  # noqa: PLR0917
        self,
        operation: str,
        kind: Kind,
        owned: list[K],
        storage: dict[K, str],
        customer_of: dict[K, str],
        load: Callable[[Sequence[K]], Awaitable[list[V]]],
        shape: PerCustomer[K] | ById[V],
    ) -> tuple[dict[K, tuple[object, float | None]], dict[K, BackendRejected]]:
        """``{key: (value, stale age or None)}`` for every owned key the back end did not
        refuse, and the refusals by key; raises when the back end fails and a key has no
        stale copy to serve."""
        ttl = TTL_SECONDS[kind]
        # 1. Look up: entries, then the generations of every customer involved.
        found: dict[K, Entry] = {}
        for k, raw in zip(owned, await self.store.get_many([storage[k] for k in owned]), strict=True):
            if raw is None:
                continue
            try:
                found[k] = decode_entry(raw)
            except codec.CodecError:
                log.warning("cache: unreadable entry %s ignored", storage[k])
        generations = await self.store.generations(
            self.backend,
            [*(customer_of[k] for k in owned if k in customer_of), *(e.customer for e in found.values())],
        )
        now = self.store.clock()
        answers: dict[K, tuple[object, float | None]] = {}
        stale_copies: dict[K, Entry] = {}
        for k, entry in found.items():
            if entry.generation != generations.get(entry.customer, 0):
                continue  # invalidated since it was stored
            if k in customer_of and entry.customer != customer_of[k]:
                continue  # never another customer's entry (cannot happen with these keys; cheap to hold)
            age = entry.age(now)
            if age < ttl:
                answers[k] = (entry.value, None)
            elif age < ttl + self.store.stale_for:
                stale_copies[k] = entry
        missing = [k for k in owned if k not in answers]
        self._count(operation, kind, "hit", len(answers))
        self._count(operation, kind, "miss", len(missing))
        refused: dict[K, BackendRejected] = {}
        if not missing:
            return answers, refused

        # 2. Load what is missing, in one call; keep it; or serve stale copies within the bound.
        try:
            loaded = await load(missing)
        except BackendUnavailable:
            if any(k not in stale_copies for k in missing):
                raise
            self._count(operation, kind, "stale", len(missing))
            for k in missing:
                answers[k] = (stale_copies[k].value, stale_copies[k].age(now))
            return answers, refused
        except BackendRejected:
            if len(missing) == 1:
                raise
            missing, loaded, refused = await self._load_each(missing, load)
        await self._keep(
            owned=missing,
            loaded=loaded,
            storage=storage,
            customer_of=customer_of,
            generations=generations,
            shape=shape,
            ttl=ttl,
            now=now,
        )
        for k, value in zip(missing, loaded, strict=True):
            answers[k] = (value, None)
        return answers, refused

    @staticmethod
    async def _load_each(
        keys: list[K], load: Callable[[Sequence[K]], Awaitable[list[V]]]
    ) -> tuple[list[K], list[V], dict[K, BackendRejected]]:
        """Each key alone: ``(keys answered, their values, refusals by key)``; any other
        failure is raised as the batch's."""
        singles = await asyncio.gather(*(load([k]) for k in keys), return_exceptions=True)
        answered: list[K] = []
        values: list[V] = []
        refused: dict[K, BackendRejected] = {}
        for k, single in zip(keys, singles, strict=True):
            if isinstance(single, BackendRejected):
                refused[k] = single
            elif isinstance(single, BaseException):
                raise single
            else:
                answered.append(k)
                values.extend(single)
        return answered, values, refused

    async def _keep(
        self,
        *,
        owned: Sequence[K],
        loaded: Sequence[V],
        storage: dict[K, str],
        customer_of: dict[K, str],
        generations: dict[str, int],
        shape: PerCustomer[K] | ById[V],
        ttl: float,
        now: float,
    ) -> None:
        entries: dict[str, Entry] = {}
        if isinstance(shape, PerCustomer):
            # Generations read before the load: an invalidation that raced it wins.
            for k, value in zip(owned, loaded, strict=True):
                customer = customer_of[k]
                entries[storage[k]] = Entry(customer, generations.get(customer, 0), now, value)
        else:
            # The owner is known only now; a write that lands between the back end's answer
            # and this read of its generation can keep a pre-write object for one TTL.
            owners = {k: shape.owner(v) for k, v in zip(owned, loaded, strict=True) if v is not None}
            owner_generations = await self.store.generations(
                self.backend, [o for o in owners.values() if o is not None]
            )
            for k, value in zip(owned, loaded, strict=True):
                owner = owners.get(k)
                if owner is not None:
                    entries[storage[k]] = Entry(owner, owner_generations.get(owner, 0), now, value)
        await self.store.put_many(entries, ttl)

    def _count(self, operation: str, kind: Kind, result: str, n: int) -> None:
        request_record.note_cache(result, n)
        tracing.annotate(**{f"cache_{result}": n})
        if self.metrics is not None and n:
            self.metrics.cache_lookups.labels(backend=self.backend, operation=operation, result=result).inc(n)
            self.metrics.count_cache_result(kind.value, result, n)


WORKLIST = "*worklist"  # the CRM's requests across customers
ROSTER = "*roster"  # the nomination system's weekly status across its large consumers


def _across_customers(name: str, key: Callable[[K], str]) -> PerCustomer[K]:
    return PerCustomer(customer=lambda _: name, key=key)


def _hashed(value: object) -> str:
    return hashlib.sha256(codec.dumps(value).encode()).hexdigest()


def _self(key: str) -> str:
    return key


def _per_customer_number() -> PerCustomer[str]:
    return PerCustomer(customer=_self, key=lambda _: "all")


def _per_point() -> PerCustomer[str]:
    """A supply point id starts with its customer's number (the back ends' ids name their owner)."""
    return PerCustomer(customer=lambda point_id: point_id[:10], key=_self)


def _owned_by_itself() -> ById[str | None]:
    """A document's owner looked up by the document's identifier: the answer is the owner."""
    return ById(owner=lambda customer_number: customer_number)


SEARCHES = "search"  # the pseudo customer whose entries the staff searches are: no one's own


def _per_search() -> PerCustomer[CustomerSearch]:
    """The whole search, hashed (the key never shows what was searched for)."""
    return PerCustomer(
        customer=lambda _: SEARCHES,
        key=lambda search: hashlib.sha256(codec.dumps(search).encode()).hexdigest(),
    )


class CachedBilling:
    def __init__(self, inner: BillingBackend, store: CacheStore, *, metrics: Metrics | None = None) -> None:
        self.inner = inner
        self.cache = CacheLayer("billing", store, metrics)

    async def invalidate_customer(self, customer_number: str) -> None:
        await self.cache.invalidate_customer(customer_number)

    async def invoice_pages(self, queries: Sequence[InvoiceQuery]) -> list[InvoicePage]:
        shape: PerCustomer[InvoiceQuery] = PerCustomer(customer=lambda q: q.customer_number, key=query_key)
        return await self.cache.batch("invoice_pages", Kind.BILLING, queries, self.inner.invoice_pages, shape)

    async def invoices_by_id(self, ids: Sequence[str]) -> list[Invoice | None]:
        shape: ById[Invoice | None] = ById(owner=lambda i: i.customer_number if i else None)
        return await self.cache.batch("invoices_by_id", Kind.BILLING, ids, self.inner.invoices_by_id, shape)

    async def invoice_details(self, ids: Sequence[str]) -> list[InvoiceDetail | None]:
        shape: ById[InvoiceDetail | None] = ById(owner=lambda d: d.customer_number if d else None)
        return await self.cache.batch("invoice_details", Kind.BILLING, ids, self.inner.invoice_details, shape)

    async def deposit_plans(self, customer_numbers: Sequence[str]) -> list[list[DepositPlan]]:
        return await self.cache.batch(
            "deposit_plans", Kind.BILLING, customer_numbers, self.inner.deposit_plans, _per_customer_number()
        )

    async def payments(self, customer_numbers: Sequence[str]) -> list[list[Payment]]:
        return await self.cache.batch(
            "payments", Kind.BILLING, customer_numbers, self.inner.payments, _per_customer_number()
        )

    async def reminders(self, customer_numbers: Sequence[str]) -> list[list[Reminder]]:
        return await self.cache.batch(
            "reminders", Kind.BILLING, customer_numbers, self.inner.reminders, _per_customer_number()
        )

    async def documents(self, ids: Sequence[str]) -> list[Document | None]:
        shape: ById[Document | None] = ById(owner=lambda d: d.customer_number if d else None)
        return await self.cache.batch("documents", Kind.DOCUMENT, ids, self.inner.documents, shape)

    async def meter_readings(self, supply_point_ids: Sequence[str]) -> list[list[MeterReading]]:
        return await self.cache.batch(
            "meter_readings", Kind.BILLING, supply_point_ids, self.inner.meter_readings, _per_point()
        )

    async def consumption(self, supply_point_ids: Sequence[str]) -> list[list[ConsumptionPeriod]]:
        return await self.cache.batch(
            "consumption", Kind.BILLING, supply_point_ids, self.inner.consumption, _per_point()
        )

    async def customers_by_variable_symbol(self, symbols: Sequence[str]) -> list[str | None]:
        return await self.cache.batch(
            "customers_by_variable_symbol",
            Kind.OWNER,
            symbols,
            self.inner.customers_by_variable_symbol,
            _owned_by_itself(),
        )

    async def customers_by_invoice_number(self, numbers: Sequence[str]) -> list[str | None]:
        return await self.cache.batch(
            "customers_by_invoice_number",
            Kind.OWNER,
            numbers,
            self.inner.customers_by_invoice_number,
            _owned_by_itself(),
        )

    async def overdue_invoices(self, query: OverdueInvoiceQuery) -> OverdueInvoicePage:
        """Kept per query (page, filter, order) for ``Kind.RECEIVABLES``'s TTL."""

        async def load(queries: Sequence[OverdueInvoiceQuery]) -> list[OverdueInvoicePage]:
            return [await self.inner.overdue_invoices(q) for q in queries]

        shape: PerCustomer[OverdueInvoiceQuery] = PerCustomer(
            customer=lambda _: ACROSS_CUSTOMERS, key=query_key
        )
        [page] = await self.cache.batch("overdue_invoices", Kind.RECEIVABLES, [query], load, shape)
        return page

    async def receivables(self) -> Receivables:
        async def load(keys: Sequence[str]) -> list[Receivables]:
            return [await self.inner.receivables() for _ in keys]

        shape: PerCustomer[str] = PerCustomer(customer=lambda _: ACROSS_CUSTOMERS, key=_self)
        [summary] = await self.cache.batch("receivables", Kind.RECEIVABLES, ["summary"], load, shape)
        return summary

    async def change_deposit_amount(self, *, plan_id: str, amount: Decimal) -> DepositPlan:
        plan = await self.inner.change_deposit_amount(plan_id=plan_id, amount=amount)
        await _invalidate_after_write(self.cache, plan.customer_number)
        return plan

    async def change_deposit_frequency(
        self, *, plan_id: str, frequency: DepositFrequency, amount: Decimal | None = None
    ) -> DepositPlan:
        plan = await self.inner.change_deposit_frequency(plan_id=plan_id, frequency=frequency, amount=amount)
        await _invalidate_after_write(self.cache, plan.customer_number)
        return plan

    async def change_payment_method(
        self,
        *,
        plan_id: str,
        method: PaymentMethod,
        bank_account: str | None = None,
        sipo_number: str | None = None,
    ) -> DepositPlan:
        plan = await self.inner.change_payment_method(
            plan_id=plan_id, method=method, bank_account=bank_account, sipo_number=sipo_number
        )
        await _invalidate_after_write(self.cache, plan.customer_number)
        return plan

    async def ping(self) -> None:
        await self.inner.ping()


async def _invalidate_after_write(cache: CacheLayer, customer_number: str) -> None:
    try:
        await cache.invalidate_customer(customer_number)
    except Exception:  # the write is done; the change shows once the entries' TTLs run out
        log.exception("cache: could not invalidate customer %s after a write", customer_number)


class CachedCrm:
    def __init__(self, inner: CrmBackend, store: CacheStore, *, metrics: Metrics | None = None) -> None:
        self.inner = inner
        self.cache = CacheLayer("crm", store, metrics)

    async def invalidate_customer(self, customer_number: str) -> None:
        await self.cache.invalidate_customer(customer_number)

    async def customers(self, numbers: Sequence[str]) -> list[Customer | None]:
        return await self.cache.batch(
            "customers", Kind.MASTER, numbers, self.inner.customers, _per_customer_number()
        )

    async def search_customers(self, searches: Sequence[CustomerSearch]) -> list[CustomerSearchPage]:
        return await self.cache.batch(
            "search_customers", Kind.SEARCH, searches, self.inner.search_customers, _per_search()
        )

    async def supply_points_by_customer(self, numbers: Sequence[str]) -> list[list[SupplyPoint]]:
        return await self.cache.batch(
            "supply_points_by_customer",
            Kind.TECHNICAL,
            numbers,
            self.inner.supply_points_by_customer,
            _per_customer_number(),
        )

    async def supply_points_by_id(self, ids: Sequence[str]) -> list[SupplyPoint | None]:
        shape: ById[SupplyPoint | None] = ById(owner=lambda p: p.customer_number if p else None)
        return await self.cache.batch(
            "supply_points_by_id", Kind.TECHNICAL, ids, self.inner.supply_points_by_id, shape
        )

    async def requests(self, customer_numbers: Sequence[str]) -> list[list[CustomerRequest]]:
        return await self.cache.batch(
            "requests", Kind.CASES, customer_numbers, self.inner.requests, _per_customer_number()
        )

    async def requests_by_id(self, ids: Sequence[str]) -> list[CustomerRequest | None]:
        shape: ById[CustomerRequest | None] = ById(owner=lambda r: r.customer_number if r else None)
        return await self.cache.batch("requests_by_id", Kind.CASES, ids, self.inner.requests_by_id, shape)

    async def request_queue(self, queries: Sequence[RequestQueueQuery]) -> list[RequestQueuePage]:
        shape: PerCustomer[RequestQueueQuery] = _across_customers(WORKLIST, _hashed)
        return await self.cache.batch("request_queue", Kind.CASES, queries, self.inner.request_queue, shape)

    async def messages(self, customer_numbers: Sequence[str]) -> list[list[Message]]:
        return await self.cache.batch(
            "messages", Kind.CASES, customer_numbers, self.inner.messages, _per_customer_number()
        )

    async def create_request(self, request: NewRequest) -> CustomerRequest:
        created = await self.inner.create_request(request)
        await self._changed(created.customer_number)
        return created

    async def change_contact_details(self, customer_number: str, change: ContactDetailsChange) -> Customer:
        changed = await self.inner.change_contact_details(customer_number, change)
        await self._changed(customer_number)
        return changed

    async def update_request(self, id: str, change: RequestUpdate) -> CustomerRequest:
        updated = await self.inner.update_request(id, change)
        await self._changed(updated.customer_number)
        return updated

    async def cancel_request(self, id: str) -> CustomerRequest:
        cancelled = await self.inner.cancel_request(id)
        await self._changed(cancelled.customer_number)
        return cancelled

    async def mark_messages_read(self, customer_number: str, ids: Sequence[str]) -> int:
        changed = await self.inner.mark_messages_read(customer_number, ids)
        await self._changed(customer_number)
        return changed

    async def ping(self) -> None:
        await self.inner.ping()

    async def _changed(self, customer_number: str) -> None:
        await _invalidate_after_write(self.cache, customer_number)
        await _invalidate_after_write(self.cache, WORKLIST)  # its cases are on the worklist too


def _per_period() -> PerCustomer[NominationPeriod]:
    return PerCustomer(customer=lambda p: p.customer_number, key=lambda p: p.start.isoformat())


class CachedNomination:
    """A large consumer's contract and periods, kept and served stale like the rest; a
    submission forgets what is kept of its customer."""

    def __init__(
        self, inner: NominationBackend, store: CacheStore, *, metrics: Metrics | None = None
    ) -> None:
        self.inner = inner
        self.cache = CacheLayer("nomination", store, metrics)

    async def invalidate_customer(self, customer_number: str) -> None:
        await self.cache.invalidate_customer(customer_number)

    async def contracts(self, customer_numbers: Sequence[str]) -> list[NominationContract | None]:
        return await self.cache.batch(
            "contracts", Kind.MASTER, customer_numbers, self.inner.contracts, _per_customer_number()
        )

    async def weeks(self, periods: Sequence[NominationPeriod]) -> list[WeeklyNomination | None]:
        return await self.cache.batch("weeks", Kind.NOMINATION, periods, self.inner.weeks, _per_period())

    async def days(self, periods: Sequence[NominationPeriod]) -> list[DailyRefinement | None]:
        return await self.cache.batch("days", Kind.NOMINATION, periods, self.inner.days, _per_period())

    async def months(self, periods: Sequence[NominationPeriod]) -> list[MonthlyRefinement | None]:
        return await self.cache.batch("months", Kind.NOMINATION, periods, self.inner.months, _per_period())

    async def week_statuses(self, week_starts: Sequence[dt.date]) -> list[WeekStatus]:
        shape: PerCustomer[dt.date] = _across_customers(ROSTER, lambda start: start.isoformat())
        return await self.cache.batch(
            "week_statuses", Kind.NOMINATION, week_starts, self.inner.week_statuses, shape
        )

    async def submit_week(
        self,
        *,
        customer_number: str,
        week_start: dt.date,
        resolution: Resolution,
        intervals: Sequence[Interval],
    ) -> SubmissionReceipt:
        receipt = await self.inner.submit_week(
            customer_number=customer_number, week_start=week_start, resolution=resolution, intervals=intervals
        )
        await _invalidate_after_write(self.cache, customer_number)
        await _invalidate_after_write(self.cache, ROSTER)  # the customer has now submitted the week
        return receipt

    async def submit_day(
        self, *, customer_number: str, day: dt.date, resolution: Resolution, intervals: Sequence[Interval]
    ) -> SubmissionReceipt:
        receipt = await self.inner.submit_day(
            customer_number=customer_number, day=day, resolution=resolution, intervals=intervals
        )
        await _invalidate_after_write(self.cache, customer_number)
        return receipt

    async def submit_month(
        self, *, customer_number: str, month: dt.date, refined_mwh: Decimal
    ) -> SubmissionReceipt:
        receipt = await self.inner.submit_month(
            customer_number=customer_number, month=month, refined_mwh=refined_mwh
        )
        await _invalidate_after_write(self.cache, customer_number)
        return receipt

    async def ping(self) -> None:
        await self.inner.ping()
