"""How GraphQL errors are logged: by operation name and document hash, never the document.

Strawberry's default logs every error at ERROR with the document's text around it (an
inline password included) and a traceback even for a plain NOT_FOUND. Here instead:

- the errors a client caused or may retry (every code but INTERNAL) make one line per
  request, without a traceback: WARNING when a back end failed or a client is being
  throttled, INFO otherwise;
- each INTERNAL error (a bug) is logged at ERROR with its traceback.

No message is logged: graphql-core's validation messages quote the literals they refuse.
"""

from __future__ import annotations

import hashlib
import logging

import strawberry
from graphql import GraphQLError
from strawberry.types import ExecutionContext

from gateway.errors import ErrorCode
from gateway.metrics import OPERATION_NAME
from gateway.schema.errors import classify

log = logging.getLogger("gateway.graphql")

WARNING_CODES = frozenset(
    {ErrorCode.BACKEND_UNAVAILABLE, ErrorCode.RATE_LIMITED, ErrorCode.SERVICE_UNAVAILABLE}
)


def document_hash(query: str | None) -> str:
    """SHA-256 of the document's UTF-8 text, the key a persisted operation is stored by."""
    if query is None:
        return "-"
    return hashlib.sha256(query.encode("utf-8", "surrogatepass")).hexdigest()


def describe(execution_context: ExecutionContext | None) -> str:
    if execution_context is None:
        return "operation - (document -)"
    name = execution_context.operation_name
    shown = name if name and OPERATION_NAME.fullmatch(name) else "-"
    return f"operation {shown} (document sha256 {document_hash(execution_context.query)})"


def _where(error: GraphQLError) -> str:
    if error.path:
        return ".".join(str(key) for key in error.path)
    if error.locations:
        return f"{error.locations[0].line}:{error.locations[0].column}"
    return "-"


def log_errors(errors: list[GraphQLError], execution_context: ExecutionContext | None) -> None:
    operation = describe(execution_context)
    client_errors: list[str] = []
    level = logging.INFO
    for error in errors:
        code = classify(error)[0]
        if code is ErrorCode.INTERNAL:
            trace = error.original_error or error
            log.error("INTERNAL at %s in %s", _where(error), operation, exc_info=trace)
            continue
        client_errors.append(f"{code.value} at {_where(error)}")
        if code in WARNING_CODES:
            level = logging.WARNING
    if client_errors:
        log.log(level, "%s answered %s", operation, ", ".join(client_errors))


class GatewaySchema(strawberry.Schema):
    """The schema, with its errors logged by ``log_errors`` instead of Strawberry's default."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        log_errors(errors, execution_context)
