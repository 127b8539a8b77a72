"""The billing back end over SOAP: zeep builds and sends the requests, lxml reads the replies.

Start-up loads the pinned WSDL (``billing.wsdl`` beside this module) once, synchronously,
and never fetches one. ``gateway.adapters.soap`` does the sending (zeep's ``AsyncTransport``
on the app's shared ``httpx.AsyncClient``, a WS-Security UsernameToken) and the reading of
replies; this module keeps the billing operations and mappings. zeep is told to hand back
the raw HTTP response: mapping the reply with lxml straight into domain objects costs
about a tenth of zeep's object parsing (``bench/soap_parse.py`` measures both).

Failures become ``gateway.errors`` only:

    connect error, timeout, HTTP 5xx, transient fault (1000, 1001)   BackendUnavailable
    malformed XML, unexpected shape, any other fault                 BackendProtocolError
    fault 2001 unknown customer / 2002 unknown document or plan      an empty list / None
    fault 1300 bad parameter (a client fault)                        BackendRejected

The back end's own fault text is logged, never passed on.
"""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Awaitable, Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import httpx
from lxml import etree

from gateway.adapters.soap import (
    FaultTable,
    SoapBackend,
    SoapService,
    legacy_date,
    legacy_decimal_text,
    mapped,
)
from gateway.domain.billing import (
    DepositFrequency,
    DepositItem,
    DepositPlan,
    Document,
    Invoice,
    InvoicePage,
    InvoiceQuery,
    InvoiceStatus,
    Payment,
    PaymentDirection,
    PaymentMethod,
    Reminder,
)
from gateway.domain.money import Money
from gateway.errors import BackendProtocolError, BackendRejected, BackendUnavailable, NotFound

BACKEND = "billing"
WSDL_PATH = Path(__file__).with_name("billing.wsdl")
NS = "http://fakturace.energo.cz/ws/FAKT/v1"
BINDING = f"{{{NS}}}FaktBinding"
PAGE_CAP = 50  # GetInvoiceList's POCET
BATCH_CAP = 100  # GetInvoicesById's FAK_ID

BAD_PARAMETER = 1300
UNKNOWN_CUSTOMER = 2001
UNKNOWN_OBJECT = 2002

STATUS_BY_CODE = {
    10: InvoiceStatus.UNPAID,
    20: InvoiceStatus.PAID,
    30: InvoiceStatus.PARTIALLY_PAID,
    40: InvoiceStatus.CANCELLED,
    50: InvoiceStatus.OVERDUE,
}
CODE_BY_STATUS = {status: code for code, status in STATUS_BY_CODE.items()}
METHOD_BY_CODE = {
    1: PaymentMethod.BANK_TRANSFER,
    2: PaymentMethod.DIRECT_DEBIT,
    3: PaymentMethod.SIPO,
    4: PaymentMethod.POSTAL_ORDER,
}
CODE_BY_METHOD = {method: code for code, method in METHOD_BY_CODE.items()}
FREQUENCY_BY_CODE = {"M": DepositFrequency.MONTHLY, "Q": DepositFrequency.QUARTERLY}
CODE_BY_FREQUENCY = {frequency: code for code, frequency in FREQUENCY_BY_CODE.items()}
DIRECTION_BY_CODE = {"P": PaymentDirection.RECEIVED, "O": PaymentDirection.SENT}

T = TypeVar("T")
Fields = dict[str, str | None]


class UnknownObjectError(Exception):
    """Fault 2001/2002: the customer, document or plan does not exist. Never leaves this module."""


FAULTS: FaultTable = {
    UNKNOWN_CUSTOMER: UnknownObjectError,
    UNKNOWN_OBJECT: UnknownObjectError,
    BAD_PARAMETER: lambda _: BackendRejected(BACKEND, "The billing system did not accept these values."),
}
SOAP = SoapBackend(BACKEND, NS, BINDING, WSDL_PATH, FAULTS)


# -- reading replies ----------------------------------------------------------------------


def _q(name: str) -> str:
    return f"{{{NS}}}{name}"


# The reply's ``expected`` element, or the right gateway error (bench/soap_parse.py reads with it).
reply_body = SOAP.reply_body


def _fields(node: etree._Element) -> Fields:
    """Children by local name. The schema is flat and qualified, so this is one pass."""
    prefix = len(NS) + 2
    return {child.tag[prefix:]: child.text for child in node if isinstance(child.tag, str)}


def _str(fields: Fields, name: str) -> str:
    value = fields.get(name)
    if value is None:
        raise ValueError(f"missing {name}")
    return value.strip()


def _opt(fields: Fields, name: str) -> str | None:
    value = fields.get(name)
    return value.strip() or None if value is not None else None


def _money(value: str) -> Money:
    whole, comma, cents = value.partition(",")
    if not comma or len(cents) != 2:
        raise ValueError(f"not a legacy amount: {value!r}")
    return Money(Decimal(f"{whole}.{cents}"))


_FAK = {name: f"{{{NS}}}{name}" for name in ("FAK_ID", "ZAK_CISLO", "FAK_CISLO", "VAR_SYM", "OM_ID")}
_FAK_ID, _ZAK, _CISLO, _VS, _OM = _FAK.values()
_VYST, _SPLAT, _CASTKA, _K_UHRADE, _STAV, _DOK = (
    f"{{{NS}}}{name}" for name in ("DAT_VYST", "DAT_SPLAT", "CASTKA", "K_UHRADE", "STAV", "DOK_ID")
)


def invoice_from(node: etree._Element) -> Invoice:
    """The hot path of list replies: one pass over the children, no helper per field."""
    f: dict[Any, Any] = {child.tag: child.text for child in node}
    supply_point_id = f.get(_OM)
    document_id = f.get(_DOK)
    return Invoice(
        id=f[_FAK_ID].strip(),
        customer_number=f[_ZAK].strip(),
        number=f[_CISLO].strip(),
        variable_symbol=f[_VS].strip(),
        supply_point_id=supply_point_id.strip() or None if supply_point_id else None,
        issue_date=legacy_date(f[_VYST]),
        due_date=legacy_date(f[_SPLAT]),
        total=_money(f[_CASTKA]),
        amount_due=_money(f[_K_UHRADE]),
        status=STATUS_BY_CODE[int(f[_STAV])],
        document_id=document_id.strip() or None if document_id else None,
    )


def invoice_list_from(answer: etree._Element) -> InvoicePage:
    """``GetInvoiceListResponse`` -> a page (``total_count`` is the back end's CELKEM)."""

    def build() -> InvoicePage:
        total = answer.findtext(_q("CELKEM"))
        if total is None:
            raise ValueError("missing CELKEM")
        invoices = tuple(invoice_from(node) for node in answer.iterchildren(_q("FAKTURA")))
        return InvoicePage(invoices=invoices, total_count=int(total))

    return mapped(BACKEND, "invoice list", build)


def _plan_from(node: etree._Element) -> DepositPlan:
    f = _fields(node)
    items = []
    for entry in node.iterchildren(_q("POLOZKA")):
        g = _fields(entry)
        items.append(
            DepositItem(
                due_date=legacy_date(_str(g, "DAT_SPLAT")),
                amount=_money(_str(g, "CASTKA")),
                paid={"A": True, "N": False}[_str(g, "UHRAZENO")],
                variable_symbol=_str(g, "VAR_SYM"),
            )
        )
    return DepositPlan(
        id=_str(f, "PLAN_ID"),
        customer_number=_str(f, "ZAK_CISLO"),
        supply_point_id=_str(f, "OM_ID"),
        frequency=FREQUENCY_BY_CODE[_str(f, "PERIODA")],
        payment_method=METHOD_BY_CODE[int(_str(f, "ZPUSOB_PLATBY"))],
        bank_account=_opt(f, "UCET"),
        minimum_amount=_money(_str(f, "MIN_CASTKA")),
        items=tuple(items),
        document_id=_opt(f, "DOK_ID"),
    )


def _payment_from(node: etree._Element) -> Payment:
    f = _fields(node)
    return Payment(
        id=_str(f, "PLATBA_ID"),
        customer_number=_str(f, "ZAK_CISLO"),
        direction=DIRECTION_BY_CODE[_str(f, "SMER")],
        date=legacy_date(_str(f, "DATUM")),
        amount=_money(_str(f, "CASTKA")),
        variable_symbol=_str(f, "VAR_SYM"),
        method=METHOD_BY_CODE[int(_str(f, "ZPUSOB_PLATBY"))],
        invoice_id=_opt(f, "FAK_ID"),
    )


def _reminder_from(node: etree._Element) -> Reminder:
    f = _fields(node)
    return Reminder(
        id=_str(f, "UPOM_ID"),
        customer_number=_str(f, "ZAK_CISLO"),
        level=int(_str(f, "STUPEN")),
        issue_date=legacy_date(_str(f, "DAT_VYST")),
        amount=_money(_str(f, "CASTKA")),
        fee=_money(_str(f, "POPLATEK")),
        invoice_ids=tuple((n.text or "").strip() for n in node.iterchildren(_q("FAK_ID"))),
        document_id=_opt(f, "DOK_ID"),
        new_due_date=legacy_date(deadline) if (deadline := _opt(f, "NOVA_SPLATNOST")) else None,
    )


def _document_from(node: etree._Element) -> Document:
    f = _fields(node)
    return Document(
        id=_str(f, "DOK_ID"),
        customer_number=_str(f, "ZAK_CISLO"),
        file_name=_str(f, "NAZEV"),
        content=base64.b64decode(_str(f, "OBSAH"), validate=True),
        media_type=_str(f, "TYP"),
    )


def _filters(query: InvoiceQuery) -> dict[str, Any] | None:
    filters: dict[str, Any] = {}
    if query.statuses:
        filters["STAV"] = [CODE_BY_STATUS[s] for s in query.statuses]
    if query.amount_from is not None:
        filters["CASTKA_OD"] = legacy_decimal_text(query.amount_from, places=2)
    if query.amount_to is not None:
        filters["CASTKA_DO"] = legacy_decimal_text(query.amount_to, places=2)
    if query.due_from is not None:
        filters["SPLAT_OD"] = f"{query.due_from:%Y%m%d}"
    if query.due_to is not None:
        filters["SPLAT_DO"] = f"{query.due_to:%Y%m%d}"
    if query.supply_point_id is not None:
        filters["OM_ID"] = query.supply_point_id
    return filters or None


def back_end_pages(offset: int, limit: int) -> list[tuple[int, int]]:
    """(OFFSET, POCET) calls that cover ``limit`` invoices from ``offset``; at least one, for CELKEM."""
    if limit <= 0:
        return [(offset, 1)]
    return [
        (start, min(PAGE_CAP, offset + limit - start)) for start in range(offset, offset + limit, PAGE_CAP)
    ]


# -- the adapter ---------------------------------------------------------------------------


class SoapBilling:
    """``BillingBackend`` on the billing system's SOAP service at ``address``.

    ``http`` belongs to the app, which closes it; its timeout is the calls' timeout.
    """

    def __init__(self, *, http: httpx.AsyncClient, address: str, username: str, password: str) -> None:
        self._soap = SoapService(SOAP, http=http, address=address, username=username, password=password)

    async def _or_none(self, call: Awaitable[T]) -> T | None:
        try:
            return await call
        except UnknownObjectError:
            return None

    # -- invoices

    async def invoice_pages(self, queries: Sequence[InvoiceQuery]) -> list[InvoicePage]:
        calls = [
            [(query, start, size) for start, size in back_end_pages(query.offset, query.limit)]
            for query in queries
        ]
        flat = [call for per_query in calls for call in per_query]
        pages = await asyncio.gather(*(self._or_none(self._invoice_list(*call)) for call in flat))
        result: list[InvoicePage] = []
        position = 0
        for query, per_query in zip(queries, calls, strict=True):
            parts = pages[position : position + len(per_query)]
            position += len(per_query)
            if any(part is None for part in parts):
                result.append(InvoicePage(invoices=(), total_count=0))
                continue
            invoices = tuple(inv for part in parts if part is not None for inv in part.invoices)
            first = parts[0]
            assert first is not None
            result.append(
                InvoicePage(invoices=invoices[: max(query.limit, 0)], total_count=first.total_count)
            )
        return result

    async def _invoice_list(self, query: InvoiceQuery, offset: int, size: int) -> InvoicePage:
        params: dict[str, Any] = {"ZAK_CISLO": query.customer_number, "OFFSET": offset, "POCET": size}
        filters = _filters(query)
        if filters is not None:
            params["FILTR"] = filters
        return invoice_list_from(await self._soap.call("GetInvoiceList", **params))

    async def invoices_by_id(self, ids: Sequence[str]) -> list[Invoice | None]:
        wanted = list(dict.fromkeys(ids))
        chunks = [wanted[i : i + BATCH_CAP] for i in range(0, len(wanted), BATCH_CAP)]
        answers = await asyncio.gather(
            *(self._soap.call("GetInvoicesById", FAK_ID=chunk) for chunk in chunks)
        )
        invoices = mapped(BACKEND, "invoice", lambda: [invoice_from(n) for answer in answers for n in answer])
        found = {invoice.id: invoice for invoice in invoices}
        return [found.get(invoice_id) for invoice_id in ids]

    # -- per customer

    async def _per_customer(
        self, operation: str, customer_numbers: Sequence[str], item: Callable[[etree._Element], T]
    ) -> list[list[T]]:
        async def one(number: str) -> list[T]:
            answer = await self._or_none(self._soap.call(operation, ZAK_CISLO=number))
            if answer is None:
                return []
            return mapped(BACKEND, operation, lambda: [item(node) for node in answer])

        return list(await asyncio.gather(*(one(number) for number in customer_numbers)))

    async def deposit_plans(self, customer_numbers: Sequence[str]) -> list[list[DepositPlan]]:
        return await self._per_customer("GetDepositPlans", customer_numbers, _plan_from)

    async def payments(self, customer_numbers: Sequence[str]) -> list[list[Payment]]:
        return await self._per_customer("GetPayments", customer_numbers, _payment_from)

    async def reminders(self, customer_numbers: Sequence[str]) -> list[list[Reminder]]:
        return await self._per_customer("GetReminders", customer_numbers, _reminder_from)

    # -- documents

    async def documents(self, ids: Sequence[str]) -> list[Document | None]:
        async def one(document_id: str) -> Document | None:
            answer = await self._or_none(self._soap.call("GetDocument", DOK_ID=document_id))
            if answer is None:
                return None
            node = answer.find(_q("DOKUMENT"))
            if node is None:
                raise BackendProtocolError(BACKEND)
            return mapped(BACKEND, "document", lambda: _document_from(node))

        return list(await asyncio.gather(*(one(document_id) for document_id in ids)))

    # -- changes (online requests carried out at once)

    async def change_deposit_amount(self, *, plan_id: str, amount: Decimal) -> DepositPlan:
        """The plan with its future deposits at ``amount``. ``BackendRejected`` outside the allowed range."""
        return await self._changed_plan(
            "ChangeDepositAmount", PLAN_ID=plan_id, CASTKA=legacy_decimal_text(amount, places=2)
        )

    async def change_deposit_frequency(
        self, *, plan_id: str, frequency: DepositFrequency, amount: Decimal | None = None
    ) -> DepositPlan:
        params: dict[str, Any] = {"PLAN_ID": plan_id, "PERIODA": CODE_BY_FREQUENCY[frequency]}
        if amount is not None:
            params["CASTKA"] = legacy_decimal_text(amount, places=2)
        return await self._changed_plan("ChangeDepositFrequency", **params)

    async def change_payment_method(
        self, *, plan_id: str, method: PaymentMethod, bank_account: str | None = None
    ) -> DepositPlan:
        params: dict[str, Any] = {"PLAN_ID": plan_id, "ZPUSOB_PLATBY": CODE_BY_METHOD[method]}
        if bank_account is not None:
            params["UCET"] = bank_account
        return await self._changed_plan("ChangePaymentMethod", **params)

    async def _changed_plan(self, operation: str, **params: Any) -> DepositPlan:
        try:
            answer = await self._soap.call(operation, **params)
        except UnknownObjectError:
            raise NotFound() from None
        node = answer.find(_q("ZAL_PLAN"))
        if node is None:
            raise BackendProtocolError(BACKEND)
        return mapped(BACKEND, "deposit plan", lambda: _plan_from(node))

    async def ping(self) -> None:
        answer = await self._soap.call("Ping")
        if answer.findtext(_q("STAV")) != "OK":
            raise BackendUnavailable(BACKEND)
