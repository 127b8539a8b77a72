"""Resolvers for the owner's lists of who has access to a customer number and who asks for it."""

from __future__ import annotations

from gateway import portal_accounts
from gateway.context import Info
from gateway.schema.access_grants import AccessGrant, OwnershipClaim
from gateway.store import access as store_access
from gateway.store.db import transaction


async def resolve_access_grants(info: Info, customer_number: str) -> list[AccessGrant]:
    """Read from the gateway's own store, not a back end; the field's permission has
    already limited it to the owner (and staff)."""
    async with transaction(info.context.services.store) as db:
        grantees = await store_access.list_grantees(
            db, customer_number=customer_number, now=info.context.services.clock()
        )
    return [AccessGrant.from_store(grantee) for grantee in grantees]


async def resolve_ownership_claims(info: Info, customer_number: str) -> list[OwnershipClaim]:
    """Pending claims on the number; the field's permission limits it to owners (and staff)."""
    claims = await portal_accounts.list_claims(info.context, customer_number=customer_number)
    return [OwnershipClaim.from_store(claim) for claim in claims]


async def resolve_viewer_claims(info: Info) -> list[OwnershipClaim]:
    """The viewer's own claims, pending and decided: what a claimant may know of them."""
    claims = await portal_accounts.list_claims(info.context)
    return [OwnershipClaim.from_store(claim) for claim in claims]
