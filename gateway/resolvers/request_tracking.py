"""Tracking requests after filing them (update, cancel) and marking messages read."""

from __future__ import annotations

import strawberry

from gateway.auditing import record_action
from gateway.context import Info
from gateway.domain import requests as domain
from gateway.errors import BadUserInput, Forbidden, NotFound
from gateway.permissions import Role, require_access
from gateway.requests.submission import submitter_role
from gateway.requests.validation import Code
from gateway.schema.node import from_global_id
from gateway.schema.request_inputs import CancelRequestInput, MarkMessagesReadInput, UpdateRequestInput
from gateway.schema.request_payloads import MarkMessagesReadPayload, RequestError, RequestPayload
from gateway.schema.requests import CustomerRequest
from gateway.store.db import transaction

MAX_SUMMARY = 2000


async def _own_request(info: Info, raw_id: strawberry.ID) -> tuple[domain.CustomerRequest, Role]:
    _, request_id = from_global_id(raw_id, expected="CustomerRequest")
    found = await info.context.loaders.request_by_id.load(request_id)
    if found is None:
        raise NotFound
    return found, submitter_role(info, found.customer_number)


async def _audit(info: Info, action: str, *, customer_number: str, role: Role, request_id: str) -> None:
    viewer = info.context.viewer
    login = viewer.login if viewer is not None else None
    async with transaction(info.context.services.store) as session:
        await record_action(
            info.context,
            session,
            action,
            customer_number=customer_number,
            login=login,
            role=role.value,
            request_id=request_id,
        )


def _closed(field: str) -> list[RequestError]:
    return [
        RequestError(
            field=[field], message="The request is closed and can no longer change.", code=Code.REQUEST_CLOSED
        )
    ]


async def resolve_update_request(info: Info, input: UpdateRequestInput) -> RequestPayload:
    found, role = await _own_request(info, input.request_id)
    summary = input.summary.strip()
    if not summary or len(summary) > MAX_SUMMARY:
        message = f"Give 1 to {MAX_SUMMARY} characters."
        return RequestPayload(
            request=None, errors=[RequestError(field=["summary"], message=message, code=Code.INVALID)]
        )
    if found.state.is_closed:
        return RequestPayload(request=CustomerRequest.from_domain(found), errors=_closed("requestId"))
    try:
        updated = await info.context.services.backends.crm.update_request(found.id, summary=summary)
    except BadUserInput:  # closed meanwhile
        return RequestPayload(request=None, errors=_closed("requestId"))
    await _audit(
        info, "request.update", customer_number=found.customer_number, role=role, request_id=found.id
    )
    return RequestPayload(request=CustomerRequest.from_domain(updated), errors=[])


async def resolve_cancel_request(info: Info, input: CancelRequestInput) -> RequestPayload:
    found, role = await _own_request(info, input.request_id)
    if found.state.is_closed:
        return RequestPayload(request=CustomerRequest.from_domain(found), errors=_closed("requestId"))
    try:
        cancelled = await info.context.services.backends.crm.cancel_request(found.id)
    except BadUserInput:
        return RequestPayload(request=None, errors=_closed("requestId"))
    await _audit(
        info, "request.cancel", customer_number=found.customer_number, role=role, request_id=found.id
    )
    return RequestPayload(request=CustomerRequest.from_domain(cancelled), errors=[])


async def resolve_mark_messages_read(info: Info, input: MarkMessagesReadInput) -> MarkMessagesReadPayload:
    access = require_access(info.context.access(input.customer_number))
    if access.role is not Role.OWNER or info.context.viewer is None:
        raise Forbidden
    ids: list[str] = []
    for position, raw in enumerate(input.message_ids):
        try:
            _, compound = from_global_id(raw, expected="Message")
        except NotFound:
            compound = ""
        number, _, message_id = compound.partition(":")
        if number != input.customer_number or not message_id:
            return MarkMessagesReadPayload(
                marked_count=0,
                unread_message_count=None,
                errors=[
                    RequestError(
                        field=["messageIds", str(position)], message="No such message.", code=Code.NOT_FOUND
                    )
                ],
            )
        ids.append(message_id)
    crm = info.context.services.backends.crm
    marked = await crm.mark_messages_read(input.customer_number, ids) if ids else 0
    messages = await crm.messages([input.customer_number])
    return MarkMessagesReadPayload(
        marked_count=marked, unread_message_count=sum(not m.read for m in messages[0]), errors=[]
    )
