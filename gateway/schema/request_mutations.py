"""Filing and tracking requests, and reading messages: ``RequestsMutation``.

Expected failures are in the payload's ``errors`` with the input's field path
(``["request", "selfReading", "highTariffKwh"]``); a back end that fails answers a
top-level ``BACKEND_UNAVAILABLE`` with ``retryable: true``, and the retry with the same
``idempotencyKey`` finishes the job once.
"""

from __future__ import annotations

from typing import Annotated

import strawberry

from gateway.context import Info
from gateway.permissions import LoggedIn
from gateway.requests.submission import submit_request
from gateway.resolvers.request_tracking import (
    resolve_cancel_request,
    resolve_mark_messages_read,
    resolve_update_request,
)
from gateway.schema.request_inputs import (
    CancelRequestInput,
    MarkMessagesReadInput,
    SubmitRequestInput,
    UpdateRequestInput,
)
from gateway.schema.request_payloads import (
    AppliedChange,
    MarkMessagesReadPayload,
    RequestError,
    RequestPayload,
    SubmitRequestPayload,
)
from gateway.schema.requests import CustomerRequest


@strawberry.type
class RequestsMutation:
    @strawberry.mutation(
        permission_classes=[LoggedIn],
        description="File a request of any kind in the catalogue. Owner or a delegate with SUBMIT_REQUESTS.",
    )
    async def submit_request(
        self,
        info: Info,
        input: Annotated[
            SubmitRequestInput, strawberry.argument(description="The request and its idempotency key.")
        ],
    ) -> SubmitRequestPayload:
        outcome = await submit_request(
            info,
            customer_number=input.customer_number,
            idempotency_key=input.idempotency_key,
            request=input.request,
        )
        change = outcome.change
        return SubmitRequestPayload(
            request=CustomerRequest.from_domain(outcome.request) if outcome.request else None,
            change=AppliedChange(type=change.type, summary=change.summary, applied_at=change.applied_at)
            if change
            else None,
            replayed=outcome.replayed,
            errors=[RequestError.of(e) for e in outcome.errors],
        )

    @strawberry.mutation(
        permission_classes=[LoggedIn],
        description="Change an open request's description; closed requests are read-only.",
    )
    async def update_request(
        self,
        info: Info,
        input: Annotated[
            UpdateRequestInput, strawberry.argument(description="The request and its new description.")
        ],
    ) -> RequestPayload:
        return await resolve_update_request(info, input)

    @strawberry.mutation(
        permission_classes=[LoggedIn],
        description="Cancel an open request; closed requests keep their history.",
    )
    async def cancel_request(
        self,
        info: Info,
        input: Annotated[CancelRequestInput, strawberry.argument(description="The request to cancel.")],
    ) -> RequestPayload:
        return await resolve_cancel_request(info, input)

    @strawberry.mutation(
        permission_classes=[LoggedIn],
        description="Mark inbox messages read (the owner's inbox); answers the new unread count.",
    )
    async def mark_messages_read(
        self,
        info: Info,
        input: Annotated[
            MarkMessagesReadInput, strawberry.argument(description="The messages to mark read.")
        ],
    ) -> MarkMessagesReadPayload:
        return await resolve_mark_messages_read(info, input)
