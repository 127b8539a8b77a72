"""The audit entry for what one request did, written in the caller's transaction.

Who: the viewer, or the user an action created or proved (``actor_id``), or nobody
(ANONYMOUS); which customer number; what; from which client address.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from gateway.context import Context
from gateway.sessions import client_address
from gateway.store.audit import write_audit
from gateway.store.models import ActorKind


async def record_action(
    context: Context,
    db: AsyncSession,
    action: str,
    *,
    customer_number: str | None = None,
    actor_id: int | None = None,
    **detail: object,
) -> None:
    if customer_number is not None:  # who may see it, or what, changed: cached answers go
        context.changed.add(customer_number)
    viewer = context.viewer
    user_id = actor_id if actor_id is not None else viewer.user_id if viewer is not None else None
    await write_audit(
        db,
        now=context.services.clock(),
        actor_kind=ActorKind.USER if user_id is not None else ActorKind.ANONYMOUS,
        actor_id=user_id,
        action=action,
        customer_number=customer_number,
        detail=dict(detail) or None,
        client_address=client_address(context.request),
    )
