"""Who else may see a customer number: the owner's read-only lists of grants and of pending
ownership claims (granting, revoking and deciding are mutations)."""

from __future__ import annotations

import datetime as dt

import strawberry

from gateway.domain import access as domain_access
from gateway.permissions import public_fields
from gateway.store import access as store_access
from gateway.store import ownership as store_ownership
from gateway.store.models import AccessRole as StoreAccessRole
from gateway.store.models import ClaimStatus as StoreClaimStatus

Scope = strawberry.enum(domain_access.Scope, description="What a delegate may see or do.")
AccessRole = strawberry.enum(StoreAccessRole, description="OWNER: the customer; DELEGATE: a third party.")
ClaimStatus = strawberry.enum(
    StoreClaimStatus,
    description="PENDING: waiting for an owner; APPROVED: the claimant is a co-owner; REJECTED.",
)


@public_fields
@strawberry.type(description="One portal user who may see the customer number.")
class AccessGrant:
    login: str
    role: AccessRole  # type: ignore[valid-type]
    scopes: list[Scope]  # type: ignore[valid-type]
    consent_text: str | None = strawberry.field(
        description="The wording the customer consented to, as recorded at the grant (delegates)."
    )
    consent_at: dt.datetime | None = strawberry.field(description="When the customer consented (delegates).")
    granted_by: str | None = strawberry.field(
        description="The login of the owner who granted (delegates) or approved the claim (co-owners)."
    )
    expires_at: dt.datetime | None

    @classmethod
    def from_store(cls, grantee: store_access.Grantee) -> AccessGrant:
        return cls(
            login=grantee.login,
            role=grantee.role,
            scopes=sorted(domain_access.Scope(str(scope)) for scope in grantee.scopes),
            consent_text=grantee.consent_text,
            consent_at=grantee.consent_at,
            granted_by=grantee.granted_by_login,
            expires_at=grantee.expires_at,
        )


@public_fields
@strawberry.type(
    description="A user who proved the customer number with an invoice (variable symbol and total) "
    "asks to become a co-owner; an owner approves or rejects. No access until approved."
)
class OwnershipClaim:
    customer_number: str
    login: str = strawberry.field(description="The claimant's login.")
    status: ClaimStatus  # type: ignore[valid-type]
    created_at: dt.datetime
    decided_at: dt.datetime | None

    @classmethod
    def from_store(cls, claim: store_ownership.Claim) -> OwnershipClaim:
        return cls(
            customer_number=claim.customer_number,
            login=claim.login,
            status=claim.status,
            created_at=claim.created_at,
            decided_at=claim.decided_at,
        )
