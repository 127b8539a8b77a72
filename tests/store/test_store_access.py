from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.domain.access import ALL_SCOPES, Scope
from gateway.errors import BadUserInput, Forbidden, NotFound
from gateway.passwords import hash_password
from gateway.store.access import (
    access_for,
    grant_delegate,
    grant_owner,
    list_customer_access,
    list_grantees,
    revoke_access,
)
from gateway.store.accounts import create_user
from gateway.store.models import AccessRole, CustomerAccess, User

PASSWORD_HASH = hash_password("Demo-heslo-2026")
NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
DAY = timedelta(days=1)
NOVAK = "1000012345"
NOVAK2 = "1000056789"
CONSENT = "Zákazník souhlasí s přístupem poradce k fakturám."


async def _user(session: AsyncSession, login: str) -> User:
    return await create_user(session, login=login, password_hash=PASSWORD_HASH, email=None, now=NOW)


async def _owner_and_delegate(session: AsyncSession) -> tuple[User, User]:
    owner = await _user(session, "novak")
    delegate = await _user(session, "poradce")
    await grant_owner(session, user_id=owner.id, customer_number=NOVAK, now=NOW)
    return owner, delegate


async def _delegate(
    session: AsyncSession,
    owner: User,
    *,
    login: str = "poradce",
    scopes: tuple[Scope, ...] = (Scope.VIEW_BILLING,),
    expires_at: datetime | None = None,
    now: datetime = NOW,
) -> CustomerAccess:
    return await grant_delegate(
        session,
        owner_user_id=owner.id,
        delegate_login=login,
        customer_number=NOVAK,
        scopes=scopes,
        expires_at=expires_at,
        consent_text=CONSENT,
        now=now,
    )


async def test_an_owner_holds_every_scope(session: AsyncSession) -> None:
    owner = await _user(session, "novak")
    await grant_owner(session, user_id=owner.id, customer_number=NOVAK, now=NOW)

    access = await access_for(session, user_id=owner.id, customer_number=NOVAK, now=NOW)

    assert access is not None
    assert access.role is AccessRole.OWNER
    assert access.scopes == ALL_SCOPES
    assert await access_for(session, user_id=owner.id, customer_number=NOVAK2, now=NOW) is None


async def test_granting_ownership_twice_keeps_one_grant(session: AsyncSession) -> None:
    owner = await _user(session, "novak")
    first = await grant_owner(session, user_id=owner.id, customer_number=NOVAK, now=NOW)
    second = await grant_owner(session, user_id=owner.id, customer_number=NOVAK, now=NOW + DAY)

    assert first.id == second.id
    assert len(await list_customer_access(session, user_id=owner.id, now=NOW)) == 1


async def test_list_customer_access_shows_owned_numbers_first_then_delegated_ones(
    session: AsyncSession,
) -> None:
    owner, delegate = await _owner_and_delegate(session)
    await grant_owner(session, user_id=delegate.id, customer_number="2000034567", now=NOW)
    await _delegate(session, owner, scopes=(Scope.VIEW_SUPPLY_POINTS, Scope.VIEW_BILLING))

    listed = await list_customer_access(session, user_id=delegate.id, now=NOW)

    assert [(a.customer_number, a.role, a.scopes) for a in listed] == [
        ("2000034567", AccessRole.OWNER, ALL_SCOPES),
        (NOVAK, AccessRole.DELEGATE, frozenset({Scope.VIEW_BILLING, Scope.VIEW_SUPPLY_POINTS})),
    ]


async def test_a_delegate_sees_only_the_granted_scopes_and_the_consent_is_recorded(
    session: AsyncSession,
) -> None:
    owner, delegate = await _owner_and_delegate(session)

    grant = await _delegate(session, owner, login="PORADCE")

    access = await access_for(session, user_id=delegate.id, customer_number=NOVAK, now=NOW)
    assert access is not None
    assert access.role is AccessRole.DELEGATE
    assert access.scopes == frozenset({Scope.VIEW_BILLING})
    assert access.allows(Scope.VIEW_BILLING)
    assert not access.allows(Scope.SUBMIT_REQUESTS)
    assert grant.granted_by_user_id == owner.id
    assert grant.consent_text == CONSENT
    assert grant.consent_at == NOW


async def test_a_delegate_grant_ends_at_its_expiry(session: AsyncSession) -> None:
    owner, delegate = await _owner_and_delegate(session)
    await _delegate(session, owner, expires_at=NOW + DAY)

    just_before = await access_for(
        session, user_id=delegate.id, customer_number=NOVAK, now=NOW + DAY - timedelta(seconds=1)
    )
    at_expiry = await access_for(session, user_id=delegate.id, customer_number=NOVAK, now=NOW + DAY)

    assert just_before is not None
    assert just_before.expires_at == NOW + DAY
    assert at_expiry is None
    assert await list_customer_access(session, user_id=delegate.id, now=NOW + DAY) == []


async def test_a_revoked_delegate_sees_nothing(session: AsyncSession) -> None:
    owner, delegate = await _owner_and_delegate(session)
    await _delegate(session, owner)

    await revoke_access(
        session, owner_user_id=owner.id, user_id=delegate.id, customer_number=NOVAK, now=NOW + DAY
    )

    assert await access_for(session, user_id=delegate.id, customer_number=NOVAK, now=NOW + DAY) is None
    with pytest.raises(NotFound):
        await revoke_access(
            session,
            owner_user_id=owner.id,
            user_id=delegate.id,
            customer_number=NOVAK,
            now=NOW + DAY,
        )


async def test_granting_again_replaces_the_earlier_grant_and_keeps_its_history(session: AsyncSession) -> None:
    owner, delegate = await _owner_and_delegate(session)
    await _delegate(session, owner, expires_at=NOW + DAY)

    await _delegate(session, owner, scopes=(Scope.SUBMIT_REQUESTS,), now=NOW + 2 * DAY)

    access = await access_for(session, user_id=delegate.id, customer_number=NOVAK, now=NOW + 2 * DAY)
    assert access is not None
    assert access.scopes == frozenset({Scope.SUBMIT_REQUESTS})
    rows = (
        (await session.execute(select(CustomerAccess).where(CustomerAccess.user_id == delegate.id)))
        .scalars()
        .all()
    )
    assert len(rows) == 2
    assert sum(row.revoked_at is None for row in rows) == 1


async def test_only_an_owner_grants_and_revokes(session: AsyncSession) -> None:
    owner, delegate = await _owner_and_delegate(session)
    await _user(session, "third")
    await _delegate(session, owner, scopes=tuple(Scope))

    with pytest.raises(Forbidden):
        await _delegate(session, delegate, login="third")
    with pytest.raises(Forbidden):
        await revoke_access(
            session, owner_user_id=delegate.id, user_id=delegate.id, customer_number=NOVAK, now=NOW
        )


async def test_someone_without_access_learns_nothing_about_the_number(session: AsyncSession) -> None:
    owner, _ = await _owner_and_delegate(session)
    stranger = await _user(session, "stranger")

    with pytest.raises(NotFound):
        await _delegate(session, stranger, login="novak")
    assert owner.id != stranger.id


@pytest.mark.parametrize(
    ("login", "scopes", "consent", "expires_in"),
    [
        ("nobody", (Scope.VIEW_BILLING,), CONSENT, None),
        ("novak", (Scope.VIEW_BILLING,), CONSENT, None),
        ("poradce", (), CONSENT, None),
        ("poradce", (Scope.VIEW_BILLING,), "   ", None),
        ("poradce", (Scope.VIEW_BILLING,), CONSENT, timedelta(0)),
    ],
    ids=["unknown login", "self", "no scopes", "no consent", "expiry not in future"],
)
async def test_invalid_grants_are_refused(
    session: AsyncSession, login: str, scopes: tuple[Scope, ...], consent: str, expires_in: timedelta | None
) -> None:
    owner, _ = await _owner_and_delegate(session)

    with pytest.raises(BadUserInput):
        await grant_delegate(
            session,
            owner_user_id=owner.id,
            delegate_login=login,
            customer_number=NOVAK,
            scopes=scopes,
            expires_at=None if expires_in is None else NOW + expires_in,
            consent_text=consent,
            now=NOW,
        )


async def test_an_unknown_scope_name_is_refused(session: AsyncSession) -> None:
    owner, _ = await _owner_and_delegate(session)

    with pytest.raises(ValueError, match="SEE_EVERYTHING"):
        await grant_delegate(
            session,
            owner_user_id=owner.id,
            delegate_login="poradce",
            customer_number=NOVAK,
            scopes=["SEE_EVERYTHING"],
            expires_at=None,
            consent_text=CONSENT,
            now=NOW,
        )


async def test_another_owner_of_the_number_cannot_be_made_a_delegate(session: AsyncSession) -> None:
    owner, delegate = await _owner_and_delegate(session)
    await grant_owner(session, user_id=delegate.id, customer_number=NOVAK, now=NOW)

    with pytest.raises(BadUserInput):
        await _delegate(session, owner)


async def test_list_grantees_shows_owner_and_valid_delegates(session: AsyncSession) -> None:
    owner, delegate = await _owner_and_delegate(session)
    expiring = await _user(session, "expiring")
    await _delegate(session, owner)
    await _delegate(session, owner, login="expiring", expires_at=NOW + DAY)

    later = await list_grantees(session, customer_number=NOVAK, now=NOW + DAY)
    now = await list_grantees(session, customer_number=NOVAK, now=NOW)

    assert [(g.login, g.role) for g in later] == [
        ("novak", AccessRole.OWNER),
        ("poradce", AccessRole.DELEGATE),
    ]
    assert {g.user_id for g in now} == {owner.id, delegate.id, expiring.id}


async def test_list_grantees_shows_who_granted_and_the_recorded_consent(session: AsyncSession) -> None:
    # given
    owner, _ = await _owner_and_delegate(session)
    await _delegate(session, owner, now=NOW + DAY)

    # when
    owner_line, delegate_line = await list_grantees(session, customer_number=NOVAK, now=NOW + DAY)

    # then
    assert (delegate_line.login, delegate_line.granted_by_login) == ("poradce", "novak")
    assert (delegate_line.consent_text, delegate_line.consent_at) == (CONSENT, NOW + DAY)
    assert (owner_line.granted_by_login, owner_line.consent_text, owner_line.consent_at) == (None, None, None)
