"""The demo accounts of PRODUCT.md's demo table, for ``make demo``.

Customer numbers are those of ``fixtures/personas.py`` (repeated here because the
gateway does not import test fixtures; a test keeps the two equal).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gateway import tokens
from gateway.domain.access import Scope
from gateway.passwords import hash_password
from gateway.permissions import StaffRole
from gateway.store.access import access_for, grant_delegate, grant_owner
from gateway.store.accounts import create_user, find_user_by_login
from gateway.store.api_keys import create_api_key
from gateway.store.models import ApiKey, User

DEMO_PASSWORD = "Demo-heslo-2026"  # noqa: S105 -- published demo credential
DEMO_STAFF_KEY = "demo-staff-key"


@dataclass(frozen=True, slots=True)
class DemoKey:
    raw_key: str
    name: str
    roles: frozenset[StaffRole]


DEMO_KEYS = (
    DemoKey(DEMO_STAFF_KEY, "demo staff", frozenset(StaffRole)),  # every role (PRODUCT.md)
    DemoKey("demo-support-key", "demo support", frozenset({StaffRole.SUPPORT})),
    DemoKey("demo-finance-key", "demo finance", frozenset({StaffRole.FINANCE})),
    DemoKey("demo-operations-key", "demo operations", frozenset({StaffRole.OPERATIONS})),
    DemoKey("demo-auditor-key", "demo auditor", frozenset({StaffRole.AUDITOR})),
)

NOVAK = "1000012345"
SVOBODOVA = "1000023456"
PEKARNA = "2000034567"
TEPLARNA = "3000045678"
NOVAK2 = "1000056789"

PORADCE_CONSENT = "Zákazník 1000012345 souhlasí, aby uživatel poradce viděl jeho faktury, zálohy a platby."


@dataclass(frozen=True, slots=True)
class DemoUser:
    login: str
    email: str
    customer_number: str | None  # owned; None for the third party


DEMO_USERS = (
    DemoUser("novak", "jan.novak@example.cz", NOVAK),
    DemoUser("svobodova", "marie.svobodova@example.cz", SVOBODOVA),
    DemoUser("pekarna", "ucetni@pekarna-example.cz", PEKARNA),
    DemoUser("teplarna", "energetik@teplarna-example.cz", TEPLARNA),
    DemoUser("poradce", "poradce@example.cz", None),
    DemoUser("novak2", "jan.novak@example.cz", NOVAK2),  # same verified e-mail: to merge
)


async def _ensure_user(session: AsyncSession, demo: DemoUser, now: datetime) -> User:
    user = await find_user_by_login(session, login=demo.login, include_cancelled=True)
    if user is not None:
        return user
    password_hash = await asyncio.to_thread(hash_password, DEMO_PASSWORD)  # start-up only: no bound
    return await create_user(
        session,
        login=demo.login,
        password_hash=password_hash,
        email=demo.email,
        now=now,
        email_verified_at=now,
    )


async def seed_demo(session: AsyncSession, *, now: datetime | None = None) -> None:
    """Create whatever of the demo data is missing; running it again changes nothing."""
    now = now or datetime.now(UTC)
    users = {demo.login: await _ensure_user(session, demo, now) for demo in DEMO_USERS}
    for demo in DEMO_USERS:
        if demo.customer_number is not None:
            user = users[demo.login]
            if (
                await access_for(session, user_id=user.id, customer_number=demo.customer_number, now=now)
                is None
            ):
                await grant_owner(session, user_id=user.id, customer_number=demo.customer_number, now=now)
    poradce = users["poradce"]
    if await access_for(session, user_id=poradce.id, customer_number=NOVAK, now=now) is None:
        await grant_delegate(
            session,
            owner_user_id=users["novak"].id,
            delegate_login="poradce",
            customer_number=NOVAK,
            scopes=[Scope.VIEW_BILLING],
            expires_at=None,
            consent_text=PORADCE_CONSENT,
            now=now,
        )
    for demo_key in DEMO_KEYS:
        found = await session.execute(
            select(ApiKey).where(ApiKey.key_hash == tokens.hash_token(demo_key.raw_key))
        )
        if found.scalar_one_or_none() is None:
            await create_api_key(
                session, name=demo_key.name, roles=demo_key.roles, now=now, raw_key=demo_key.raw_key
            )
