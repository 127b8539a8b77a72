"""``Staff.nominationStatus``: which large consumers have submitted a week's values, and when
its gate closes. The nomination system keeps the roster of consumers it expects values from;
``customer`` is the portal's own type, read with staff access."""

from __future__ import annotations

import datetime as dt

import strawberry

from gateway.permissions import public_fields
from gateway.schema.customer import Customer


@public_fields
@strawberry.type(description="One large consumer the nomination system expects the week's values from.")
class NominationConsumerStatus:
    customer: Customer = strawberry.field(description="The large consumer.")
    customer_number: str = strawberry.field(description="Its 10-digit customer number.")
    customer_name: str = strawberry.field(description="Its name, as the nomination system holds it.")
    eic: str = strawberry.field(
        description="Its EIC, the market participant code (`27X...`) it nominates under."
    )
    contract_number: str = strawberry.field(
        description="Its nomination contract's number (`SJ-045678-2026`)."
    )
    submitted: bool = strawberry.field(description="Whether it has submitted the week's values.")
    submitted_at: dt.datetime | None = strawberry.field(
        description="When the values it submitted last were received, with the UTC offset; null "
        "until it submits."
    )


@public_fields
@strawberry.type(description="A week's weekly nomination across the large consumers.")
class NominationStatus:
    week_start: dt.date = strawberry.field(description="The week's Monday (Europe/Prague).")
    gate_closure: dt.datetime = strawberry.field(
        description="The week's values are accepted before this instant (Europe/Prague wall time "
        "with its UTC offset: +01:00 in winter, +02:00 in summer)."
    )
    gate_open: bool = strawberry.field(description="Whether the gate is still open now.")
    expected: int = strawberry.field(description="How many large consumers are expected to submit.")
    submitted: int = strawberry.field(description="How many of them have.")
    consumers: list[NominationConsumerStatus] = strawberry.field(
        description="Every consumer expected: those that have not submitted first, then by customer number."
    )
