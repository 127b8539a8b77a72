"""Every error a client sees, mapped to ``extensions.code`` in this one place.

Gateway errors keep their message, said in the request's language (``gateway.i18n``); anything
unexpected becomes ``INTERNAL`` with a generic message (the stack trace goes to the log,
``gateway.schema.error_log``, never to the client).
"""

from __future__ import annotations

from typing import Any

from graphql import GraphQLError, GraphQLSyntaxError

from gateway.errors import BackendError, ErrorCode, GatewayError, RateLimited, StillRunning
from gateway.i18n.language import current
from gateway.i18n.translate import translate

INTERNAL_MESSAGE = "Something went wrong on our side."

# The parser's token limit (gateway.schema.limits) carries no code of its own.
TOO_COMPLEX_MESSAGES = ("Document contains more than",)


def classify(error: GraphQLError) -> tuple[ErrorCode, bool, dict[str, Any]]:
    """``(code, retryable, extra extensions)`` of ``error``."""
    original = error.original_error
    code = (error.extensions or {}).get("code")
    if isinstance(original, GraphQLError) and original is not error:
        if isinstance(code, str) and code in ErrorCode.__members__:  # set on the outer error
            return ErrorCode(code), code == ErrorCode.RATE_LIMITED.value, {}
        return classify(original)
    if isinstance(original, GatewayError):
        extra: dict[str, Any] = {}
        if isinstance(original, RateLimited | StillRunning):
            extra["retryAfter"] = round(original.retry_after, 1)
        if isinstance(original, BackendError):
            extra["backend"] = original.backend
        return original.code, original.retryable, extra
    if original is None and any(message in error.message for message in TOO_COMPLEX_MESSAGES):
        return ErrorCode.QUERY_TOO_COMPLEX, False, {}
    if isinstance(code, str) and code in ErrorCode.__members__:
        return ErrorCode(code), code == ErrorCode.RATE_LIMITED.value, {}
    if isinstance(error, GraphQLSyntaxError):
        return ErrorCode.GRAPHQL_PARSE_FAILED, False, {}
    if original is None:
        # Validation's errors; the request's input refused by the executor carries
        # BAD_USER_INPUT already (gateway.schema.limits.GatewayExecutor).
        return ErrorCode.GRAPHQL_VALIDATION_FAILED, False, {}
    return ErrorCode.INTERNAL, False, {}


def format_error(error: GraphQLError) -> dict[str, Any]:
    code, retryable, extra = classify(error)
    message = INTERNAL_MESSAGE if code is ErrorCode.INTERNAL else error.message
    # graphql-core's own messages (not one of ours) are the developer's: kept if not catalogued
    developer = not isinstance(error.original_error, GatewayError)
    formatted: dict[str, Any] = {
        "message": translate(message, current(), code=code.value, developer=developer)
    }
    if error.locations:
        formatted["locations"] = [{"line": loc.line, "column": loc.column} for loc in error.locations]
    if error.path:
        formatted["path"] = error.path
    formatted["extensions"] = {"code": code.value, "retryable": retryable, **extra}
    return formatted
