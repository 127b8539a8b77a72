"""How log lines are written: JSON, one object per line (``gateway serve``), or text for people
(``gateway demo``); ``GATEWAY_LOG_FORMAT`` chooses.

Every line of a request carries its ``request_id`` and, when traced, its ``trace_id`` and
``span_id``. A line logged with ``extra={"fields": {...}}`` (the access line) adds those
fields: top-level keys in JSON, ``key=value`` after the message in text. A traceback is only
ever written for a bug (``gateway.schema.error_log``), under ``exception``.

    {"time": "2026-11-30T19:02:11.532Z", "level": "INFO", "logger": "gateway.access",
     "message": "127.0.0.1 \\"POST /graphql\\" 200 14.2 ms", "request_id": "...", "trace_id": "...",
     "status": 200, "duration_ms": 14.2, "operation": "Overview", "user_id": 3, ...}
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any, Literal

from gateway.observability import request_record, tracing

LogFormat = Literal["json", "text"]
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# A line per back-end call, per migration plugin, per SQL statement (with its parameters,
# password and token hashes among them), per SOAP envelope (zeep's DEBUG lines carry the
# WS-Security password and every value sent, a bank account included): noise at best.
QUIET_LOGGERS = ("httpx", "httpcore", "alembic", "aiosqlite", "sqlalchemy.engine", "zeep")
# What the access line's text message already says ("127.0.0.1 \"POST /graphql\" 200 14.2 ms").
SAID_IN_THE_MESSAGE = frozenset({"method", "route", "status", "duration_ms"})


CONTEXT_KEYS = ("request_id", "trace_id", "span_id")


def _context() -> dict[str, str]:
    found: dict[str, str] = {}
    record = request_record.current()
    if record is not None:
        found["request_id"] = record.request_id
    ids = tracing.current_trace_ids()
    if ids is not None:
        found["trace_id"], found["span_id"] = ids
    return found


def stamp_request_context() -> None:
    """Every log record gets the request's id and trace ids as it is made (in the request's
    context), so a handler that formats it later, elsewhere, still has them. Idempotent."""
    make = logging.getLogRecordFactory()
    if getattr(make, "stamps_request_context", False):
        return

    def stamped(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = make(*args, **kwargs)
        record.__dict__.update(_context())
        return record

    stamped.stamps_request_context = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(stamped)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **{key: record.__dict__[key] for key in CONTEXT_KEYS if key in record.__dict__},
        }
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            line.update((key, value) for key, value in fields.items() if key not in line)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str, separators=(",", ":"))


def _shown(value: object) -> str:
    if isinstance(value, list):
        return ",".join(_shown(item) for item in value) or "-"
    if isinstance(value, dict):
        if set(value) >= {"backend", "operation", "outcome", "ms"}:
            return f"{value['backend']}.{value['operation']}:{value['outcome']}:{value['ms']:.0f}ms"
        return ",".join(f"{key}:{item}" for key, item in value.items())
    return str(value)


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__(TEXT_FORMAT)

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict) and fields:
            first, _, rest = text.partition("\n")  # a traceback stays below the line
            shown = " ".join(
                f"{key}={_shown(value)}" for key, value in fields.items() if key not in SAID_IN_THE_MESSAGE
            )
            if "request_id" in record.__dict__:
                shown += f" request_id={record.__dict__['request_id']}"
            text = f"{first} {shown}" + (f"\n{rest}" if rest else "")
        return text


def formatter(log_format: LogFormat) -> logging.Formatter:
    """The formatter of ``style`` (a ``logging.config`` factory: uvicorn's workers build it too)."""
    return JsonFormatter() if log_format == "json" else TextFormatter()


def logging_config(style: LogFormat, level: str = "info") -> dict[str, Any]:
    """A ``logging.config.dictConfig`` for the process: every logger, uvicorn's included, to
    stderr in ``style``; the noisy ones quiet. Given to uvicorn, so each worker uses it too."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"gateway": {"()": "gateway.observability.log_format.formatter", "log_format": style}},
        "handlers": {
            "stderr": {"class": "logging.StreamHandler", "formatter": "gateway", "stream": "ext://sys.stderr"}
        },
        "root": {"handlers": ["stderr"], "level": level.upper()},
        "loggers": {
            "uvicorn": {"handlers": [], "propagate": True},
            "uvicorn.error": {"handlers": [], "propagate": True},
            "uvicorn.access": {"handlers": [], "propagate": False},  # gateway.access writes it
            **{name: {"level": "WARNING"} for name in QUIET_LOGGERS},
        },
    }
