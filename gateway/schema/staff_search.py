"""``Staff.searchCustomers``: the service desk's search box, its types."""

from __future__ import annotations

import strawberry

from gateway.context import Info
from gateway.domain.customer_search import SearchKind
from gateway.permissions import public_fields
from gateway.schema.common import PageInfo, described_enum
from gateway.schema.customer import Customer

CustomerSearchKind = described_enum(
    SearchKind,
    name="CustomerSearchKind",
    description="What a search query was taken for, or what found a customer.",
    values={
        "CUSTOMER_NUMBER": "A 10-digit customer number.",
        "EAN": "An electricity supply point's 18-digit EAN (859182..., valid check digit).",
        "EIC": "A gas supply point's 16-character EIC (27Z..., valid check character).",
        "VARIABLE_SYMBOL": "The variable symbol of an invoice or a deposit plan (up to 10 digits).",
        "INVOICE_NUMBER": "An invoice number as the billing system prints it (FV... or VY...).",
        "ICO": "A company's 8-digit IČO (valid check digit), or CZ and the IČO.",
        "EMAIL": "An e-mail address, whole.",
        "PHONE": "A Czech phone number: nine digits, with or without +420 and spaces.",
        "NAME": "A prefix of the customer's name or of any word in it (case and diacritics ignored).",
        "ADDRESS": "A prefix of a street (and house number) or, after a comma, of a city: the "
        "customer's or one of its supply points' address.",
    },
)


@public_fields
@strawberry.type(description="A customer a search found, and why.")
class CustomerSearchHit:
    customer_number: str = strawberry.field(description="The customer's 10-digit number.")
    display_name: str = strawberry.field(description="The customer's name, as the CRM holds it.")
    matched_by: CustomerSearchKind = strawberry.field(  # type: ignore[valid-type]
        description="What found this customer (a 10-digit query may find one customer by number "
        "and another by variable symbol)."
    )
    matched_value: str = strawberry.field(
        description="The value looked up, normalised: the digits of a phone number without +420, "
        "an EIC in upper case, an e-mail in lower case, a name or address as typed."
    )

    @strawberry.field(
        description="The customer, as the portal's `Customer` (the same loaders and caches); reading "
        "it is audited like any staff read."
    )
    def customer(self, info: Info) -> Customer:
        info.context.access(self.customer_number)
        return Customer.of(self.customer_number)


@public_fields
@strawberry.type(description="One customer found, with its cursor.")
class CustomerSearchEdge:
    cursor: str = strawberry.field(
        description="This hit's position: pass it as `after` to continue after it."
    )
    node: CustomerSearchHit = strawberry.field(description="The customer found.")


@public_fields
@strawberry.type(
    description="The customers a search found (Relay cursor connection, `first` at most 100): "
    "ordered by what found them (`recognizedAs` first), then by name."
)
class CustomerSearchConnection:
    edges: list[CustomerSearchEdge] = strawberry.field(description="The hits of this page.")
    page_info: PageInfo = strawberry.field(description="Where this page lies; `endCursor` continues it.")
    total_count: int = strawberry.field(
        description="How many customers were found (at most the CRM's cap: see `capped`)."
    )
    recognized_as: CustomerSearchKind = strawberry.field(  # type: ignore[valid-type]
        description="What the query was taken for (its most likely meaning)."
    )
    capped: bool = strawberry.field(
        description="True when more customers matched than the CRM answers (200): narrow the search."
    )
