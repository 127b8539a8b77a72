"""What the request mutations answer."""

from __future__ import annotations

import datetime as dt

import strawberry

from gateway.permissions import public_fields
from gateway.requests.validation import Code, FieldError
from gateway.schema.catalogue import RequestTypeCode
from gateway.schema.common import described_enum, localized
from gateway.schema.requests import CustomerRequest

RequestErrorCode = described_enum(
    Code,
    name="RequestErrorCode",
    description="Why a request mutation (submit, update, cancel, mark messages read) did not do "
    "what was asked.",
    values={
        "REQUIRED": "The field must be given.",
        "INVALID": "The value is not of the right form (an account number, a postcode, a phone "
        "number, a text's length); the message says what is expected.",
        "TOO_LOW": "Below the least allowed (a deposit under billing's minimum, a reading below the "
        "last one).",
        "TOO_HIGH": "Above the most allowed.",
        "IN_FUTURE": "A date that may not lie in the future (a meter reading).",
        "IN_PAST": "A date that may not lie in the past (a product change, a termination).",
        "IMPLAUSIBLE": "A meter reading far above what the expected consumption allows: check it.",
        "UNCHANGED": "The value asked for is the one in place already.",
        "TOO_SOON": "Not allowed again yet (a distribution tariff changes at most once in 12 months).",
        "NOT_FOUND": "No such supply point, request or message of this customer number.",
        "NOT_PERMITTED": "Not offered for this supply point (its contract type or commodity) or not "
        "for this viewer's role.",
        "REQUEST_CLOSED": "The request is resolved, rejected or cancelled: it can no longer change.",
    },
)


@public_fields
@strawberry.type(description="Why a request mutation did not do what was asked.")
class RequestError:
    field: list[str] | None = strawberry.field(
        description='The path of the input at fault (`["request", "selfReading", "highTariffKwh"]`); '
        "null when no one field is."
    )
    message: strawberry.Private[str]  # in English, as raised: said in the request's language below
    code: RequestErrorCode = strawberry.field(  # type: ignore[valid-type]
        description="What went wrong, for a program to switch on."
    )

    @strawberry.field(
        name="message",
        description="For people: one or two sentences in the request's language (Accept-Language: "
        "Czech by default, or English).",
    )
    def localized_message(self) -> str:
        return localized(self.message, self.code)

    @classmethod
    def of(cls, error: FieldError) -> RequestError:
        return cls(field=list(error.path), message=error.message, code=error.code)


@public_fields
@strawberry.type(description="An instant change, carried out.")
class AppliedChange:
    type: RequestTypeCode = strawberry.field(description="Which instant change this was.")  # type: ignore[valid-type]
    summary: str = strawberry.field(
        description="What changed, in Czech, for people (shown in the CRM's history too)."
    )
    applied_at: dt.datetime = strawberry.field(
        description="When the back end carried it out, with its UTC offset."
    )


@public_fields
@strawberry.type(description="What `submitRequest` answers.")
class SubmitRequestPayload:
    request: CustomerRequest | None = strawberry.field(description="The case filed, for a tracked kind.")
    change: AppliedChange | None = strawberry.field(description="What changed, for an instant kind.")
    replayed: bool = strawberry.field(description="The key was used before: this is the first result.")
    errors: list[RequestError] = strawberry.field(
        description="Why nothing was filed or changed, with field paths; empty on success."
    )


@public_fields
@strawberry.type(description="What `updateRequest` and `cancelRequest` answer.")
class RequestPayload:
    request: CustomerRequest | None = strawberry.field(
        description="The request after the change (or as it stands, when closed); null when not found."
    )
    errors: list[RequestError] = strawberry.field(description="Why nothing changed; empty on success.")


@public_fields
@strawberry.type(description="What `markMessagesRead` answers.")
class MarkMessagesReadPayload:
    marked_count: int = strawberry.field(description="How many messages went from unread to read.")
    unread_message_count: int | None = strawberry.field(
        description="Unread messages left; null when `errors` is not empty."
    )
    errors: list[RequestError] = strawberry.field(description="Why nothing was marked; empty on success.")
