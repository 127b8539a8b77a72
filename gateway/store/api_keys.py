"""Staff API keys (``X-API-Key``): read-only access whose every read is audited.

Only the SHA-256 hash of a key is stored; the raw key is shown once, at creation. Each key
holds one or more staff roles (``gateway.permissions.StaffRole``); what each role may do is
``gateway.permissions.STAFF_ROLE_ABILITIES``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gateway import tokens
from gateway.errors import NotFound
from gateway.permissions import StaffRole
from gateway.store.models import ApiKey

KEY_PREFIX = "gwk_"  # recognisable in logs and secret scanners


def stored_roles(roles: Iterable[StaffRole]) -> list[str]:
    """``roles`` as stored: their names, once each, in ``StaffRole``'s order."""
    given = set(roles)
    return [role.value for role in StaffRole if role in given]


def roles_of(api_key: ApiKey) -> frozenset[StaffRole]:
    """The key's roles; a stored name the code no longer knows grants nothing."""
    known = {role.value: role for role in StaffRole}
    return frozenset(known[name] for name in api_key.roles if name in known)


async def create_api_key(
    session: AsyncSession,
    *,
    name: str,
    roles: Iterable[StaffRole],
    now: datetime,
    raw_key: str | None = None,
) -> tuple[str, ApiKey]:
    """A new key with ``roles`` (at least one: ValueError otherwise) and its raw value.
    ``raw_key`` fixes the value (the demo keys); otherwise it is random."""
    names = stored_roles(roles)
    if not names:
        raise ValueError("an API key needs at least one role")
    raw = raw_key if raw_key is not None else KEY_PREFIX + tokens.new_token()
    api_key = ApiKey(name=name, key_hash=tokens.hash_token(raw), created_at=now, roles=names)
    session.add(api_key)
    await session.flush()
    return raw, api_key


async def resolve_api_key(session: AsyncSession, *, raw_key: str) -> ApiKey | None:
    """The unrevoked key with this raw value, else None."""
    query = select(ApiKey).where(ApiKey.key_hash == tokens.hash_token(raw_key), ApiKey.revoked_at.is_(None))
    return (await session.execute(query)).scalar_one_or_none()


async def revoke_api_key(session: AsyncSession, *, key_id: int, now: datetime) -> None:
    api_key = await session.get(ApiKey, key_id)
    if api_key is None:
        raise NotFound
    if api_key.revoked_at is None:
        api_key.revoked_at = now
        await session.flush()


async def list_api_keys(session: AsyncSession) -> list[ApiKey]:
    """Every key with its roles, oldest first (revoked ones too, for the record)."""
    return list((await session.execute(select(ApiKey).order_by(ApiKey.id))).scalars())
