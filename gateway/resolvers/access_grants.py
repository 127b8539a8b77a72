"""Resolvers for the owner's list of who has access to a customer number."""

from __future__ import annotations

from gateway.context import Info
from gateway.schema.access_grants import AccessGrant
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
