"""QR Platba end to end: every unpaid invoice and every deposit the customer pays itself
offers a QR payment whose image, read back, is its SPD string, with the supplier's IBAN,
the amount owed and the obligation's variable symbol."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tests.e2e.client import GraphQLClient
from tests.qr_images import decode_svg

NOVAK = "1000012345"
PEKARNA = "2000034567"
IBAN = "CZ7908000000002000145399"
QR = """qrPayment {
  spd svg iban accountNumber variableSymbol constantSymbol dueDate message amount { amount currency }
}"""
INVOICES = f"""
query($number: String!) {{
  customer(number: $number) {{
    invoices(first: 100) {{ edges {{ node {{
      number variableSymbol status dueDate amountDue {{ amount }} {QR}
    }} }} }}
  }}
}}
"""
DEPOSITS = f"""
query($number: String!) {{
  customer(number: $number) {{
    depositPlans {{ paymentMethod items {{ dueDate paid variableSymbol amount {{ amount }} {QR} }} }}
  }}
}}
"""


async def nodes(gql: GraphQLClient, number: str) -> list[dict[str, Any]]:
    result = await gql.execute(INVOICES, {"number": number})
    assert "errors" not in result, result["errors"]
    return [edge["node"] for edge in result["data"]["customer"]["invoices"]["edges"]]


async def test_every_unpaid_invoice_offers_a_qr_payment_that_decodes_to_its_spd(gql: GraphQLClient) -> None:
    # given
    await gql.login("novak")

    # when
    invoices = await nodes(gql, NOVAK)

    # then
    owing = [node for node in invoices if node["status"] in {"UNPAID", "OVERDUE", "PARTIALLY_PAID"}]
    assert owing and any(node["status"] == "OVERDUE" for node in owing)
    for node in owing:
        qr = node["qrPayment"]
        assert qr is not None, node
        assert decode_svg(qr["svg"]) == [qr["spd"]]
        assert qr["spd"].startswith(
            f"SPD*1.0*ACC:{qr['iban']}+GIBACZPX*AM:{node['amountDue']['amount']}*CC:CZK*"
        )
        assert f"*X-VS:{node['variableSymbol']}*X-KS:0308*" in qr["spd"]
        assert (qr["iban"], qr["accountNumber"], qr["constantSymbol"]) == (IBAN, "2000145399/0800", "0308")
        assert qr["variableSymbol"] == node["variableSymbol"]
        assert qr["amount"] == {"amount": node["amountDue"]["amount"], "currency": "CZK"}
        assert qr["message"] == f"FAKTURA {node['number']}"
        if node["status"] == "OVERDUE":
            assert qr["dueDate"] is None and "*DT:" not in qr["spd"]  # pay now
        else:
            assert qr["dueDate"] == node["dueDate"]
            assert f"*DT:{node['dueDate'].replace('-', '')}*" in qr["spd"]


async def test_a_paid_or_cancelled_invoice_offers_no_qr_payment(gql: GraphQLClient) -> None:
    await gql.login("novak")

    invoices = await nodes(gql, NOVAK)

    settled = [node for node in invoices if node["status"] in {"PAID", "CANCELLED"}]
    assert settled
    assert all(node["qrPayment"] is None for node in settled)


async def test_deposits_the_customer_pays_itself_offer_a_qr_payment_until_paid(gql: GraphQLClient) -> None:
    # given: a business customer whose plans use three payment methods, read by staff
    gql.headers["X-API-Key"] = "demo-staff-key"

    # when
    result = await gql.execute(DEPOSITS, {"number": "2000000028"})

    # then
    assert "errors" not in result, result["errors"]
    plans = result["data"]["customer"]["depositPlans"]
    assert {plan["paymentMethod"] for plan in plans} >= {"BANK_TRANSFER", "DIRECT_DEBIT", "SIPO"}
    offered = 0
    for plan in plans:
        for item in plan["items"]:
            qr = item["qrPayment"]
            if item["paid"] or plan["paymentMethod"] in {"DIRECT_DEBIT", "SIPO"}:
                assert qr is None, (plan["paymentMethod"], item)
                continue
            assert qr is not None
            offered += 1
            assert Decimal(qr["amount"]["amount"]) == Decimal(item["amount"]["amount"])
            assert qr["variableSymbol"] == item["variableSymbol"]
            assert qr["dueDate"] == item["dueDate"]
            assert qr["spd"].startswith(
                f"SPD*1.0*ACC:{IBAN}+GIBACZPX*AM:{Decimal(item['amount']['amount']):.2f}*CC:CZK*"
            )
            assert f"*X-VS:{item['variableSymbol']}*" in qr["spd"]
    assert offered > 0
    first = next(i["qrPayment"] for p in plans for i in p["items"] if i["qrPayment"] is not None)
    assert decode_svg(first["svg"]) == [first["spd"]]
