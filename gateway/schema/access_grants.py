"""Who else may see a customer number: the owner's read-only lists of grants and of pending
ownership claims (granting, revoking and deciding are mutations)."""

from __future__ import annotations

import datetime as dt

import strawberry

from gateway.domain import access as domain_access
from gateway.permissions import public_fields
from gateway.schema.common import described_enum
from gateway.store import access as store_access
from gateway.store import ownership as store_ownership
from gateway.store.models import AccessRole as StoreAccessRole
from gateway.store.models import ClaimStatus as StoreClaimStatus

Scope = described_enum(
    domain_access.Scope,
    description="What a delegate may see or do.",
    values={
        "VIEW_BILLING": "Invoices, deposit plans, payments, reminders and their PDFs; the requests list.",
        "VIEW_SUPPLY_POINTS": (
            "Supply points and their technical data, and the customer's name and address."
        ),
        "SUBMIT_REQUESTS": "File, edit and cancel requests (and see the requests list).",
        "MANAGE_NOMINATION": "Read and submit a large consumer's nomination.",
    },
)
AccessRole = described_enum(
    StoreAccessRole,
    description="OWNER: the customer; DELEGATE: a third party.",
    values={
        "OWNER": (
            "The customer (or an approved co-owner): every scope, and the "
            "only role that grants, revokes and merges."
        ),
        "DELEGATE": "A third party the owner granted scopes to, with the customer's recorded consent.",
    },
)
ClaimStatus = described_enum(
    StoreClaimStatus,
    description="PENDING: waiting for an owner; APPROVED: the claimant is a co-owner; REJECTED.",
    values={
        "PENDING": "Waiting for an owner to approve or reject it.",
        "APPROVED": "An owner approved it: the claimant is a co-owner.",
        "REJECTED": "An owner rejected it: the claimant has no access.",
    },
)


@public_fields
@strawberry.type(description="One portal user who may see the customer number.")
class AccessGrant:
    login: str = strawberry.field(description="The portal login of the user who holds this access.")
    role: AccessRole = strawberry.field(  # type: ignore[valid-type]
        description="OWNER (the customer, or an approved co-owner) or DELEGATE (a third party with scopes)."
    )
    scopes: list[Scope] = strawberry.field(  # type: ignore[valid-type]
        description="What the user may see or do on this customer number; an owner holds every scope."
    )
    consent_text: str | None = strawberry.field(
        description="The wording the customer consented to, as recorded at the grant (delegates)."
    )
    consent_at: dt.datetime | None = strawberry.field(description="When the customer consented (delegates).")
    granted_by: str | None = strawberry.field(
        description="The login of the owner who granted (delegates) or approved the claim (co-owners)."
    )
    expires_at: dt.datetime | None = strawberry.field(
        description=(
            "When a delegate's access ends, with its UTC offset; null: "
            "until revoked (always null for owners)."
        )
    )

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
    customer_number: str = strawberry.field(description="The 10-digit customer number claimed.")
    login: str = strawberry.field(description="The claimant's login.")
    status: ClaimStatus = strawberry.field(description="Where the claim stands.")  # type: ignore[valid-type]
    created_at: dt.datetime = strawberry.field(description="When the claim was filed, with its UTC offset.")
    decided_at: dt.datetime | None = strawberry.field(
        description="When an owner approved or rejected it; null while PENDING."
    )

    @classmethod
    def from_store(cls, claim: store_ownership.Claim) -> OwnershipClaim:
        return cls(
            customer_number=claim.customer_number,
            login=claim.login,
            status=claim.status,
            created_at=claim.created_at,
            decided_at=claim.decided_at,
        )
