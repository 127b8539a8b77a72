"""Claiming an idempotent mutation's key for a request, as the resolvers need it.

``claim`` answers the claim to run (``NEW``) or replay (``REPLAY``) and refuses the rest: the
key used for another request is the client's error (``BAD_USER_INPUT``); the same request
still running elsewhere is ``IN_PROGRESS`` (retryable, with ``retryAfter``). ``release``
gives a claim up after a failure, and only that claim (``gateway.store.idempotency``).
"""

from __future__ import annotations

import logging
from typing import Any

from gateway.errors import BadUserInput, StillRunning
from gateway.services import Services
from gateway.store.db import transaction
from gateway.store.idempotency import (
    Claim,
    ClaimState,
    claim_idempotency_key,
    release_idempotency_key,
    request_hash,
)

log = logging.getLogger("gateway.idempotency")

# Asked to retry after at most this many seconds: a runner that is alive finishes within a
# back end's timeout, and one that died frees the key when its lease runs out.
RETRY_AFTER_MAX = 2.0


async def claim(
    services: Services, *, user_id: int, key: str, operation: str, arguments: dict[str, Any]
) -> Claim:
    now = services.clock()
    async with transaction(services.store) as session:
        made = await claim_idempotency_key(
            session,
            user_id=user_id,
            key=key,
            operation=operation,
            request_hash=request_hash(operation, arguments),
            now=now,
            lease=services.idempotency_lease,
        )
    if made.state is ClaimState.MISMATCH:
        raise BadUserInput("This `idempotencyKey` was already used for a different submission.")
    if made.state is ClaimState.IN_PROGRESS:
        wait = min(RETRY_AFTER_MAX, max(0.1, made.lease_left(now, services.idempotency_lease)))
        raise StillRunning(wait, "A submission with this `idempotencyKey` is still running; retry shortly.")
    if made.state is ClaimState.REPLAY and services.metrics is not None:
        services.metrics.idempotent_replays.labels(operation=operation).inc()
    if made.resumed:
        log.info("%s: user %d's unfinished claim taken over after its lease ran out", operation, user_id)
    return made


async def release(services: Services, made: Claim) -> None:
    """Give up ``made`` (its mutation failed or was refused), so a retry with the key runs."""
    async with transaction(services.store) as session:
        await release_idempotency_key(
            session,
            user_id=made.record.user_id,
            key=made.record.key,
            lease_expires_at=made.lease_expires_at,
        )
