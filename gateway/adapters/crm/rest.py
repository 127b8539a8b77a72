"""``CrmBackend`` over the CRM's legacy REST/JSON API, with a shared ``httpx.AsyncClient``.

The app owns the client (its lifespan creates and closes it; timeouts are set on it).
Everything legacy stops here: field names such as ``ZAK_CISLO``, ``YYYYMMDD`` dates,
comma decimals, numeric codes. Failures leave as ``gateway.errors`` only:

    refused, timed out, 5xx, 408, 429        BackendUnavailable("crm")   retried, counts for the breaker
    400, 413, 414, 422 (values refused)      BackendRejected("crm")      BAD_USER_INPUT; neither
    409 (request already closed)             BackendRejected("crm"), saying so
    404 on a read / on a write               None / NotFound
    malformed JSON, unexpected shape,        BackendProtocolError("crm")  (401/403: logged as
      any other 4xx                                                         misconfiguration)

Batches cost as few calls as the API allows: the batch endpoints take 50 keys a call;
per-customer lists are fetched concurrently, and their further pages concurrently too.
"""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import logging
import re
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar
from urllib.parse import quote
from zoneinfo import ZoneInfo

import httpx

from gateway.domain.contact import ContactDetailsChange
from gateway.domain.customer_search import CustomerSearch, CustomerSearchPage
from gateway.domain.customers import Address, Customer, Segment
from gateway.domain.messages import Message, MessageKind
from gateway.domain.requests import (
    CustomerRequest,
    DocumentUpload,
    NewRequest,
    QueuedRequest,
    RequestDocument,
    RequestHistoryEntry,
    RequestKind,
    RequestQueuePage,
    RequestQueueQuery,
    RequestState,
    RequestUpdate,
)
from gateway.domain.supply_points import (
    BillingCycle,
    BillingDetails,
    Commodity,
    ContractType,
    Correspondence,
    ElectricityTechnicalData,
    GasTechnicalData,
    InvoiceDelivery,
    Meter,
    MeterRegister,
    MeterUnit,
    RegisterKind,
    SupplyPoint,
    TechnicalData,
    VoltageLevel,
)
from gateway.errors import BackendProtocolError, BackendRejected, BackendUnavailable, NotFound

logger = logging.getLogger(__name__)

BACKEND = "crm"
BATCH_SIZE = 50  # the most keys one batch call takes
PAGE_SIZE = 50  # the largest page the CRM serves
PRAGUE = ZoneInfo("Europe/Prague")
CUSTOMER_NUMBER = re.compile(r"\d{10}")
SUPPLY_POINT_ID = re.compile(r"\d{13}")
# "customer number, '-', sequence" (the CRM's OpenAPI): any other id names no request and is
# not put into a URL path (no "..", no encoded slashes, nothing the CRM must refuse).
REQUEST_ID = re.compile(r"\d{10}-\d{1,9}")
BREAKER = re.compile(r"([13])x(\d{1,4})")
VOLTAGES = {"NN": VoltageLevel.LOW, "VN": VoltageLevel.HIGH, "VVN": VoltageLevel.VERY_HIGH}
TRANSIENT_STATUSES = frozenset({408, 429})  # timed out, throttled: like a 5xx
REJECTED_STATUSES = frozenset({400, 413, 414, 422})  # the values sent: the caller's input

SEGMENTS = {1: Segment.HOUSEHOLD, 2: Segment.BUSINESS, 3: Segment.LARGE}
COMMODITIES = {"E": Commodity.ELECTRICITY, "P": Commodity.GAS}
CONTRACTS = {"SD": ContractType.COMBINED_SERVICES, "DO": ContractType.SUPPLY_ONLY}
TARIFF_BANDS = {0: RegisterKind.SINGLE, 1: RegisterKind.HIGH_TARIFF, 2: RegisterKind.LOW_TARIFF}
DELIVERIES = {1: InvoiceDelivery.PAPER, 2: InvoiceDelivery.EMAIL}
BILLING_CYCLES = {1: BillingCycle.MONTHLY, 3: BillingCycle.QUARTERLY, 12: BillingCycle.YEARLY}
REQUEST_KINDS = {
    1: RequestKind.CONTACT_CHANGE,
    2: RequestKind.DEPOSIT_CHANGE,
    3: RequestKind.PAYMENT_METHOD_CHANGE,
    4: RequestKind.BANK_DETAILS_CHANGE,
    5: RequestKind.SELF_READING,
    6: RequestKind.PRODUCT_CHANGE,
    7: RequestKind.BREAKER_OR_TARIFF_CHANGE,
    8: RequestKind.TRANSFER,
    9: RequestKind.TERMINATION,
    10: RequestKind.POWER_OF_ATTORNEY,
    99: RequestKind.OTHER,
}
REQUEST_KIND_CODES = {kind: code for code, kind in REQUEST_KINDS.items()}
REQUEST_STATES = {
    10: RequestState.OPEN,
    20: RequestState.IN_PROGRESS,
    30: RequestState.RESOLVED,
    40: RequestState.REJECTED,
    50: RequestState.CANCELLED,
}
REQUEST_STATE_CODES = {state: code for code, state in REQUEST_STATES.items()}
MESSAGE_KINDS = {"M": MessageKind.MARKETING, "N": MessageKind.PRODUCT_NEWS, "O": MessageKind.NOTICE}

Record = Mapping[str, object]
T = TypeVar("T")
V = TypeVar("V")


class MalformedError(Exception):
    """The CRM's answer does not have the shape this adapter knows."""


# --- reading legacy records -------------------------------------------------------------


def record(value: object) -> Record:
    if not isinstance(value, Mapping) or not all(isinstance(k, str) for k in value):
        raise MalformedError("expected an object")
    return value


def records(parent: Record, key: str) -> list[Record]:
    value = parent.get(key)
    if not isinstance(value, list):
        raise MalformedError(f"{key}: expected a list")
    return [record(item) for item in value]


def text(parent: Record, key: str) -> str:
    value = parent.get(key)
    if not isinstance(value, str):
        raise MalformedError(f"{key}: expected a string")
    return value


def optional_text(parent: Record, key: str) -> str | None:
    return text(parent, key).strip() or None


def integer(parent: Record, key: str) -> int:
    value = parent.get(key)
    if not isinstance(value, int) or isinstance(value, bool):
        raise MalformedError(f"{key}: expected an integer")
    return value


def coded(parent: Record, key: str, codes: Mapping[Any, V]) -> V:
    value = parent.get(key)
    if not isinstance(value, str | int) or isinstance(value, bool) or value not in codes:
        raise MalformedError(f"{key}: unknown code")
    return codes[value]


def legacy_date(value: str) -> dt.date | None:
    """``"20261126"``; empty means none."""
    if not value:
        return None
    return dt.datetime.strptime(value, "%Y%m%d").date()


def legacy_moment(value: str) -> dt.datetime:
    """``"20261126101500"`` in Prague time."""
    return dt.datetime.strptime(value, "%Y%m%d%H%M%S").replace(tzinfo=PRAGUE)


def comma_decimal(value: str) -> Decimal:
    """``"3,15"`` -> ``Decimal("3.15")``."""
    if not re.fullmatch(r"-?\d+(,\d+)?", value):
        raise MalformedError("expected a decimal with a comma")
    return Decimal(value.replace(",", "."))


def postcode(value: str) -> str:
    """``"110 00"`` -> ``"11000"``."""
    compact = value.replace(" ", "")
    if not re.fullmatch(r"\d{5}", compact):
        raise MalformedError("expected a postcode")
    return compact


def phone(value: str) -> str | None:
    """``"601 123 456"`` -> ``"+420601123456"``."""
    digits = value.replace(" ", "").removeprefix("+420")
    if not digits:
        return None
    if not re.fullmatch(r"\d{9}", digits):
        raise MalformedError("expected a phone number")
    return "+420" + digits


def address(r: Record) -> Address:
    return Address(
        street=text(r, "ADR_ULICE"),
        house_number=text(r, "ADR_CP"),
        city=text(r, "ADR_OBEC"),
        postcode=postcode(text(r, "ADR_PSC")),
    )


def to_customer(r: Record) -> Customer:
    return Customer(
        number=text(r, "ZAK_CISLO"),
        name=text(r, "NAZEV"),
        segment=coded(r, "SEGMENT", SEGMENTS),
        permanent_address=address(r),
        email=optional_text(r, "EMAIL"),
        phone=phone(text(r, "TELEFON")),
        ico=optional_text(r, "ICO"),
        vat_id=optional_text(r, "DIC"),
        bank_account=optional_text(r, "BANK_UCET"),
    )


def whole_kwh(value: str) -> int:
    """``"12345,6"`` -> ``12345``: the meter shows whole kWh; the CRM keeps a decimal place."""
    reading = comma_decimal(value)
    if reading < 0:
        raise MalformedError("expected a non-negative reading")
    return int(reading)  # truncates, as the meter's display does


def to_register(r: Record, unit: MeterUnit) -> MeterRegister:
    read_on = legacy_date(text(r, "DAT_POSL_STAVU"))
    if read_on is None:
        raise MalformedError("DAT_POSL_STAVU: expected a date")
    return MeterRegister(
        code=text(r, "KOD_REG"),
        kind=coded(r, "TARIF", TARIFF_BANDS),
        last_reading_kwh=whole_kwh(text(r, "POSL_STAV")),
        last_reading_date=read_on,
        unit=unit,
    )


def to_meter(r: Record, commodity: Commodity) -> Meter | None:
    """``None`` without registers: on supply-only contracts the distributor holds the meter data.
    A gas meter's registers count m³, an electricity meter's kWh."""
    unit = MeterUnit.CUBIC_METRE if commodity is Commodity.GAS else MeterUnit.KWH
    registers = tuple(to_register(reg, unit) for reg in records(r, "REGISTRY"))
    if not registers:
        return None
    return Meter(number=text(r, "CISLO_PRISTROJE"), registers=registers)


def to_correspondence(r: Record) -> Correspondence:
    delivery = coded(r, "ZP_DORUC", DELIVERIES)
    email = optional_text(r, "EFA_EMAIL")
    return Correspondence(
        address=Address(
            street=text(r, "KOR_ULICE"),
            house_number=text(r, "KOR_CP"),
            city=text(r, "KOR_OBEC"),
            postcode=postcode(text(r, "KOR_PSC")),
        ),
        invoice_delivery=delivery,
        e_invoice_email=email if delivery is InvoiceDelivery.EMAIL else None,
    )


def to_billing_details(r: Record) -> BillingDetails:
    cycle = coded(r, "FAKT_CYKLUS", BILLING_CYCLES)
    month = integer(r, "FAKT_MESIC")
    if not 0 <= month <= 12:
        raise MalformedError("FAKT_MESIC: expected 0-12")
    return BillingDetails(
        cycle=cycle,
        billing_month=(month or None) if cycle is BillingCycle.YEARLY else None,
        invoice_recipient=text(r, "FAKT_PRIJEMCE"),
    )


def to_supply_point(r: Record) -> SupplyPoint:
    commodity = coded(r, "KOMODITA", COMMODITIES)
    contract = coded(r, "TYP_SMLOUVY", CONTRACTS)
    annual_kwh = int(comma_decimal(text(r, "ROCNI_SPOTREBA_MWH")) * 1000)
    technical: TechnicalData | None = None
    if contract is ContractType.COMBINED_SERVICES:
        last, following = legacy_date(text(r, "DAT_ODECTU")), legacy_date(text(r, "DAT_DALSIHO_ODECTU"))
        if commodity is Commodity.ELECTRICITY:
            voltage = VOLTAGES.get(str(r.get("NAPETI") or "NN"))
            if voltage is None:
                raise MalformedError("NAPETI: expected NN, VN or VVN")
            capacity: int | None = None
            if voltage is VoltageLevel.LOW:
                breaker = BREAKER.fullmatch(text(r, "HL_JISTIC"))
                if breaker is None:
                    raise MalformedError("HL_JISTIC: expected phases x amps")
                amps, phases, tariff = int(breaker[2]), int(breaker[1]), text(r, "DS")
            else:  # high voltage: reserved capacity instead of a breaker, no D/C tariff
                kw = text(r, "REZ_KAP_KW")
                if not kw.isdigit():
                    raise MalformedError("REZ_KAP_KW: expected kW")
                amps, phases, tariff, capacity = None, 3, None, int(kw)
            technical = ElectricityTechnicalData(
                main_breaker_amps=amps,
                phases=phases,
                distribution_tariff=tariff,
                voltage_level=voltage,
                reserved_capacity_kw=capacity,
                meter_number=text(r, "CISLO_PRISTROJE"),
                expected_annual_consumption_kwh=annual_kwh,
                last_reading_date=last,
                next_reading_date=following,
            )
        else:
            technical = GasTechnicalData(
                meter_number=text(r, "CISLO_PRISTROJE"),
                consumption_band=text(r, "PASMO_SPOTREBY"),
                expected_annual_consumption_kwh=annual_kwh,
                last_reading_date=last,
                next_reading_date=following,
            )
    return SupplyPoint(
        id=text(r, "OM_ID"),
        customer_number=text(r, "ZAK_CISLO"),
        code=text(r, "KOD_OM"),
        commodity=commodity,
        contract_type=contract,
        address=address(r),
        product=text(r, "PRODUKT"),
        technical=technical,
        expected_annual_consumption_kwh=annual_kwh,
        correspondence=to_correspondence(r),
        billing=to_billing_details(r),
        meter=to_meter(r, commodity) if contract is ContractType.COMBINED_SERVICES else None,
    )


def to_state(r: Record) -> RequestState:
    return coded(r, "STAV", REQUEST_STATES)


def to_request(r: Record) -> CustomerRequest:
    return CustomerRequest(
        id=text(r, "POZ_ID"),
        customer_number=text(r, "ZAK_CISLO"),
        kind=REQUEST_KINDS.get(integer(r, "TYP"), RequestKind.OTHER),
        state=to_state(r),
        created_at=legacy_moment(text(r, "DAT_VZNIKU")),
        updated_at=legacy_moment(text(r, "DAT_ZMENY")),
        supply_point_id=optional_text(r, "OM_ID"),
        summary=text(r, "POPIS"),
        history=tuple(
            RequestHistoryEntry(
                at=legacy_moment(text(h, "DATUM")), state=to_state(h), note=text(h, "POZNAMKA")
            )
            for h in records(r, "HISTORIE")
        ),
        documents=tuple(
            RequestDocument(
                file_name=text(d, "NAZEV"), content_type=text(d, "TYP"), size=integer(d, "VELIKOST")
            )
            for d in (records(r, "PRILOHY") if "PRILOHY" in r else ())
        ),
    )


def to_queued_request(r: Record) -> QueuedRequest:
    return QueuedRequest(request=to_request(r), customer_name=text(r, "ZAK_NAZEV"))


def queue_params(query: RequestQueueQuery) -> dict[str, str | int]:
    """The worklist's legacy parameters, without paging."""
    params: dict[str, str | int] = {"razeni": "DAT_VZNIKU" if query.oldest_first else "-DAT_VZNIKU"}
    if query.states:
        params["stav"] = ",".join(str(REQUEST_STATE_CODES[s]) for s in query.states)
    if query.kinds:
        params["typ"] = ",".join(str(REQUEST_KIND_CODES[k]) for k in query.kinds)
    if query.created_until is not None:
        params["do"] = query.created_until.strftime("%Y%m%d")
    return params


def documents_json(documents: Sequence[DocumentUpload]) -> list[dict[str, str]]:
    return [
        {"NAZEV": d.file_name, "TYP": d.content_type, "OBSAH": base64.b64encode(d.content).decode("ascii")}
        for d in documents
    ]


def to_message(r: Record) -> Message:
    read = text(r, "PRECTENO")
    if read not in ("A", "N"):
        raise MalformedError("PRECTENO: expected A or N")
    return Message(
        id=text(r, "ZPR_ID"),
        customer_number=text(r, "ZAK_CISLO"),
        kind=coded(r, "DRUH", MESSAGE_KINDS),
        subject=text(r, "PREDMET"),
        body=text(r, "TEXT"),
        sent_at=legacy_moment(text(r, "DAT_ODESLANI")),
        read=read == "A",
    )


def translate(convert: Callable[[Record], T], raw: Record, operation: str) -> T:
    try:
        return convert(raw)
    except (MalformedError, ValueError, InvalidOperation) as exc:
        logger.warning("crm %s: unexpected record shape: %s", operation, exc)
        raise BackendProtocolError(BACKEND) from exc


def chunks(items: Sequence[str], size: int) -> list[Sequence[str]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


# --- the adapter ------------------------------------------------------------------------


def _legacy_code(response: httpx.Response) -> str:
    """The numeric ``CHYBA.KOD`` of a CRM refusal, for the log; ``-`` without one. Never the
    body: its ``TEXT`` may quote what was sent (a customer's text, an e-mail, a phone)."""
    try:
        code = response.json()["CHYBA"]["KOD"]
    except (ValueError, KeyError, TypeError):
        return "-"
    return str(code) if isinstance(code, int) else "-"


class RestCrm:
    """``CrmBackend`` over HTTP. ``client`` is shared and owned by the caller."""

    def __init__(
        self, client: httpx.AsyncClient, *, base_url: str, api_key: str, page_size: int = PAGE_SIZE
    ) -> None:
        self._client = client
        self._page_size = page_size
        self._base_url = base_url.rstrip("/")
        self._headers = {"X-Api-Key": api_key, "Accept": "application/json"}

    async def _call(
        self,
        method: str,
        path: str,
        *,
        operation: str,
        params: Mapping[str, str | int] | None = None,
        body: object = None,
    ) -> Record | None:
        """The answer's JSON object; ``None`` when the CRM answers 404."""
        try:
            response = await self._client.request(
                method, self._base_url + path, params=params, json=body, headers=self._headers
            )
        except httpx.TransportError as exc:  # refused, reset, timed out
            logger.warning("crm %s: %s", operation, type(exc).__name__)
            raise BackendUnavailable(BACKEND) from exc
        except httpx.HTTPError as exc:
            logger.error("crm %s: %s", operation, type(exc).__name__)
            raise BackendProtocolError(BACKEND) from exc
        status = response.status_code
        if status >= 500 or status in TRANSIENT_STATUSES:
            logger.warning("crm %s: HTTP %d", operation, status)
            raise BackendUnavailable(BACKEND)
        if status in (401, 403):
            logger.error(
                "crm %s: HTTP %d, the CRM rejects the gateway's API key (check configuration)",
                operation,
                status,
            )
            raise BackendProtocolError(BACKEND)
        if status == 404:
            return None
        if status == 409:
            logger.info("crm %s: HTTP 409 (CHYBA.KOD %s)", operation, _legacy_code(response))
            raise BackendRejected(BACKEND, "The request is already closed and can no longer be changed.")
        if status in REJECTED_STATUSES:
            logger.info("crm %s: HTTP %d (CHYBA.KOD %s)", operation, status, _legacy_code(response))
            raise BackendRejected(BACKEND)
        if not 200 <= status < 300:
            logger.error("crm %s: HTTP %d (CHYBA.KOD %s)", operation, status, _legacy_code(response))
            raise BackendProtocolError(BACKEND)
        try:
            return record(response.json())
        except (ValueError, MalformedError) as exc:
            logger.warning("crm %s: the answer is not a JSON object", operation)
            raise BackendProtocolError(BACKEND) from exc

    async def _pages(self, path: str, key: str, operation: str) -> list[Record] | None:
        """Every item of a paged list, the further pages fetched concurrently; ``None`` on 404."""
        first = await self._call(
            "GET", path, operation=operation, params={"offset": 0, "limit": self._page_size}
        )
        if first is None:
            return None
        try:
            items = records(first, key)
            total, limit = integer(first, "CELKEM"), integer(first, "LIMIT")
            if limit < 1 or (total > len(items) and not items):
                raise MalformedError("paging does not advance")
        except MalformedError as exc:
            logger.warning("crm %s: unexpected paging: %s", operation, exc)
            raise BackendProtocolError(BACKEND) from exc
        offsets = range(len(items), total, limit)
        rest = await asyncio.gather(
            *(
                self._call("GET", path, operation=operation, params={"offset": o, "limit": limit})
                for o in offsets
            )
        )
        for page in rest:
            if page is None:  # vanished between pages
                raise BackendProtocolError(BACKEND)
            try:
                items.extend(records(page, key))
            except MalformedError as exc:
                raise BackendProtocolError(BACKEND) from exc
        return items

    async def _per_customer(
        self, numbers: Sequence[str], suffix: str, key: str, convert: Callable[[Record], T], operation: str
    ) -> list[list[T]]:
        unique = list(dict.fromkeys(n for n in numbers if CUSTOMER_NUMBER.fullmatch(n)))

        async def one(number: str) -> list[T]:
            raw = await self._pages(f"/api/v2/zakaznici/{number}/{suffix}", key, operation)
            return [translate(convert, r, operation) for r in raw or ()]

        found = dict(zip(unique, await asyncio.gather(*(one(n) for n in unique)), strict=True))
        return [list(found.get(n, ())) for n in numbers]

    async def _batch(
        self,
        keys: Sequence[str],
        *,
        pattern: re.Pattern[str],
        path: str,
        param: str,
        key: str,
        id_field: str,
        convert: Callable[[Record], T],
        operation: str,
    ) -> list[T | None]:
        unique = list(dict.fromkeys(k for k in keys if pattern.fullmatch(k)))

        async def call(chunk: Sequence[str]) -> list[Record]:
            answer = await self._call("GET", path, operation=operation, params={param: ",".join(chunk)})
            try:
                return records(answer or {}, key)
            except MalformedError as exc:
                raise BackendProtocolError(BACKEND) from exc

        found: dict[str, T] = {}
        for page in await asyncio.gather(*(call(c) for c in chunks(unique, BATCH_SIZE))):
            for raw in page:
                found[translate(lambda r: text(r, id_field), raw, operation)] = translate(
                    convert, raw, operation
                )
        return [found.get(k) for k in keys]

    # --- CrmBackend ---------------------------------------------------------------------

    async def customers(self, numbers: Sequence[str]) -> list[Customer | None]:
        return await self._batch(
            numbers,
            pattern=CUSTOMER_NUMBER,
            path="/api/v2/zakaznici",
            param="cisla",
            key="ZAKAZNICI",
            id_field="ZAK_CISLO",
            convert=to_customer,
            operation="customers",
        )

    async def search_customers(self, searches: Sequence[CustomerSearch]) -> list[CustomerSearchPage]:
        return list(await asyncio.gather(*(self._search(search) for search in searches)))

    async def _search(self, search: CustomerSearch) -> CustomerSearchPage:
        """``search``'s page as the CRM's pages of at most ``page_size`` (fetched concurrently)."""
        criteria = {
            name: value
            for name, value in (
                ("nazev", search.name),
                ("email", search.email),
                ("telefon", search.phone),
                ("ico", search.ico),
                ("kod_om", search.supply_point_code),
                ("ulice", search.street),
                ("obec", search.city),
            )
            if value
        }
        if not criteria:
            return CustomerSearchPage(customers=(), total=0, capped=False)
        windows = [
            (o, min(self._page_size, search.offset + search.limit - o))
            for o in range(search.offset, search.offset + search.limit, self._page_size)
        ] or [(search.offset, 1)]  # first: 0 still asks for the total
        answers = await asyncio.gather(
            *(
                self._call(
                    "GET",
                    "/api/v2/zakaznici/hledat",
                    operation="search customers",
                    params={**criteria, "offset": offset, "limit": limit},
                )
                for offset, limit in windows
            )
        )

        def build() -> CustomerSearchPage:
            customers: list[Customer] = []
            for answer in answers:
                customers.extend(to_customer(r) for r in records(answer or {}, "ZAKAZNICI"))
            first = answers[0] or {}
            capped = text(first, "OMEZENO")
            if capped not in ("A", "N"):
                raise MalformedError("OMEZENO: expected A or N")
            return CustomerSearchPage(
                customers=tuple(customers[: search.limit]),
                total=integer(first, "CELKEM"),
                capped=capped == "A",
            )

        return translate(lambda _: build(), {}, "search customers")

    async def supply_points_by_customer(self, numbers: Sequence[str]) -> list[list[SupplyPoint]]:
        return await self._per_customer(
            numbers, "odberna-mista", "ODBERNA_MISTA", to_supply_point, "supply points"
        )

    async def supply_points_by_id(self, ids: Sequence[str]) -> list[SupplyPoint | None]:
        return await self._batch(
            ids,
            pattern=SUPPLY_POINT_ID,
            path="/api/v2/odberna-mista",
            param="id",
            key="ODBERNA_MISTA",
            id_field="OM_ID",
            convert=to_supply_point,
            operation="supply points",
        )

    async def requests(self, customer_numbers: Sequence[str]) -> list[list[CustomerRequest]]:
        return await self._per_customer(customer_numbers, "pozadavky", "POZADAVKY", to_request, "requests")

    async def requests_by_id(self, ids: Sequence[str]) -> list[CustomerRequest | None]:
        unique = list(dict.fromkeys(i for i in ids if REQUEST_ID.fullmatch(i)))
        answers = await asyncio.gather(*(self._one_request("GET", i, "", "request") for i in unique))
        found = dict(zip(unique, answers, strict=True))
        return [found.get(i) for i in ids]

    async def request_queue(self, queries: Sequence[RequestQueueQuery]) -> list[RequestQueuePage]:
        return list(await asyncio.gather(*(self._queue_page(q) for q in queries)))

    async def _queue_page(self, query: RequestQueueQuery) -> RequestQueuePage:
        """The query's page from as many of the CRM's pages (at most 50 each) as it spans: the
        first tells the total, the rest are fetched concurrently."""
        operation = "request queue"
        params = queue_params(query)
        step = min(self._page_size, max(query.limit, 1))

        async def fetch(offset: int, limit: int) -> tuple[int, list[Record]]:
            answer = await self._call(
                "GET",
                "/api/v2/pozadavky",
                operation=operation,
                params={**params, "offset": offset, "limit": limit},
            )
            try:
                return integer(answer or {}, "CELKEM"), records(answer or {}, "POZADAVKY")
            except MalformedError as exc:
                logger.warning("crm %s: unexpected paging: %s", operation, exc)
                raise BackendProtocolError(BACKEND) from exc

        total, items = await fetch(query.offset, step)
        if query.limit == 0:
            items = []
        end = min(query.offset + query.limit, total)
        offsets = range(query.offset + len(items), end, step) if items else range(0)
        for _, more in await asyncio.gather(*(fetch(o, min(step, end - o)) for o in offsets)):
            items.extend(more)
        return RequestQueuePage(
            items=tuple(translate(to_queued_request, r, operation) for r in items[: query.limit]),
            total=total,
        )

    async def messages(self, customer_numbers: Sequence[str]) -> list[list[Message]]:
        return await self._per_customer(customer_numbers, "zpravy", "ZPRAVY", to_message, "messages")

    async def create_request(self, request: NewRequest) -> CustomerRequest:
        body = {
            "ZAK_CISLO": request.customer_number,
            "TYP": REQUEST_KIND_CODES[request.kind],
            "OM_ID": request.supply_point_id or "",
            "POPIS": request.summary,
        }
        if request.reference is not None:
            body["EXT_REF"] = request.reference
        if request.attributes:
            body["ATRIBUTY"] = dict(request.attributes)
        if request.documents:
            body["PRILOHY"] = documents_json(request.documents)
        answer = await self._call("POST", "/api/v2/pozadavky", operation="create request", body=body)
        if answer is None:
            raise NotFound()
        return translate(lambda a: to_request(record(a.get("POZADAVEK"))), answer, "create request")

    async def change_contact_details(self, customer_number: str, change: ContactDetailsChange) -> Customer:
        if not CUSTOMER_NUMBER.fullmatch(customer_number):
            raise NotFound()
        body: dict[str, object] = {}
        if change.email is not None:
            body["EMAIL"] = change.email
        if change.phone is not None:
            digits = change.phone.removeprefix("+420")
            body["TELEFON"] = f"{digits[:3]} {digits[3:6]} {digits[6:]}"
        if change.e_invoice_email is not None:
            body["EFAKTURA_EMAIL"] = change.e_invoice_email
        if (kor := change.correspondence_address) is not None:
            body["KOR_ADRESA"] = {
                "ADR_ULICE": kor.street,
                "ADR_CP": kor.house_number,
                "ADR_OBEC": kor.city,
                "ADR_PSC": f"{kor.postcode[:3]} {kor.postcode[3:]}",
            }
        answer = await self._call(
            "PATCH",
            f"/api/v2/zakaznici/{customer_number}/kontakty",
            operation="change contact details",
            body=body,
        )
        if answer is None:
            raise NotFound()
        return translate(lambda a: to_customer(record(a.get("ZAKAZNIK"))), answer, "change contact details")

    async def update_request(self, id: str, change: RequestUpdate) -> CustomerRequest:
        body: dict[str, object] = {}
        if change.summary is not None:
            body["POPIS"] = change.summary
        if change.attributes:
            body["ATRIBUTY"] = dict(change.attributes)
        if change.documents:
            body["PRILOHY"] = documents_json(change.documents)
        found = await self._one_request("PATCH", id, "", "update request", body=body)
        if found is None:
            raise NotFound()
        return found

    async def cancel_request(self, id: str) -> CustomerRequest:
        found = await self._one_request("POST", id, "/storno", "cancel request")
        if found is None:
            raise NotFound()
        return found

    async def _one_request(
        self, method: str, id: str, suffix: str, operation: str, body: object = None
    ) -> CustomerRequest | None:
        if not REQUEST_ID.fullmatch(id):
            return None
        answer = await self._call(
            method, f"/api/v2/pozadavky/{quote(id, safe='')}{suffix}", operation=operation, body=body
        )
        if answer is None:
            return None
        return translate(lambda a: to_request(record(a.get("POZADAVEK"))), answer, operation)

    async def mark_messages_read(self, customer_number: str, ids: Sequence[str]) -> int:
        if not CUSTOMER_NUMBER.fullmatch(customer_number):
            raise NotFound()
        answer = await self._call(
            "POST",
            f"/api/v2/zakaznici/{customer_number}/zpravy/precteno",
            operation="mark messages read",
            body={"ZPR_ID": list(dict.fromkeys(ids))},
        )
        if answer is None:
            raise NotFound()
        return translate(lambda a: integer(a, "OZNACENO"), answer, "mark messages read")

    async def ping(self) -> None:
        answer = await self._call("GET", "/api/v2/stav", operation="ping")
        if answer is None or answer.get("STAV") != "OK":
            raise BackendUnavailable(BACKEND)
