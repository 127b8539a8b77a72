"""Relay connections over lists a back end answers whole (payments, reminders, requests, messages).

The back ends give these per customer in one piece, so the gateway pages them itself with
the same offset cursors and ``first`` cap as ``Customer.invoices``. ``Connection[Payment]``
is named ``PaymentConnection`` in the schema, its edges ``PaymentEdge``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

import strawberry

from gateway.permissions import public_fields
from gateway.schema.common import PageInfo, decode_offset_cursor, offset_cursor, page_info, page_size

NodeT = TypeVar("NodeT")
ItemT = TypeVar("ItemT")


@public_fields
@strawberry.type(description="One item of a page, with its cursor.")
class Edge(Generic[NodeT]):
    cursor: str = strawberry.field(
        description="This item's position: pass it as `after` to continue after it."
    )
    node: NodeT = strawberry.field(description="The item.")


@public_fields
@strawberry.type(description="A page of a list (Relay cursor connection), `first` at most 100.")
class Connection(Generic[NodeT]):
    edges: list[Edge[NodeT]] = strawberry.field(description="The items of this page, in the list's order.")
    page_info: PageInfo = strawberry.field(description="Where this page lies; `endCursor` continues it.")
    total_count: int = strawberry.field(
        description="How many items the whole list holds (with the filter applied)."
    )


def paginate(
    items: Sequence[ItemT], convert: Callable[[ItemT], NodeT], *, first: int | None, after: str | None
) -> Connection[NodeT]:
    """One page of ``items`` (already filtered and ordered), ``first`` capped at 100."""
    limit = page_size(first)
    offset = decode_offset_cursor(after)
    edges = [
        Edge(cursor=offset_cursor(offset + i), node=convert(item))
        for i, item in enumerate(items[offset : offset + limit])
    ]
    return Connection(
        edges=edges,
        page_info=page_info(offset, edges, len(items)),
        total_count=len(items),
    )
