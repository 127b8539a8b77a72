"""How long reading one invoice of a GetInvoiceList reply takes: zeep's parse vs the adapter's lxml mapping.

    .venv/bin/python bench/soap_parse.py [--rounds 200]

Both read the same 50-invoice reply that the billing simulator gives for pekarna.
zeep's side is what ``raw_response=False`` would do (parse the envelope, deserialize it
into zeep objects), still short of mapping those into domain objects; the adapter's side
is the whole way from bytes to ``InvoicePage``.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections.abc import Callable

import zeep
from zeep.loader import parse_xml

from fixtures import personas, soap
from fixtures.billing.app import NS, BillingService
from fixtures.billing.ledger import Ledger
from fixtures.control import Simulator
from gateway.adapters.billing import soap as adapter

PAGE = 50
REQUEST = f"""<soap:Envelope xmlns:soap="{soap.SOAP_ENV}" xmlns:f="{NS}"><soap:Body>
<f:GetInvoiceList><f:ZAK_CISLO>{personas.PEKARNA}</f:ZAK_CISLO><f:OFFSET>0</f:OFFSET>
<f:POCET>{PAGE}</f:POCET></f:GetInvoiceList></soap:Body></soap:Envelope>""".encode()


def reply_bytes() -> bytes:
    sim = Simulator("bench", failure=soap.garbage_response, garbage=soap.garbage_response)
    service = BillingService(sim=sim, books=Ledger(0))
    answer = asyncio.run(service.get_invoice_list(soap.parse_envelope(REQUEST).body))
    return soap.envelope_bytes(answer)


def per_invoice_us(run: Callable[[], int], rounds: int) -> float:
    for _ in range(10):
        run()
    start = time.perf_counter()
    count = sum(run() for _ in range(rounds))
    return (time.perf_counter() - start) / count * 1e6


def measure(rounds: int = 200) -> tuple[float, float]:
    """Microseconds per invoice: ``(zeep's parse, the adapter's lxml mapping)``."""
    content = reply_bytes()
    settings = zeep.Settings(forbid_dtd=True, forbid_external=True)
    client = zeep.Client(str(adapter.WSDL_PATH), settings=settings)  # type: ignore[no-untyped-call]
    operation = client.wsdl.bindings[adapter.BINDING].get("GetInvoiceList")  # type: ignore[no-untyped-call]

    def with_zeep() -> int:
        document = parse_xml(content, client.transport, settings=settings)  # type: ignore[arg-type]
        return len(operation.process_reply(document).FAKTURA)

    def with_lxml() -> int:
        page = adapter.invoice_list_from(adapter.reply_body(content, 200, "GetInvoiceListResponse"))
        return len(page.invoices)

    if not with_zeep() == with_lxml() == PAGE:
        raise SystemExit("zeep and the lxml mapping read different numbers of invoices")
    return per_invoice_us(with_zeep, rounds), per_invoice_us(with_lxml, rounds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    rounds = parser.parse_args().rounds
    zeep_us, lxml_us = measure(rounds)
    print(f"reply: {PAGE} invoices, {rounds} rounds")
    print(f"zeep parse + deserialize:    {zeep_us:7.1f} µs per invoice")
    print(f"lxml mapping to domain:      {lxml_us:7.1f} µs per invoice ({zeep_us / lxml_us:.1f}x faster)")


if __name__ == "__main__":
    main()
