"""What the gateway needs from the CRM."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from gateway.domain.contact import ContactDetailsChange
from gateway.domain.customer_search import CustomerSearch, CustomerSearchPage
from gateway.domain.customers import Customer
from gateway.domain.messages import Message
from gateway.domain.requests import (
    CustomerRequest,
    NewRequest,
    RequestQueuePage,
    RequestQueueQuery,
    RequestUpdate,
)
from gateway.domain.supply_points import SupplyPoint


class CrmBackend(Protocol):
    async def customers(self, numbers: Sequence[str]) -> list[Customer | None]: ...

    async def search_customers(self, searches: Sequence[CustomerSearch]) -> list[CustomerSearchPage]:
        """One page per search, in order: the customers of the CRM's register matching every
        criterion, ordered by name; at most the CRM's cap of them (``capped`` says more matched)."""

    async def supply_points_by_customer(self, numbers: Sequence[str]) -> list[list[SupplyPoint]]:
        """Every supply point of each customer; an unknown customer has none."""

    async def supply_points_by_id(self, ids: Sequence[str]) -> list[SupplyPoint | None]: ...

    async def requests(self, customer_numbers: Sequence[str]) -> list[list[CustomerRequest]]:
        """Every request of each customer, newest first, with its history; an unknown customer has none."""

    async def requests_by_id(self, ids: Sequence[str]) -> list[CustomerRequest | None]: ...

    async def request_queue(self, queries: Sequence[RequestQueueQuery]) -> list[RequestQueuePage]:
        """Each query's page of the worklist across customers, in order."""

    async def messages(self, customer_numbers: Sequence[str]) -> list[list[Message]]:
        """Every message of each customer, newest first; an unknown customer has none."""

    async def create_request(self, request: NewRequest) -> CustomerRequest:
        """Raise ``NotFound`` for an unknown customer or supply point. With a ``reference``
        the CRM files the request once: the same reference again answers the same case."""

    async def change_contact_details(self, customer_number: str, change: ContactDetailsChange) -> Customer:
        """A write carried out at once: the customer with the given fields changed.
        ``NotFound`` for an unknown customer. Never retried (though applying it twice is harmless)."""

    async def update_request(self, id: str, change: RequestUpdate) -> CustomerRequest:
        """Raise ``NotFound`` for an unknown request, ``BadUserInput`` once it is closed."""

    async def cancel_request(self, id: str) -> CustomerRequest:
        """Raise ``NotFound`` for an unknown request, ``BadUserInput`` once it is closed."""

    async def mark_messages_read(self, customer_number: str, ids: Sequence[str]) -> int:
        """Mark the customer's messages read; ids of other customers' messages are ignored.
        Answers how many changed from unread to read."""

    async def ping(self) -> None:
        """Raise ``BackendError`` unless the back end answers."""
