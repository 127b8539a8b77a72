"""The cache's codec round-trips domain objects and refuses anything it did not write."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from gateway.cache import codec
from gateway.domain.billing import InvoiceQuery, InvoiceStatus
from tests.cache import samples


@pytest.mark.parametrize(
    "value",
    [
        samples.invoice("1000012345", "F1"),
        samples.page(InvoiceQuery("1000012345", offset=20)),
        samples.customer("1000012345"),
        [samples.supply_point("1000012345", "OM1")],
        samples.request("1000012345", "R1"),
        samples.document("1000012345", "D1"),
        samples.invoice_detail("1000012345", "1000012345001202601"),
        [samples.meter_reading("1000012345002")],
        [samples.consumption_period("1000012345002")],
        InvoiceQuery(
            "1000012345",
            statuses=(InvoiceStatus.PAID, InvoiceStatus.OVERDUE),
            amount_from=Decimal("10.50"),
            due_to=dt.date(2026, 2, 1),
        ),
        [],
        None,
    ],
    ids=lambda v: type(v).__name__,
)
def test_a_domain_value_comes_back_equal(value: object) -> None:
    assert codec.loads(codec.dumps(value)) == value


def test_types_survive_exactly() -> None:
    # given
    request = samples.request("1000012345", "R1")

    # when
    back = codec.loads(codec.dumps(request))

    # then
    assert back.created_at.utcoffset() == dt.timedelta(hours=1)
    assert isinstance(back.history, tuple)
    assert isinstance(codec.loads(codec.dumps(Decimal("0.10"))), Decimal)


@pytest.mark.parametrize(
    "text",
    [
        '{"$dc": "Popen", "f": {"args": "rm -rf /"}}',
        '{"$e": "InvoiceStatus", "v": "STOLEN"}',
        '{"$dc": "Invoice", "f": {"id": "1"}}',
        '{"$d": "not a number"}',
        '{"unknown": 1}',
        "not json",
    ],
)
def test_anything_else_is_refused(text: str) -> None:
    with pytest.raises(codec.CodecError):
        codec.loads(text)


def test_an_unregistered_type_is_not_encoded() -> None:
    class Foreign:
        pass

    with pytest.raises(TypeError):
        codec.dumps(Foreign())
