"""Global object identification: ``Node`` and its opaque IDs (base64 of ``Type:id``).

Decoding is the one gate for every ID a client sends (``node``, ``nodes``, arguments,
``/documents/{id}``): anything that is not base64 of UTF-8 ``Type:id``, or whose parts hold a
control character (a NUL would reach a SOAP envelope or SQL), answers NOT_FOUND, like a
missing object.
"""

from __future__ import annotations

import base64
import binascii

import strawberry

from gateway.errors import NotFound
from gateway.permissions import PUBLIC
from gateway.schema.text_input import is_clean_identifier


@strawberry.interface(description="An object with a global ID, fetchable with `node(id:)`.")
class Node:
    id: strawberry.ID = strawberry.field(
        description="A global ID, opaque: pass it to `node(id:)`, `nodes(ids:)` or to arguments that "
        "take this object's ID. Stable across sessions.",
        metadata=PUBLIC,
    )


def to_global_id(type_name: str, raw_id: str) -> strawberry.ID:
    return strawberry.ID(base64.urlsafe_b64encode(f"{type_name}:{raw_id}".encode()).decode())


def from_global_id(global_id: str, *, expected: str | None = None) -> tuple[str, str]:
    """``(type name, raw id)``; an ID that is malformed or of another type is ``NOT_FOUND``."""
    try:
        type_name, sep, raw_id = base64.urlsafe_b64decode(global_id.encode()).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise NotFound from None
    if not sep or not raw_id or (expected is not None and type_name != expected):
        raise NotFound
    if not is_clean_identifier(type_name) or not is_clean_identifier(raw_id):
        raise NotFound
    return type_name, raw_id
