"""Granting and revoking access to a customer number, and deciding on ownership claims
(owner only).

The lists themselves are ``Customer.accessGrants`` and ``Customer.ownershipClaims``
(``gateway.schema.access_grants``).
"""

from __future__ import annotations

import datetime as dt

import strawberry

from gateway import portal_accounts
from gateway.context import Info
from gateway.permissions import LoggedIn, public_fields
from gateway.schema.access_grants import AccessGrant, OwnershipClaim, Scope
from gateway.schema.accounts import attempt
from gateway.schema.common import UserError


@strawberry.input
class GrantAccessInput:
    customer_number: str
    login: str = strawberry.field(description="The portal login of the third party.")
    scopes: list[Scope]  # type: ignore[valid-type]
    expires_at: dt.datetime | None = None
    consent_text: str = strawberry.field(description="The wording the customer agreed to, recorded as given.")


@public_fields
@strawberry.type
class GrantAccessPayload:
    grant: AccessGrant | None
    errors: list[UserError]


@strawberry.input
class RevokeAccessInput:
    customer_number: str
    login: str


@public_fields
@strawberry.type
class RevokeAccessPayload:
    ok: bool
    errors: list[UserError]


@strawberry.input
class OwnershipClaimInput:
    customer_number: str
    login: str = strawberry.field(description="The claimant's login.")


@public_fields
@strawberry.type
class OwnershipClaimPayload:
    claim: OwnershipClaim | None
    errors: list[UserError]


@strawberry.type
class AccessMutation:
    @strawberry.mutation(
        permission_classes=[LoggedIn],
        description="Give another portal user scopes on your customer number, with consent.",
    )
    async def grant_access(self, info: Info, input: GrantAccessInput) -> GrantAccessPayload:
        grantee, errors = await attempt(
            lambda: portal_accounts.grant_access(
                info.context,
                customer_number=input.customer_number,
                login=input.login,
                scopes=input.scopes,
                expires_at=input.expires_at,
                consent_text=input.consent_text,
            )
        )
        return GrantAccessPayload(grant=AccessGrant.from_store(grantee) if grantee else None, errors=errors)

    @strawberry.mutation(
        permission_classes=[LoggedIn],
        description="End a delegate's or a co-owner's access at once (the last owner cannot be removed).",
    )
    async def revoke_access(self, info: Info, input: RevokeAccessInput) -> RevokeAccessPayload:
        _, errors = await attempt(
            lambda: portal_accounts.revoke_access(
                info.context, customer_number=input.customer_number, login=input.login
            )
        )
        return RevokeAccessPayload(ok=not errors, errors=errors)

    @strawberry.mutation(
        permission_classes=[LoggedIn],
        description="Approve a pending ownership claim: the claimant becomes a co-owner.",
    )
    async def approve_ownership_claim(self, info: Info, input: OwnershipClaimInput) -> OwnershipClaimPayload:
        return await _decide(info, input, approve=True)

    @strawberry.mutation(
        permission_classes=[LoggedIn],
        description="Reject a pending ownership claim: the claimant gets no access.",
    )
    async def reject_ownership_claim(self, info: Info, input: OwnershipClaimInput) -> OwnershipClaimPayload:
        return await _decide(info, input, approve=False)


async def _decide(info: Info, input: OwnershipClaimInput, *, approve: bool) -> OwnershipClaimPayload:
    claim, errors = await attempt(
        lambda: portal_accounts.decide_claim(
            info.context, customer_number=input.customer_number, login=input.login, approve=approve
        )
    )
    return OwnershipClaimPayload(claim=OwnershipClaim.from_store(claim) if claim else None, errors=errors)
