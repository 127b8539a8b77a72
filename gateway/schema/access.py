"""Granting and revoking access to a customer number, and deciding on ownership claims
(owner only).

The lists themselves are ``Customer.accessGrants`` and ``Customer.ownershipClaims``
(``gateway.schema.access_grants``).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry

from gateway import portal_accounts
from gateway.context import Info
from gateway.domain.refusals import AccessErrorCode as DomainAccessErrorCode
from gateway.domain.refusals import Rejected
from gateway.permissions import LoggedIn, public_fields
from gateway.schema.access_grants import AccessGrant, OwnershipClaim, Scope
from gateway.schema.accounts import attempt
from gateway.schema.common import described_enum, localized

AccessErrorCode = described_enum(
    DomainAccessErrorCode,
    description="Why granting or revoking access, or deciding an ownership claim, did not happen.",
    values={
        "NOT_FOUND": "No such customer number, grant or claim that the viewer may see (the answer is "
        "the same either way).",
        "FORBIDDEN": "Only an owner of the customer number may do this.",
        "INVALID_GRANT": "The grant cannot be made as asked (no scope, no consent text, an expiry "
        "not in the future, an unknown login, or a user who owns the number already); the message "
        "says which.",
        "LAST_OWNER": "The last owner cannot be removed: approve another owner first.",
    },
)


@public_fields
@strawberry.type(description="Why an access mutation did not do what was asked.")
class AccessError:
    field: list[str] | None = strawberry.field(
        description='The path of the input at fault (`["input", "login"]`); null when no one field is.'
    )
    message: strawberry.Private[str]  # in English, as raised: said in the request's language below
    code: AccessErrorCode = strawberry.field(  # type: ignore[valid-type]
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
    def of(cls, rejected: Rejected) -> AccessError:
        return cls(field=rejected.field, message=rejected.message, code=rejected.code)


@strawberry.input(description="Give another portal user scopes on one of your customer numbers (owner only).")
class GrantAccessInput:
    customer_number: str = strawberry.field(description="The 10-digit customer number you own.")
    login: str = strawberry.field(description="The portal login of the third party.")
    scopes: list[Scope] = strawberry.field(description="At least one scope to grant.")  # type: ignore[valid-type]
    expires_at: dt.datetime | None = strawberry.field(
        default=None,
        description="When the access ends (ISO 8601 with offset, in the future); omitted: until revoked.",
    )
    consent_text: str = strawberry.field(description="The wording the customer agreed to, recorded as given.")


@public_fields
@strawberry.type(description="What `grantAccess` answers.")
class GrantAccessPayload:
    grant: AccessGrant | None = strawberry.field(
        description="The grant as recorded; null when `errors` is not empty."
    )
    errors: list[AccessError] = strawberry.field(description="Why nothing was granted; empty on success.")


@strawberry.input(description="Whose access to end on which customer number.")
class RevokeAccessInput:
    customer_number: str = strawberry.field(description="The 10-digit customer number you own.")
    login: str = strawberry.field(
        description="The login of the delegate or co-owner to remove (an owner may give its own to leave)."
    )


@public_fields
@strawberry.type(description="What `revokeAccess` answers.")
class RevokeAccessPayload:
    ok: bool = strawberry.field(description="True when the access ended; false with `errors` saying why.")
    errors: list[AccessError] = strawberry.field(description="Why nothing was revoked; empty on success.")


@strawberry.input(description="Which pending claim an owner decides.")
class OwnershipClaimInput:
    customer_number: str = strawberry.field(description="The 10-digit customer number you own.")
    login: str = strawberry.field(description="The claimant's login.")


@public_fields
@strawberry.type(description="What approving or rejecting a claim answers.")
class OwnershipClaimPayload:
    claim: OwnershipClaim | None = strawberry.field(
        description="The claim as decided; null when `errors` is not empty."
    )
    errors: list[AccessError] = strawberry.field(description="Why nothing was decided; empty on success.")


@strawberry.type
class AccessMutation:
    @strawberry.mutation(
        permission_classes=[LoggedIn],
        description="Give another portal user scopes on your customer number, with consent.",
    )
    async def grant_access(
        self,
        info: Info,
        input: Annotated[
            GrantAccessInput,
            strawberry.argument(description="Who gets which scopes on which customer number."),
        ],
    ) -> GrantAccessPayload:
        grantee, errors = await attempt(
            lambda: portal_accounts.grant_access(
                info.context,
                customer_number=input.customer_number,
                login=input.login,
                scopes=input.scopes,
                expires_at=input.expires_at,
                consent_text=input.consent_text,
            ),
            AccessError.of,
        )
        return GrantAccessPayload(grant=AccessGrant.from_store(grantee) if grantee else None, errors=errors)

    @strawberry.mutation(
        permission_classes=[LoggedIn],
        description="End a delegate's or a co-owner's access at once (the last owner cannot be removed).",
    )
    async def revoke_access(
        self,
        info: Info,
        input: Annotated[RevokeAccessInput, strawberry.argument(description="Whose access to end.")],
    ) -> RevokeAccessPayload:
        _, errors = await attempt(
            lambda: portal_accounts.revoke_access(
                info.context, customer_number=input.customer_number, login=input.login
            ),
            AccessError.of,
        )
        return RevokeAccessPayload(ok=not errors, errors=errors)

    @strawberry.mutation(
        permission_classes=[LoggedIn],
        description="Approve a pending ownership claim: the claimant becomes a co-owner.",
    )
    async def approve_ownership_claim(
        self,
        info: Info,
        input: Annotated[OwnershipClaimInput, strawberry.argument(description="The claim to approve.")],
    ) -> OwnershipClaimPayload:
        return await _decide(info, input, approve=True)

    @strawberry.mutation(
        permission_classes=[LoggedIn],
        description="Reject a pending ownership claim: the claimant gets no access.",
    )
    async def reject_ownership_claim(
        self,
        info: Info,
        input: Annotated[OwnershipClaimInput, strawberry.argument(description="The claim to reject.")],
    ) -> OwnershipClaimPayload:
        return await _decide(info, input, approve=False)


async def _decide(info: Info, input: OwnershipClaimInput, *, approve: bool) -> OwnershipClaimPayload:
    claim, errors = await attempt(
        lambda: portal_accounts.decide_claim(
            info.context, customer_number=input.customer_number, login=input.login, approve=approve
        ),
        AccessError.of,
    )
    return OwnershipClaimPayload(claim=OwnershipClaim.from_store(claim) if claim else None, errors=errors)
