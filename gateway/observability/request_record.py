"""What one HTTP request did, gathered while it runs, for its one access log line.

Like ``gateway.cache.stale``, the request's first layer (``gateway.http.edge``) puts a mutable
``RequestRecord`` into a ``ContextVar`` before calling the app: DataLoader batch tasks copy the
request's context when they start, so they see the same object and the back-end calls they
make land in it.
"""

from __future__ import annotations

import contextvars
import os
import re
from dataclasses import dataclass, field

# A client's X-Request-ID is kept when it is this: bounded, and nothing a log could misread.
REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")
MAX_CALLS_LOGGED = 50  # a request's back-end attempts listed in its line; the rest are counted


def request_id_from(header: str | None) -> str:
    """The client's ``X-Request-ID`` when well-formed (``REQUEST_ID``), else a new one."""
    if header is not None and REQUEST_ID.fullmatch(header):
        return header
    return os.urandom(16).hex()


@dataclass(frozen=True, slots=True)
class BackendCall:
    """One attempt of an adapter call under its resilience policy."""

    backend: str
    operation: str
    outcome: str  # gateway.metrics' back-end call outcomes: ok, unavailable, timeout, rejected...
    ms: float

    def as_json(self) -> dict[str, object]:
        return {"backend": self.backend, "operation": self.operation, "outcome": self.outcome, "ms": self.ms}

    def __str__(self) -> str:
        return f"{self.backend}.{self.operation}:{self.outcome}:{self.ms:.0f}ms"


@dataclass
class RequestRecord:
    request_id: str
    operation: str | None = None  # the GraphQL operation's name, when it is a proper name
    operation_type: str | None = None  # query, mutation
    user_id: int | None = None
    staff_key_id: int | None = None
    codes: list[str] = field(default_factory=list)  # the errors' extensions.code, in order
    calls: list[BackendCall] = field(default_factory=list)
    calls_not_listed: int = 0
    cache: dict[str, int] = field(default_factory=dict)  # hit / miss / stale: keys looked up

    def add_call(self, call: BackendCall) -> None:
        if len(self.calls) < MAX_CALLS_LOGGED:
            self.calls.append(call)
        else:
            self.calls_not_listed += 1

    def fields(self) -> dict[str, object]:
        """The record's part of the access line (``gateway.observability.log_format`` shows it)."""
        fields: dict[str, object] = {
            "operation": self.operation,
            "operation_type": self.operation_type,
            "user_id": self.user_id,
            "staff_key_id": self.staff_key_id,
            "codes": self.codes,
            "backend_calls": [call.as_json() for call in self.calls],
            "cache": self.cache,
        }
        if self.calls_not_listed:
            fields["backend_calls_not_listed"] = self.calls_not_listed
        return {key: value for key, value in fields.items() if value not in (None, [], {})}


_current: contextvars.ContextVar[RequestRecord | None] = contextvars.ContextVar(
    "request_record", default=None
)


def begin(request_id: str) -> tuple[RequestRecord, contextvars.Token[RequestRecord | None]]:
    record = RequestRecord(request_id)
    return record, _current.set(record)


def end(token: contextvars.Token[RequestRecord | None]) -> None:
    _current.reset(token)


def current() -> RequestRecord | None:
    return _current.get()


def note_backend_call(backend: str, operation: str, outcome: str, seconds: float | None) -> None:
    record = _current.get()
    if record is not None:
        record.add_call(BackendCall(backend, operation, outcome, round((seconds or 0.0) * 1000, 1)))


def note_cache(result: str, n: int) -> None:
    record = _current.get()
    if record is not None and n:
        record.cache[result] = record.cache.get(result, 0) + n
