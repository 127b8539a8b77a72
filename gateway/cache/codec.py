"""A safe, explicit text encoding of domain objects for the shared cache.

Why not pickle: a cache shared through Redis is data another process wrote; unpickling
it runs whatever code the bytes name, so anyone who can write to Redis could run code
in every replica. This codec only ever builds the types registered below (frozen
domain dataclasses, their enums) and JSON's own values, so a poisoned entry can at
worst fail to decode (``CodecError``, treated as a miss).

The encoding is JSON with tagged objects::

    {"$dc": "Invoice", "f": {...fields...}}     a registered dataclass
    {"$e": "InvoiceStatus", "v": "PAID"}        a registered enum member
    {"$d": "12.50"}  {"$date": "2026-01-31"}  {"$dt": "2026-01-31T10:00:00+01:00"}
    {"$t": [...]}    {"$b": "<base64>"}         tuple, bytes

Lists, strings, integers, booleans and ``None`` are themselves. Adding a domain type
that the cache stores means adding it to ``_TYPES``; a test round-trips every one.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import enum
import json
from decimal import Decimal, InvalidOperation
from typing import Any

from gateway.adapters.nomination.protocol import NominationPeriod
from gateway.domain import (
    billing,
    customer_search,
    customers,
    messages,
    money,
    nomination,
    requests,
    supply_points,
)


class CodecError(ValueError):
    """The text is not an encoding this codec wrote."""


def _registered(*modules: object) -> dict[str, type]:
    found: dict[str, type] = {}
    for module in modules:
        for name, value in vars(module).items():
            if (
                isinstance(value, type)
                and getattr(value, "__module__", None) == getattr(module, "__name__", None)
                and (dataclasses.is_dataclass(value) or issubclass(value, enum.Enum))
            ):
                found[name] = value
    return found


_TYPES: dict[str, type] = {
    **_registered(billing, customer_search, customers, messages, money, nomination, requests, supply_points),
    "NominationPeriod": NominationPeriod,
}


def _encode(value: object) -> object:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, enum.Enum):
        return {"$e": _name_of(type(value)), "v": value.value}
    if isinstance(value, Decimal):
        return {"$d": str(value)}
    if isinstance(value, dt.datetime):  # before date: a datetime is a date
        return {"$dt": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, bytes):
        return {"$b": base64.b64encode(value).decode("ascii")}
    if isinstance(value, tuple):
        return {"$t": [_encode(item) for item in value]}
    if isinstance(value, list):
        return [_encode(item) for item in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {"$dc": _name_of(type(value)), "f": fields}
    raise TypeError(f"the cache codec cannot encode {type(value).__name__}")


def _name_of(cls: type) -> str:
    name = cls.__name__
    if _TYPES.get(name) is not cls:
        raise TypeError(f"{name} is not registered with the cache codec")
    return name


def _decode(value: object) -> object:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, list):
        return [_decode(item) for item in value]
    if not isinstance(value, dict):
        raise CodecError(f"unexpected JSON value {type(value).__name__}")
    if "$dc" in value:
        cls = _type(value["$dc"])
        fields = value.get("f")
        if not dataclasses.is_dataclass(cls) or not isinstance(fields, dict):
            raise CodecError("malformed dataclass")
        try:
            return cls(**{name: _decode(item) for name, item in fields.items()})
        except TypeError as exc:
            raise CodecError(str(exc)) from exc
    if "$e" in value:
        cls = _type(value["$e"])
        if not issubclass(cls, enum.Enum):
            raise CodecError("malformed enum")
        try:
            return cls(value.get("v"))
        except ValueError as exc:
            raise CodecError(str(exc)) from exc
    try:
        if "$d" in value:
            return Decimal(str(value["$d"]))
        if "$dt" in value:
            return dt.datetime.fromisoformat(str(value["$dt"]))
        if "$date" in value:
            return dt.date.fromisoformat(str(value["$date"]))
        if "$b" in value:
            return base64.b64decode(str(value["$b"]), validate=True)
    except (InvalidOperation, ValueError) as exc:
        raise CodecError(str(exc)) from exc
    if "$t" in value and isinstance(value["$t"], list):
        return tuple(_decode(item) for item in value["$t"])
    raise CodecError("unknown tag")


def _type(name: object) -> type:
    cls = _TYPES.get(name) if isinstance(name, str) else None
    if cls is None:
        raise CodecError(f"{name!r} is not a registered type")
    return cls


def dumps(value: object) -> str:
    """``value`` as text; ``TypeError`` for a type the codec does not know."""
    return json.dumps(_encode(value), separators=(",", ":"), ensure_ascii=False, sort_keys=True)


def loads(text: str) -> Any:
    """The value ``dumps`` encoded as ``text``; ``CodecError`` for anything else."""
    try:
        raw = json.loads(text)
    except ValueError as exc:
        raise CodecError(str(exc)) from exc
    return _decode(raw)
