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
    AgingBucket,
    AgingTotal,
    ConsumptionGranularity,
    ConsumptionPeriod,
    DepositFrequency,
    DepositItem,
    DepositPlan,
    Document,
    Invoice,
    InvoiceDetail,
    InvoiceKind,
    InvoiceLine,
    InvoiceLineKind,
    InvoicePage,
    InvoiceQuery,
    InvoiceStatus,
    MeterReading,
    MeterUnit,
    OverdueInvoice,
    OverdueInvoicePage,
    OverdueInvoiceQuery,
    OverdueOrder,
    Payment,
    PaymentDirection,
    PaymentMethod,
    ReadingType,
    Receivables,
    ReceivablesSummary,
    RegisterConsumption,
    Reminder,
    StatusTotal,
    VatSummaryLine,
)
from gateway.domain.customers import Segment
from gateway.domain.money import Money
from gateway.domain.supply_points import RegisterKind
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
SEGMENT_BY_CODE = {"MO": Segment.HOUSEHOLD, "MP": Segment.BUSINESS, "VO": Segment.LARGE}
CODE_BY_SEGMENT = {segment: code for code, segment in SEGMENT_BY_CODE.items()}
CODE_BY_ORDER = {
    OverdueOrder.DAYS_OVERDUE_DESC: "DNY_SESTUPNE",
    OverdueOrder.DAYS_OVERDUE_ASC: "DNY_VZESTUPNE",
    OverdueOrder.AMOUNT_DESC: "CASTKA_SESTUPNE",
    OverdueOrder.AMOUNT_ASC: "CASTKA_VZESTUPNE",
}
BUCKET_BY_RANGE = {
    (1, 30): AgingBucket.DAYS_1_30,
    (31, 60): AgingBucket.DAYS_31_60,
    (61, 90): AgingBucket.DAYS_61_90,
    (91, None): AgingBucket.DAYS_OVER_90,
}

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
_SPOTREBA, _POL, _REKAP = (f"{{{NS}}}{name}" for name in ("SPOTREBA", "POL", "REKAP_DPH"))

KIND_BY_CODE = {
    "R": InvoiceKind.REGULAR,
    "V": InvoiceKind.SETTLEMENT,
    "O": InvoiceKind.CORRECTIVE,
    "Z": InvoiceKind.DEPOSIT_SCHEDULE,
}
REGISTER_BY_CODE = {"VT": RegisterKind.HIGH_TARIFF, "NT": RegisterKind.LOW_TARIFF, "JT": RegisterKind.SINGLE}
UNIT_BY_CODE = {"kWh": MeterUnit.KWH, "m3": MeterUnit.CUBIC_METRE}
LINE_KIND_BY_CODE = {
    "EN": InvoiceLineKind.ENERGY,
    "DI": InvoiceLineKind.DISTRIBUTION,
    "SS": InvoiceLineKind.SYSTEM_SERVICES,
    "PO": InvoiceLineKind.FEES,
    "ZA": InvoiceLineKind.DEPOSITS,
}
READING_TYPE_BY_CODE = {"A": ReadingType.ACTUAL, "S": ReadingType.SELF_READING, "O": ReadingType.ESTIMATED}
GRANULARITY_BY_CODE = {"M": ConsumptionGranularity.MONTH, "F": ConsumptionGranularity.BILLING_PERIOD}


def _comma_decimal(value: str) -> Decimal:
    if not value or not all(c.isdigit() or c in ",-" for c in value):
        raise ValueError(f"not a legacy number: {value!r}")
    return Decimal(value.replace(",", "."))


def _consumption_from(node: etree._Element) -> RegisterConsumption:
    f = _fields(node)
    heat = _opt(f, "SPAL_TEPLO")
    return RegisterConsumption(
        register=REGISTER_BY_CODE[_str(f, "TARIF")],
        start_reading=int(_str(f, "STAV_OD")),
        end_reading=int(_str(f, "STAV_DO")),
        quantity=int(_str(f, "MNOZSTVI")),
        unit=UNIT_BY_CODE[_str(f, "JEDNOTKA")],
        kwh=int(_str(f, "MNOZSTVI_KWH")),
        combustion_heat=_comma_decimal(heat) if heat is not None else None,
    )


def _line_from(node: etree._Element) -> InvoiceLine:
    f = _fields(node)
    register, price, rate = _opt(f, "TARIF"), _opt(f, "CENA_MJ"), _opt(f, "SAZBA_DPH")
    return InvoiceLine(
        kind=LINE_KIND_BY_CODE[_str(f, "TYP_POL")],
        description=_str(f, "TEXT"),
        register=REGISTER_BY_CODE[register] if register is not None else None,
        quantity=_comma_decimal(_str(f, "MNOZSTVI")),
        unit=_str(f, "MJ"),
        unit_price=Money(_comma_decimal(price)) if price is not None else None,
        net=_money(_str(f, "CASTKA_BEZ_DPH")),
        vat_rate=int(rate) if rate is not None else None,
    )


def _vat_from(node: etree._Element) -> VatSummaryLine:
    f = _fields(node)
    line = VatSummaryLine(
        rate=int(_str(f, "SAZBA_DPH")),
        base=_money(_str(f, "ZAKLAD")),
        vat=_money(_str(f, "DPH")),
        total=_money(_str(f, "CELKEM")),
    )
    if line.base.amount + line.vat.amount != line.total.amount:
        raise ValueError("REKAP_DPH: base + VAT is not the total")
    return line


def detail_from(node: etree._Element) -> InvoiceDetail:
    """One ``DETAIL`` of a ``GetInvoiceDetail`` reply."""
    f = _fields(node)
    paid = _opt(f, "DAT_UHR")
    return InvoiceDetail(
        invoice_id=_str(f, "FAK_ID"),
        customer_number=_str(f, "ZAK_CISLO"),
        kind=KIND_BY_CODE[_str(f, "DRUH")],
        period_from=legacy_date(_str(f, "OBD_OD")),
        period_to=legacy_date(_str(f, "OBD_DO")),
        taxable_supply_date=legacy_date(_str(f, "DUZP")),
        net=_money(_str(f, "CASTKA_BEZ_DPH")),
        vat=_money(_str(f, "DPH")),
        deposits_deducted=_money(_str(f, "ZALOHY")),
        balance=_money(_str(f, "VYSLEDEK")),
        paid_on=legacy_date(paid) if paid is not None else None,
        consumption=tuple(_consumption_from(n) for n in node.iterchildren(_SPOTREBA)),
        lines=tuple(_line_from(n) for n in node.iterchildren(_POL)),
        vat_summary=tuple(_vat_from(n) for n in node.iterchildren(_REKAP)),
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


def reading_from(node: etree._Element) -> MeterReading:
    f = _fields(node)
    return MeterReading(
        supply_point_id=_str(f, "OM_ID"),
        date=legacy_date(_str(f, "DAT_ODECTU")),
        register=REGISTER_BY_CODE[_str(f, "TARIF")],
        value=int(_str(f, "STAV")),
        unit=UNIT_BY_CODE[_str(f, "JEDNOTKA")],
        type=READING_TYPE_BY_CODE[_str(f, "TYP_ODECTU")],
    )


def consumption_from(node: etree._Element) -> ConsumptionPeriod:
    f = _fields(node)
    return ConsumptionPeriod(
        supply_point_id=_str(f, "OM_ID"),
        granularity=GRANULARITY_BY_CODE[_str(f, "OBDOBI_TYP")],
        period_from=legacy_date(_str(f, "OBD_OD")),
        period_to=legacy_date(_str(f, "OBD_DO")),
        register=REGISTER_BY_CODE[_str(f, "TARIF")],
        quantity=int(_str(f, "MNOZSTVI")),
        unit=UNIT_BY_CODE[_str(f, "JEDNOTKA")],
        kwh=int(_str(f, "MNOZSTVI_KWH")),
        estimated={"A": True, "N": False}[_str(f, "ODHAD")],
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
        sipo_number=_opt(f, "SPOJ_CISLO"),
        next_settlement=legacy_date(settlement) if (settlement := _opt(f, "DAT_VYUCT")) else None,
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


def _overdue_item_from(node: etree._Element) -> OverdueInvoice:
    f = _fields(node)
    if _str(f, "MENA") != "CZK":
        raise ValueError("not CZK")
    return OverdueInvoice(
        invoice_id=_str(f, "FAK_ID"),
        invoice_number=_str(f, "FAK_CISLO"),
        customer_number=_str(f, "ZAK_CISLO"),
        customer_name=_str(f, "NAZEV"),
        segment=SEGMENT_BY_CODE[_str(f, "SEGMENT")],
        due_date=legacy_date(_str(f, "DAT_SPLAT")),
        days_overdue=int(_str(f, "DNU_PO_SPLATNOSTI")),
        amount_due=_money(_str(f, "K_UHRADE")),
    )


def overdue_page_from(answer: etree._Element) -> OverdueInvoicePage:
    """``GetOverdueInvoicesResponse`` -> a page with the whole selection's count and sum."""

    def build() -> OverdueInvoicePage:
        f = _fields(answer)
        return OverdueInvoicePage(
            items=tuple(_overdue_item_from(node) for node in answer.iterchildren(_q("POLOZKA"))),
            total_count=int(_str(f, "CELKEM")),
            total_amount_due=_money(_str(f, "CELKEM_K_UHRADE")),
            as_of=legacy_date(_str(f, "K_DATU")),
        )

    return mapped(BACKEND, "overdue invoices", build)


def _summary_from(node: etree._Element) -> ReceivablesSummary:
    f = _fields(node)
    by_status = []
    for entry in node.iterchildren(_q("STAV_SOUHRN")):
        g = _fields(entry)
        by_status.append(
            StatusTotal(
                status=STATUS_BY_CODE[int(_str(g, "STAV"))],
                count=int(_str(g, "POCET")),
                total=_money(_str(g, "CASTKA")),
                amount_due=_money(_str(g, "K_UHRADE")),
            )
        )
    aging = []
    for entry in node.iterchildren(_q("PASMO")):
        g = _fields(entry)
        high = _opt(g, "DNU_DO")
        bucket = BUCKET_BY_RANGE[(int(_str(g, "DNU_OD")), int(high) if high is not None else None)]
        aging.append(
            AgingTotal(bucket=bucket, count=int(_str(g, "POCET")), amount_due=_money(_str(g, "K_UHRADE")))
        )
    return ReceivablesSummary(
        outstanding=_money(_str(f, "NEUHRAZENO")),
        overdue=_money(_str(f, "PO_SPLATNOSTI")),
        overdue_count=int(_str(f, "POCET_PO_SPLATNOSTI")),
        by_status=tuple(by_status),
        aging=tuple(aging),
    )


def receivables_from(answer: etree._Element) -> Receivables:
    """``GetReceivablesSummaryResponse``: the SOUHRN without SEGMENT is the total."""

    def build() -> Receivables:
        total: ReceivablesSummary | None = None
        segments: list[tuple[Segment, ReceivablesSummary]] = []
        for node in answer.iterchildren(_q("SOUHRN")):
            code = _opt(_fields(node), "SEGMENT")
            if code is None:
                total = _summary_from(node)
            else:
                segments.append((SEGMENT_BY_CODE[code], _summary_from(node)))
        if total is None:
            raise ValueError("no SOUHRN for all customers")
        return Receivables(
            as_of=legacy_date(_str(_fields(answer), "K_DATU")), total=total, by_segment=tuple(segments)
        )

    return mapped(BACKEND, "receivables summary", build)


def _overdue_filters(query: OverdueInvoiceQuery) -> dict[str, Any] | None:
    filters: dict[str, Any] = {}
    if query.min_days_overdue is not None:
        filters["DNU_OD"] = query.min_days_overdue
    if query.max_days_overdue is not None:
        filters["DNU_DO"] = query.max_days_overdue
    if query.segment is not None:
        filters["SEGMENT"] = CODE_BY_SEGMENT[query.segment]
    if query.min_amount_due is not None:
        filters["CASTKA_OD"] = legacy_decimal_text(query.min_amount_due, places=2)
    return filters or None


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

    async def invoice_details(self, ids: Sequence[str]) -> list[InvoiceDetail | None]:
        """Lines, consumption and VAT summary: one call per 100 invoices, asked only when shown."""
        wanted = list(dict.fromkeys(ids))
        chunks = [wanted[i : i + BATCH_CAP] for i in range(0, len(wanted), BATCH_CAP)]
        answers = await asyncio.gather(
            *(self._soap.call("GetInvoiceDetail", FAK_ID=chunk) for chunk in chunks)
        )
        details = mapped(BACKEND, "invoice detail", lambda: [detail_from(n) for a in answers for n in a])
        found = {detail.invoice_id: detail for detail in details}
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

    # -- meters

    async def _per_point(
        self, operation: str, point_ids: Sequence[str], item: Callable[[etree._Element], tuple[str, T]]
    ) -> list[list[T]]:
        """One call per 100 supply points; results per point, in order; none for an unknown point."""
        wanted = list(dict.fromkeys(point_ids))
        chunks = [wanted[i : i + BATCH_CAP] for i in range(0, len(wanted), BATCH_CAP)]
        answers = await asyncio.gather(*(self._soap.call(operation, OM_ID=chunk) for chunk in chunks))
        values = mapped(BACKEND, operation, lambda: [item(node) for answer in answers for node in answer])
        found: dict[str, list[T]] = {point_id: [] for point_id in wanted}
        for point_id, value in values:
            if point_id in found:
                found[point_id].append(value)
        return [found[point_id] for point_id in point_ids]

    async def meter_readings(self, supply_point_ids: Sequence[str]) -> list[list[MeterReading]]:
        return await self._per_point(
            "GetMeterReadings", supply_point_ids, lambda n: ((r := reading_from(n)).supply_point_id, r)
        )

    async def consumption(self, supply_point_ids: Sequence[str]) -> list[list[ConsumptionPeriod]]:
        return await self._per_point(
            "GetConsumption", supply_point_ids, lambda n: ((c := consumption_from(n)).supply_point_id, c)
        )

    # -- across customers (finance worklists)

    async def overdue_invoices(self, query: OverdueInvoiceQuery) -> OverdueInvoicePage:
        """Billing's own pages (50 at most a call): one call per 50 items asked for."""
        params: dict[str, Any] = {"RAZENI": CODE_BY_ORDER[query.order]}
        filters = _overdue_filters(query)
        if filters is not None:
            params["FILTR"] = filters

        async def one(offset: int, size: int) -> OverdueInvoicePage:
            answer = await self._soap.call("GetOverdueInvoices", OFFSET=offset, POCET=size, **params)
            return overdue_page_from(answer)

        parts = await asyncio.gather(
            *(one(start, size) for start, size in back_end_pages(query.offset, query.limit))
        )
        items = tuple(item for part in parts for item in part.items)
        first = parts[0]
        return OverdueInvoicePage(
            items=items[: max(query.limit, 0)],
            total_count=first.total_count,
            total_amount_due=first.total_amount_due,
            as_of=first.as_of,
        )

    async def receivables(self) -> Receivables:
        return receivables_from(await self._soap.call("GetReceivablesSummary"))

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

    # -- whose document

    async def customers_by_variable_symbol(self, symbols: Sequence[str]) -> list[str | None]:
        return await self._owners("VAR_SYM", symbols)

    async def customers_by_invoice_number(self, numbers: Sequence[str]) -> list[str | None]:
        return await self._owners("FAK_CISLO", numbers)

    async def _owners(self, parameter: str, keys: Sequence[str]) -> list[str | None]:
        """One FindCustomer per distinct key, concurrently; fault 2002 (no such document): ``None``."""
        unique = list(dict.fromkeys(keys))

        async def one(key: str) -> str | None:
            answer = await self._or_none(self._soap.call("FindCustomer", **{parameter: key}))
            if answer is None:
                return None
            node = answer.find(_q("NALEZ"))
            if node is None:
                raise BackendProtocolError(BACKEND)
            return mapped(BACKEND, "document owner", lambda: _str(_fields(node), "ZAK_CISLO"))

        found = dict(zip(unique, await asyncio.gather(*(one(key) for key in unique)), strict=True))
        return [found[key] for key in keys]

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
        self,
        *,
        plan_id: str,
        method: PaymentMethod,
        bank_account: str | None = None,
        sipo_number: str | None = None,
    ) -> DepositPlan:
        params: dict[str, Any] = {"PLAN_ID": plan_id, "ZPUSOB_PLATBY": CODE_BY_METHOD[method]}
        if bank_account is not None:
            params["UCET"] = bank_account
        if sipo_number is not None:
            params["SPOJ_CISLO"] = sipo_number
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
