"""``GET /documents/{id}``: a PDF the billing system holds, streamed to whoever may see it.

Who may: a session (cookie or bearer token) or staff key with ``VIEW_BILLING`` on the
document's customer, or anyone holding a valid signed link (``?sig=``, minted by
``Document.signedUrl``, good for minutes and for that one document).

    no credentials and no signature                 401 (a credential that did not resolve:
                                                    401 "log in again", its stale cookie cleared)
    a signature that is forged or expired           403 (checked before any lookup)
    a document that is missing or someone else's    404, alike
    access to its customer, but not VIEW_BILLING    403
    billing unavailable or unreadable               503, never a stack trace

Every refusal is JSON in the gateway's error shape (``gateway.http.refusals``).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse

from gateway import sessions
from gateway.context import Context
from gateway.dataloaders import Loaders
from gateway.document_links import signature_allows
from gateway.domain.access import Scope
from gateway.domain.billing import Document
from gateway.errors import (
    BackendError,
    BadUserInput,
    ErrorCode,
    Forbidden,
    GatewayError,
    NotFound,
    Unauthenticated,
)
from gateway.http.refusals import refusal
from gateway.schema.node import from_global_id
from gateway.services import Services

log = logging.getLogger(__name__)

CHUNK = 64 * 1024


def error(status: int, code: ErrorCode, message: str, *, retryable: bool = False) -> JSONResponse:
    return refusal(status, message, code=code, retryable=retryable)


def unauthenticated(context: Context, exc: Unauthenticated) -> JSONResponse:
    """401, clearing a stale session cookie as ``/graphql`` does (``sessions.authenticate_request``)."""
    response = error(401, exc.code, exc.message)
    response.headers.raw.extend(
        header for header in context.response.headers.raw if header[0] == b"set-cookie"
    )
    return response


def not_found() -> JSONResponse:
    return error(404, ErrorCode.NOT_FOUND, "Not found.")


def content_disposition(file_name: str) -> str:
    """``inline`` with an ASCII fallback name and the exact one in RFC 5987 form."""
    fallback = "".join(c if c.isascii() and (c.isalnum() or c in "._-") else "_" for c in file_name)
    return f"inline; filename=\"{fallback or 'document.pdf'}\"; filename*=UTF-8''{quote(file_name, safe='')}"


async def _chunks(content: bytes) -> AsyncIterator[bytes]:
    for start in range(0, len(content), CHUNK):
        yield content[start : start + CHUNK]


def stream(document: Document) -> StreamingResponse:
    return StreamingResponse(
        _chunks(document.content),
        media_type=document.media_type,
        headers={
            "Content-Disposition": content_disposition(document.file_name),
            "Content-Length": str(len(document.content)),
            "Cache-Control": "private, no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )


async def _requester(request: Request, services: Services) -> Context:
    context = Context(
        request=request,
        response=Response(),
        settings=request.app.state.settings,
        services=services,
        loaders=Loaders.for_request(services.backends),
    )
    await sessions.authenticate_request(context)
    return context


async def document_endpoint(request: Request) -> Response:
    services: Services = request.app.state.services
    try:
        _, document_id = from_global_id(str(request.path_params["id"]), expected="Document")
    except NotFound:
        return not_found()
    signature = request.query_params.get("sig")
    context: Context | None = None
    if signature is not None:
        key = request.app.state.settings.secret_key.get_secret_value().encode()
        if not signature_allows(signature, document_id, key=key, now=services.clock()):
            return error(403, ErrorCode.FORBIDDEN, "This link is not valid, or no longer.")
    else:
        context = await _requester(request, services)
        try:
            context.require_identity()
            context.require_staff_customer_reads()  # an AUDITOR-only key: before billing is asked
        except Unauthenticated as exc:
            return unauthenticated(context, exc)
        except Forbidden as exc:
            return error(403, ErrorCode.FORBIDDEN, exc.message)
    try:
        (document,) = await services.backends.billing.documents([document_id])
    except BackendError as exc:
        return error(503, exc.code, exc.message, retryable=exc.retryable)
    except BadUserInput:  # an id billing refuses (or XML cannot carry) names no document
        return not_found()
    except GatewayError as exc:
        log.warning("document %s: %s", document_id, exc.code.value)
        return error(503, ErrorCode.BACKEND_UNAVAILABLE, "The billing system is not available right now.")
    if document is None:
        return not_found()
    if context is not None:
        access = context.access(document.customer_number)
        if access is None:
            return not_found()
        if not access.allows(Scope.VIEW_BILLING):
            return error(403, ErrorCode.FORBIDDEN, "You may not see or do this.")
    return stream(document)
