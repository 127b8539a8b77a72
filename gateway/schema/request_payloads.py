"""What the request mutations answer."""

from __future__ import annotations

import datetime as dt

import strawberry

from gateway.permissions import public_fields
from gateway.schema.catalogue import RequestTypeCode
from gateway.schema.common import UserError
from gateway.schema.requests import CustomerRequest


@public_fields
@strawberry.type(description="An instant change, carried out.")
class AppliedChange:
    type: RequestTypeCode  # type: ignore[valid-type]
    summary: str
    applied_at: dt.datetime


@public_fields
@strawberry.type
class SubmitRequestPayload:
    request: CustomerRequest | None = strawberry.field(description="The case filed, for a tracked kind.")
    change: AppliedChange | None = strawberry.field(description="What changed, for an instant kind.")
    replayed: bool = strawberry.field(description="The key was used before: this is the first result.")
    errors: list[UserError]


@public_fields
@strawberry.type
class RequestPayload:
    request: CustomerRequest | None
    errors: list[UserError]


@public_fields
@strawberry.type
class MarkMessagesReadPayload:
    marked_count: int
    unread_message_count: int | None
    errors: list[UserError]
