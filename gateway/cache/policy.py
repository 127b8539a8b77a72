"""How long each kind of back-end data may be served from the cache: one table.

The TTL follows how often the data changes and how much a stale answer would hurt.
Writes through the gateway call ``invalidate_customer`` as well, so a customer sees
their own change at once; the TTL bounds changes made elsewhere (the back office).

``STALE_FOR`` is how long past its TTL an entry is kept so that it can be served,
flagged in ``extensions.stale``, while its back end is unavailable.
"""

from __future__ import annotations

import enum


class Kind(enum.Enum):
    CATALOGUE = "catalogue"  # request types and products: change with a release
    TECHNICAL = "technical"  # supply points and their technical data: change with a field visit
    MASTER = "master"  # customer name, addresses, contacts: change on a customer's request
    CASES = "cases"  # requests (cases) and messages: move with the back office's work
    BILLING = "billing"  # invoices, payments, deposit plans, reminders: change as money moves
    RECEIVABLES = "receivables"  # overdue worklists and sums across customers: a dashboard's view
    DOCUMENT = "document"  # an issued PDF never changes
    NOMINATION = "nomination"  # a large consumer's periods: contracted and submitted values
    SEARCH = "search"  # a staff search of the CRM's register: master data, across customers
    OWNER = "owner"  # whose invoice or deposit plan a variable symbol or invoice number is: never changes


TTL_SECONDS: dict[Kind, float] = {
    Kind.CATALOGUE: 6 * 3600.0,
    Kind.TECHNICAL: 3600.0,
    Kind.MASTER: 5 * 60.0,
    Kind.CASES: 30.0,
    Kind.BILLING: 15.0,
    Kind.RECEIVABLES: 60.0,
    Kind.DOCUMENT: 3600.0,
    Kind.NOMINATION: 60.0,
    # A search is not invalidated by a customer's own change (it is no one customer's): a short
    # TTL bounds how late a changed e-mail or phone is found under its new value.
    Kind.SEARCH: 60.0,
    Kind.OWNER: 3600.0,
}

STALE_FOR_SECONDS = 10 * 60.0
