from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from fixtures import personas
from gateway.cli import DEMO_STAFF_KEYS
from gateway.domain.access import Scope
from gateway.passwords import verify_password
from gateway.permissions import StaffRole
from gateway.store import demo
from gateway.store.access import access_for, list_customer_access
from gateway.store.accounts import find_user_by_login, users_sharing_email
from gateway.store.api_keys import resolve_api_key, roles_of
from gateway.store.models import AccessRole, ApiKey, CustomerAccess, User

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
OWNED = {
    "novak": personas.NOVAK,
    "svobodova": personas.SVOBODOVA,
    "pekarna": personas.PEKARNA,
    "teplarna": personas.TEPLARNA,
    "novak2": personas.NOVAK2,
}


def test_the_demo_customer_numbers_are_the_personas() -> None:
    assert (demo.NOVAK, demo.SVOBODOVA, demo.PEKARNA, demo.TEPLARNA, demo.NOVAK2) == personas.ALL


async def test_every_demo_login_works_with_the_demo_password_and_owns_its_customer(
    session: AsyncSession,
) -> None:
    await demo.seed_demo(session, now=NOW)

    for login, number in OWNED.items():
        user = await find_user_by_login(session, login=login)
        assert user is not None, login
        assert verify_password(user.password_hash, "Demo-heslo-2026"), login
        listed = await list_customer_access(session, user_id=user.id, now=NOW)
        assert [(a.customer_number, a.role) for a in listed] == [(number, AccessRole.OWNER)], login


async def test_poradce_has_only_view_billing_on_novaks_number_with_consent(session: AsyncSession) -> None:
    await demo.seed_demo(session, now=NOW)
    poradce = await find_user_by_login(session, login="poradce")
    assert poradce is not None

    listed = await list_customer_access(session, user_id=poradce.id, now=NOW)
    access = await access_for(session, user_id=poradce.id, customer_number=personas.NOVAK, now=NOW)
    grant = (
        await session.execute(select(CustomerAccess).where(CustomerAccess.user_id == poradce.id))
    ).scalar_one()

    assert [a.customer_number for a in listed] == [personas.NOVAK]
    assert access is not None
    assert access.role is AccessRole.DELEGATE
    assert access.scopes == frozenset({Scope.VIEW_BILLING})
    assert grant.consent_text
    assert grant.consent_at == NOW


async def test_novak_and_novak2_share_a_verified_email(session: AsyncSession) -> None:
    await demo.seed_demo(session, now=NOW)
    novak = await find_user_by_login(session, login="novak")
    assert novak is not None

    sharing = await users_sharing_email(session, user_id=novak.id)

    assert novak.email == "jan.novak@example.cz"
    assert novak.email_verified_at is not None
    assert [user.login for user in sharing] == ["novak2"]


async def test_the_demo_staff_keys_resolve_with_their_roles(session: AsyncSession) -> None:
    await demo.seed_demo(session, now=NOW)

    roles = {}
    for raw in (
        "demo-staff-key",
        "demo-support-key",
        "demo-finance-key",
        "demo-operations-key",
        "demo-auditor-key",
    ):
        key = await resolve_api_key(session, raw_key=raw)
        assert key is not None, raw
        roles[raw] = roles_of(key)

    assert roles == {
        "demo-staff-key": set(StaffRole),  # every role (PRODUCT.md)
        "demo-support-key": {StaffRole.SUPPORT},
        "demo-finance-key": {StaffRole.FINANCE},
        "demo-operations-key": {StaffRole.OPERATIONS},
        "demo-auditor-key": {StaffRole.AUDITOR},
    }


def test_the_demo_banner_lists_every_demo_key() -> None:
    assert [key for key, _ in DEMO_STAFF_KEYS] == [key.raw_key for key in demo.DEMO_KEYS]


async def test_seeding_twice_creates_nothing_more(session: AsyncSession) -> None:
    await demo.seed_demo(session, now=NOW)
    await session.commit()

    await demo.seed_demo(session)
    await session.commit()

    counts = [
        (await session.execute(select(func.count()).select_from(model))).scalar_one()
        for model in (User, CustomerAccess, ApiKey)
    ]
    assert counts == [6, 6, len(demo.DEMO_KEYS)]
