"""The PDFs a customer downloads, read as the customer reads them: Czech text with its
diacritics, the amounts the API shows, and a QR payment that decodes to the API's own.

The novak invoice's first page is also kept as ``var/novak-invoice-page.png`` to look at."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from tests.e2e.client import GraphQLClient
from tests.qr_images import decode, page_image, page_text

NOVAK = "1000012345"
MIXED = "2000000028"  # a business customer whose three deposit plans use three payment methods
STAFF_KEY = "demo-staff-key"
PAGE_PNG = Path(__file__).resolve().parents[2] / "var" / "novak-invoice-page.png"
QR = "qrPayment { spd iban variableSymbol }"
INVOICES = f"""
query($number: String!) {{
  customer(number: $number) {{
    invoices(first: 5, filter: {{status: [UNPAID]}}) {{ edges {{ node {{
      number variableSymbol dueDate total {{ amount }} amountDue {{ amount }} document {{ url }} {QR}
    }} }} }}
  }}
}}
"""
REMINDERS = """
query($number: String!) {
  customer(number: $number) {
    reminders { edges { node {
      issueDate newDueDate amount { amount } document { url }
      invoices { number variableSymbol dueDate }
    } } }
  }
}
"""
PLANS = f"""
query($number: String!) {{
  customer(number: $number) {{
    depositPlans {{
      paymentMethod document {{ url fileName }}
      items {{ dueDate paid variableSymbol amount {{ amount }} {QR} }}
    }}
  }}
}}
"""


def czech_amount(amount: str) -> str:
    whole, _, cents = f"{Decimal(amount):,.2f}".partition(".")
    return f"{whole.replace(',', ' ')},{cents} Kč"


def czech_date(iso: str) -> str:
    day = dt.date.fromisoformat(iso)
    return f"{day.day}. {day.month}. {day.year}"


async def data(gql: GraphQLClient, query: str, number: str) -> dict[str, Any]:
    result = await gql.execute(query, {"number": number})
    assert "errors" not in result, result["errors"]
    customer: dict[str, Any] = result["data"]["customer"]
    return customer


async def pdf(gql: GraphQLClient, url: str) -> bytes:
    response = await gql.http.get(url, headers=gql.headers)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    return response.content


async def test_an_invoice_pdf_is_czech_with_lines_vat_summary_duzp_and_the_apis_qr_payment(
    gql: GraphQLClient,
) -> None:
    # given
    await gql.login("novak")
    invoice = (await data(gql, INVOICES, NOVAK))["invoices"]["edges"][0]["node"]

    # when
    content = await pdf(gql, invoice["document"]["url"])

    # then: the text, with its diacritics
    text = page_text(content)
    for words in (
        f"Faktura – daňový doklad č. {invoice['number']}",
        "Jan Novák",
        "Datum uskutečnění zdanitelného plnění",
        "Zúčtovací období",
        "Položky faktury",
        "Stálý měsíční plat",
        "Rekapitulace DPH",
        "Číslo plynoměru",  # novak's unpaid invoices are its gas point's (billed monthly)
        "Stav měřidla, jednotarif",
        " m³ k ",  # a gas meter reads cubic metres
        "Variabilní symbol",
        invoice["variableSymbol"],
        "Konstantní symbol",
        invoice["qrPayment"]["iban"],
        "2000145399/0800",
        f"Celkem s DPH {czech_amount(invoice['total']['amount'])}",
        f"Zbývá uhradit {czech_amount(invoice['amountDue']['amount'])}",
        f"Datum splatnosti {czech_date(invoice['dueDate'])}",
    ):
        assert words in text, words
    assert "danovy" not in text and " Kc" not in text
    # and the QR code on the page is the payment the API offers
    page = page_image(content)
    PAGE_PNG.parent.mkdir(exist_ok=True)
    page.save(PAGE_PNG)
    assert decode(page) == [invoice["qrPayment"]["spd"]]


async def test_a_reminder_pdf_sets_a_new_deadline_and_pays_by_it(gql: GraphQLClient) -> None:
    # given
    await gql.login("novak")
    reminder = (await data(gql, REMINDERS, NOVAK))["reminders"]["edges"][0]["node"]
    (invoice,) = reminder["invoices"]

    # when
    content = await pdf(gql, reminder["document"]["url"])

    # then: sent after the missed due date, with a deadline after it is sent
    assert invoice["dueDate"] < reminder["issueDate"] < reminder["newDueDate"]
    text = page_text(content)
    for words in (
        "Upomínka 1. stupně",
        f"Datum vystavení {czech_date(reminder['issueDate'])}",
        f"Původní splatnost {czech_date(invoice['dueDate'])}",
        f"Nová lhůta splatnosti {czech_date(reminder['newDueDate'])}",
        f"nejpozději do {czech_date(reminder['newDueDate'])}",
        f"Dlužná částka {czech_amount(reminder['amount']['amount'])}",
    ):
        assert words in text, words
    (code,) = decode(page_image(content))
    assert f"*X-VS:{invoice['variableSymbol']}*" in code
    assert f"*AM:{Decimal(reminder['amount']['amount']):.2f}*" in code
    assert f"*DT:{reminder['newDueDate'].replace('-', '')}*" in code


async def test_a_deposit_schedule_pdf_lists_every_deposit_and_pays_the_next_one(gql: GraphQLClient) -> None:
    # given: a plan the customer pays by transfer, with a deposit still to pay (read by staff)
    gql.headers["X-API-Key"] = STAFF_KEY
    plans = (await data(gql, PLANS, MIXED))["depositPlans"]
    plan = next(
        p for p in plans if p["paymentMethod"] == "BANK_TRANSFER" and any(not i["paid"] for i in p["items"])
    )

    # when
    content = await pdf(gql, plan["document"]["url"])

    # then
    assert plan["document"]["fileName"].startswith("platebni-kalendar-")
    text = page_text(content)
    assert "Platební kalendář záloh" in text and "bankovní převod" in text
    for item in plan["items"]:
        assert f"{czech_date(item['dueDate'])} {czech_amount(item['amount']['amount'])}" in text
    upcoming = next(item for item in plan["items"] if not item["paid"])
    assert decode(page_image(content)) == [upcoming["qrPayment"]["spd"]]


async def test_a_deposit_schedule_collected_by_direct_debit_carries_no_qr_code(gql: GraphQLClient) -> None:
    gql.headers["X-API-Key"] = STAFF_KEY
    plans = (await data(gql, PLANS, MIXED))["depositPlans"]
    plan = next(p for p in plans if p["paymentMethod"] == "DIRECT_DEBIT")

    content = await pdf(gql, plan["document"]["url"])

    assert "nic dalšího neplaťte" in page_text(content)
    assert decode(page_image(content)) == []
