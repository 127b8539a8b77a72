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
from gateway.schema.common import PageInfo, decode_offset_cursor, offset_cursor, page_size

NodeT = TypeVar("NodeT")
ItemT = TypeVar("ItemT")


@public_fields
@strawberry.type
class Edge(Generic[NodeT]):
    cursor: str
    node: NodeT


@public_fields
@strawberry.type
class Connection(Generic[NodeT]):
    edges: list[Edge[NodeT]]
    page_info: PageInfo
    total_count: int


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
        page_info=PageInfo(
            has_next_page=offset + len(edges) < len(items),
            has_previous_page=offset > 0,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        total_count=len(items),
    )
