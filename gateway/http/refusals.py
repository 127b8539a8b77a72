"""Every answer the HTTP layer gives instead of running a request: JSON in the GraphQL error
shape, ``{"errors": [{"message", "extensions": {"code", "retryable"}}]}``, never text/plain.

Starlette's own refusals (no such route, a method the route does not take, a static file
that is not there), the gateway's own database not answering (503 ``SERVICE_UNAVAILABLE``,
retryable) and anything unexpected (500, with no trace) come through the handlers here;
Strawberry's (a body that is not a GraphQL request) through ``GatewayGraphQL``.
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ExceptionHandler

from gateway.errors import ErrorCode, StoreUnavailable
from gateway.i18n.language import current
from gateway.i18n.translate import translate
from gateway.schema.errors import INTERNAL_MESSAGE

RETRY_AFTER_SECONDS = 1
NO_STORE = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}

_CODE_BY_STATUS = {
    401: ErrorCode.UNAUTHENTICATED,
    403: ErrorCode.FORBIDDEN,
    404: ErrorCode.NOT_FOUND,
    429: ErrorCode.RATE_LIMITED,
}
_MESSAGE_BY_STATUS = {
    404: "Not found.",
    405: "This method is not allowed here.",
    406: "Ask for application/json or application/graphql-response+json (the Accept header).",
}


def code_for_status(status: int) -> ErrorCode:
    if status >= 500:
        return ErrorCode.INTERNAL
    return _CODE_BY_STATUS.get(status, ErrorCode.BAD_USER_INPUT)


def refusal(
    status: int,
    message: str,
    *,
    code: ErrorCode | None = None,
    retryable: bool = False,
    headers: Mapping[str, str] | None = None,
    media_type: str = "application/json",
) -> JSONResponse:
    code = code or code_for_status(status)
    message = translate(message, current(), code=code.value)
    body = {"errors": [{"message": message, "extensions": {"code": code.value, "retryable": retryable}}]}
    return JSONResponse(
        body, status_code=status, headers={**NO_STORE, **(headers or {})}, media_type=media_type
    )


async def http_exception(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        headers["Allow"] = allowed_methods(headers.get("Allow", ""))
        if request.method == "OPTIONS":
            # OPTIONS names what a route takes (no CORS: no Access-Control-* header is ever sent).
            return Response(status_code=204, headers={**NO_STORE, "Allow": headers["Allow"]})
    message = _MESSAGE_BY_STATUS.get(exc.status_code, "This request cannot be served.")
    return refusal(exc.status_code, message, headers=headers)


def allowed_methods(allow: str) -> str:
    """A route's ``Allow``, sorted (Starlette's is in set order), with OPTIONS: every route takes it."""
    methods = {method.strip() for method in allow.split(",") if method.strip()}
    return ", ".join(sorted(methods | {"OPTIONS"}))


def store_unavailable_refusal(error: StoreUnavailable) -> JSONResponse:
    """503, retryable: the gateway's own database does not answer (``gateway.store.db``)."""
    return refusal(
        503, error.message, code=error.code, retryable=True, headers={"Retry-After": str(RETRY_AFTER_SECONDS)}
    )


async def store_unavailable(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StoreUnavailable)
    return store_unavailable_refusal(exc)


async def unexpected(request: Request, exc: Exception) -> Response:
    # Starlette's ServerErrorMiddleware re-raises it after this answer: the server logs its trace.
    return refusal(500, INTERNAL_MESSAGE)


EXCEPTION_HANDLERS: dict[type[Exception] | int, ExceptionHandler] = {
    HTTPException: http_exception,
    StoreUnavailable: store_unavailable,
    Exception: unexpected,
}
