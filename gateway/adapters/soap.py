"""What the SOAP adapters share: zeep builds and sends the requests, lxml reads the replies.

Each legacy back end's adapter (``billing.soap``, ``nomination.soap``) describes its
service once (``SoapBackend``: name, namespace, binding, pinned WSDL, its own fault codes)
and builds one ``SoapService`` from it at start-up; the WSDL is loaded once, synchronously,
and never fetched. Requests go through zeep's ``AsyncTransport`` on the app's shared
``httpx.AsyncClient``, signed with a WS-Security UsernameToken. zeep hands back the raw HTTP
response; ``SoapBackend.reply_body`` reads it with a hardened lxml parser and the adapter
maps the answer straight into domain objects. The adapters keep only their mappings and
operations.

Failures become ``gateway.errors``, or what the adapter's fault table says:

    a fault whose code is in the adapter's table                     the table's exception
    connect error, timeout, HTTP 5xx, transient fault (1000, 1001)   BackendUnavailable
    a client fault (soap:Client) about the request's values          BackendRejected
    a value XML cannot carry (a control character): not sent        BackendRejected
    malformed XML, unexpected shape, any other fault                 BackendProtocolError

SOAP 1.1 sends every fault with HTTP 500, so the status does not tell a refusal from an
outage: the fault code does. A client fault blames what was sent; one about the envelope or
the credentials (1100, 1101, 1200) is the gateway's own mistake, never the user's, so it is
a protocol error. Only ``BackendUnavailable`` is retried and counts against the breaker.

The back end's own fault text is logged, never passed on.

Legacy formats: dates ``YYYYMMDD``, numbers with a decimal comma (``-12,5``).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import httpx
import zeep
from lxml import etree
from zeep.proxy import AsyncServiceProxy
from zeep.transports import AsyncTransport
from zeep.wsse.username import UsernameToken

from gateway.errors import BackendProtocolError, BackendRejected, BackendUnavailable

log = logging.getLogger(__name__)

SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
TRANSIENT_FAULTS = frozenset({1000, 1001})
# Client faults that blame the envelope or the credentials: the gateway's fault, not the input's.
GATEWAY_FAULTS = frozenset({1100, 1101, 1200})

# Replies are read with no DTD, no entities, no network, and no recovery from broken XML.
REPLY_PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    huge_tree=False,
    remove_comments=True,
    remove_pis=True,
)

T = TypeVar("T")
# A back end's own fault codes (detail/CHYBA/KOD) -> the exception to raise, given the code.
FaultTable = Mapping[int, Callable[[int], Exception]]


# -- reading replies ----------------------------------------------------------------------


@dataclass(frozen=True)
class SoapBackend:
    """A legacy back end's SOAP service as the WSDL and its fault codes describe it.

    ``name`` goes into errors and log lines; ``binding`` is the binding's qualified name in
    the WSDL at ``wsdl_path``; ``faults`` the back end's own fault codes.
    """

    name: str
    namespace: str
    binding: str
    wsdl_path: Path
    faults: FaultTable

    def reply_body(self, content: bytes, status_code: int, expected: str) -> etree._Element:
        """The reply's ``expected`` element (a local name in ``namespace``), or the right error
        for a fault or a wrong answer."""
        name = self.name
        try:
            root = etree.fromstring(content, REPLY_PARSER)
        except etree.XMLSyntaxError:
            log.warning("%s answered HTTP %s with malformed XML (%d bytes)", name, status_code, len(content))
            if status_code >= 500:
                raise BackendUnavailable(name) from None
            raise BackendProtocolError(name) from None
        body = root.find(f"{{{SOAP_ENV}}}Body") if root.tag == f"{{{SOAP_ENV}}}Envelope" else None
        if body is None or len(body) == 0:
            log.warning("%s answered HTTP %s without a SOAP body", name, status_code)
            raise BackendProtocolError(name)
        answer = body[0]
        if answer.tag == f"{{{SOAP_ENV}}}Fault":
            self.raise_fault(answer, status_code)
        if status_code >= 500:
            raise BackendUnavailable(name)
        if status_code != 200 or answer.tag != f"{{{self.namespace}}}{expected}":
            log.warning("%s answered HTTP %s with %s, expected %s", name, status_code, answer.tag, expected)
            raise BackendProtocolError(name)
        return answer

    def raise_fault(self, fault: etree._Element, status_code: int) -> NoReturn:
        """The error for a SOAP fault, by its numeric legacy code (detail/CHYBA/KOD)."""
        code_text = fault.findtext("detail/{*}CHYBA/{*}KOD")
        code = int(code_text) if code_text and code_text.strip().isdigit() else None
        fault_code = (fault.findtext("faultcode") or "").strip()
        log.warning(
            "%s fault %s (HTTP %s): %s %s",
            self.name,
            code,
            status_code,
            fault_code,
            fault.findtext("faultstring"),
        )
        if code is not None and code in self.faults:
            raise self.faults[code](code)
        client_fault = fault_code.rpartition(":")[2] == "Client"
        if code in TRANSIENT_FAULTS or (code is None and status_code >= 500 and not client_fault):
            raise BackendUnavailable(self.name)
        if client_fault and code not in GATEWAY_FAULTS:
            raise BackendRejected(self.name)
        raise BackendProtocolError(self.name)


def mapped(backend: str, kind: str, build: Callable[[], T]) -> T:
    """``build()``, or ``BackendProtocolError`` (with a log line) if the reply is unreadable."""
    try:
        return build()
    except (KeyError, ValueError, TypeError, AttributeError, InvalidOperation) as exc:
        # ValueError covers binascii.Error (bad base64) too.
        log.warning("%s sent an unreadable %s: %s", backend, kind, exc)
        raise BackendProtocolError(backend) from None


# -- legacy formats -----------------------------------------------------------------------


def legacy_date(value: str) -> dt.date:
    """``YYYYMMDD`` -> a date; ``ValueError`` otherwise."""
    if len(value) != 8 or not value.isdigit():
        raise ValueError(f"not a YYYYMMDD date: {value!r}")
    return dt.date(int(value[:4]), int(value[4:6]), int(value[6:]))


def legacy_decimal(value: str) -> Decimal:
    """A number with an optional decimal comma (``-12``, ``0,125``); ``ValueError`` otherwise."""
    whole, _, fraction = value.strip().partition(",")
    if not whole.lstrip("-").isdigit() or (fraction and not fraction.isdigit()):
        raise ValueError(f"not a legacy number: {value!r}")
    return Decimal(f"{whole}.{fraction}" if fraction else whole)


def legacy_decimal_text(value: Decimal, places: int | None = None) -> str:
    """A number in the legacy format: decimal comma, ``places`` decimals if given."""
    text = f"{value:f}" if places is None else f"{value:.{places}f}"
    return text.replace(".", ",")


# -- the service ---------------------------------------------------------------------------

# What XML 1.0 cannot carry: control characters other than tab and newlines, lone surrogates,
# U+FFFE and U+FFFF. lxml refuses to build such an envelope (a ValueError, not a fault).
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_safe(value: object) -> bool:
    if isinstance(value, str):
        return NOT_XML.search(value) is None
    if isinstance(value, Mapping):
        return all(_xml_safe(item) for item in value.values())
    if isinstance(value, list | tuple):
        return all(_xml_safe(item) for item in value)
    return True


def load_client(
    *, wsdl_path: Path, http: httpx.AsyncClient, username: str, password: str
) -> zeep.AsyncClient:
    """The zeep client on the pinned WSDL, sending through ``http``. Synchronous: call at start-up."""
    settings = zeep.Settings(
        strict=True,
        raw_response=True,
        forbid_dtd=True,
        forbid_entities=True,
        forbid_external=True,
        xml_huge_tree=False,
    )
    # AsyncTransport replaces the shared client's headers with its own User-Agent; put the
    # app's back. Its sync client is only for fetching WSDLs, which we never do.
    headers = http.headers.copy()
    wsdl_client = httpx.Client()
    try:
        transport = AsyncTransport(client=http, wsdl_client=wsdl_client)  # type: ignore[no-untyped-call]
    finally:
        wsdl_client.close()
    http.headers = headers
    return zeep.AsyncClient(  # type: ignore[no-untyped-call]
        wsdl=str(wsdl_path),
        transport=transport,
        settings=settings,
        wsse=UsernameToken(username, password),  # type: ignore[no-untyped-call]
    )


class SoapService:
    """``backend``'s SOAP service at ``address``: ``call`` sends an operation, returns its answer.

    ``http`` belongs to the app, which closes it; its timeout is the calls' timeout.
    """

    def __init__(
        self, backend: SoapBackend, *, http: httpx.AsyncClient, address: str, username: str, password: str
    ) -> None:
        self.backend = backend
        self.client = load_client(
            wsdl_path=backend.wsdl_path, http=http, username=username, password=password
        )
        self._service = AsyncServiceProxy(  # type: ignore[no-untyped-call]
            self.client, self.client.wsdl.bindings[backend.binding], address=address
        )

    async def call(self, operation: str, **params: Any) -> etree._Element:
        """The ``{operation}Response`` element of the reply."""
        if not _xml_safe(params):
            log.info("%s %s: a value XML cannot carry; not sent", self.backend.name, operation)
            raise BackendRejected(
                self.backend.name, f"The {self.backend.name} system cannot take these characters."
            )
        try:
            response = await self._service[operation](**params)
        except httpx.TimeoutException:
            log.warning("%s %s timed out", self.backend.name, operation)
            raise BackendUnavailable(self.backend.name) from None
        except httpx.HTTPError as exc:
            log.warning("%s %s failed: %r", self.backend.name, operation, exc)
            raise BackendUnavailable(self.backend.name) from None
        return self.backend.reply_body(response.content, response.status_code, f"{operation}Response")
