from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher, Type
from sqlalchemy.ext.asyncio import AsyncSession

from gateway import passwords
from gateway.errors import BadUserInput, Forbidden
from gateway.store import accounts
from gateway.store.access import grant_owner, list_customer_access
from gateway.store.accounts import (
    LoginTaken,
    TokenProblem,
    change_password_hash,
    confirm_email_verification,
    create_user,
    find_user_by_login,
    merge_accounts,
    start_email_verification,
    upgrade_password_hash,
    users_sharing_email,
)
from gateway.store.models import AccessRole, User, UserStatus
from gateway.store.sessions import create_session, resolve_session_viewer

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
PASSWORD = "Correct-horse-42"
PASSWORD_HASH = passwords.hash_password(PASSWORD)
HOUR = timedelta(hours=1)


async def _user(
    session: AsyncSession, login: str, email: str | None = None, *, verified: bool = True
) -> User:
    return await create_user(
        session,
        login=login,
        password_hash=PASSWORD_HASH,
        email=email,
        now=NOW,
        email_verified_at=NOW if verified else None,
    )


async def test_a_new_user_is_active_with_an_argon2id_hash_and_a_lower_cased_email(
    session: AsyncSession,
) -> None:
    user = await create_user(
        session, login="Novak", password_hash=PASSWORD_HASH, email=" Jan.Novak@Example.CZ ", now=NOW
    )

    assert user.id is not None
    assert user.status is UserStatus.ACTIVE
    assert user.login == "Novak"
    assert user.email == "jan.novak@example.cz"
    assert user.email_verified_at is None
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash
    assert user.created_at == user.updated_at == NOW


@pytest.mark.parametrize("other_spelling", ["novak", "NOVAK", "NoVaK", " novak "])
async def test_logins_are_unique_whatever_their_letter_case(
    session: AsyncSession, other_spelling: str
) -> None:
    await _user(session, "Novak")

    with pytest.raises(LoginTaken):
        await _user(session, other_spelling)


@pytest.mark.parametrize("login", ["", "   ", "x" * 65])
async def test_empty_or_overlong_logins_are_refused(session: AsyncSession, login: str) -> None:
    with pytest.raises(BadUserInput):
        await _user(session, login)


async def test_find_user_by_login_ignores_letter_case_and_cancelled_accounts(session: AsyncSession) -> None:
    user = await _user(session, "Svobodova")
    assert await find_user_by_login(session, login="SVOBODOVA") is user
    assert await find_user_by_login(session, login="nobody") is None

    user.status = UserStatus.CANCELLED
    await session.flush()
    assert await find_user_by_login(session, login="svobodova") is None
    assert await find_user_by_login(session, login="svobodova", include_cancelled=True) is user


async def test_a_login_upgrade_swaps_the_hash_only_while_it_is_the_one_verified(
    session: AsyncSession,
) -> None:
    # given: a hash made with other Argon2 parameters than the current ones
    user = await _user(session, "novak")
    old_hash = PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1, type=Type.ID).hash(PASSWORD)
    user.password_hash = old_hash
    await session.flush()
    later = NOW + HOUR

    # when
    await upgrade_password_hash(
        session, user_id=user.id, old_hash=old_hash, new_hash=PASSWORD_HASH, now=later
    )
    await upgrade_password_hash(session, user_id=user.id, old_hash=old_hash, new_hash="stale", now=later)

    # then: the first swap won; the second found another hash and changed nothing
    assert user.password_hash == PASSWORD_HASH
    assert user.updated_at == later


async def test_change_password_needs_the_verified_hash_and_ends_the_other_sessions(
    session: AsyncSession,
) -> None:
    # given
    user = await _user(session, "novak")
    current_token, current = await create_session(
        session, user_id=user.id, now=NOW, absolute_timeout=HOUR * 8
    )
    other_token, _ = await create_session(session, user_id=user.id, now=NOW, absolute_timeout=HOUR * 8)
    timeouts = {"idle_timeout": HOUR, "absolute_timeout": HOUR * 8}
    new_hash = passwords.hash_password("New-pass-1")

    # when / then: a hash other than the stored one (a concurrent change won) is refused
    with pytest.raises(Forbidden):
        await change_password_hash(session, user_id=user.id, old_hash="other", new_hash=new_hash, now=NOW)
    await change_password_hash(
        session,
        user_id=user.id,
        old_hash=PASSWORD_HASH,
        new_hash=new_hash,
        now=NOW,
        keep_session_id=current.id,
    )

    assert user.password_hash == new_hash
    assert (
        await resolve_session_viewer(await session.connection(), token=current_token, now=NOW, **timeouts)
        is not None
    )
    assert (
        await resolve_session_viewer(await session.connection(), token=other_token, now=NOW, **timeouts)
        is None
    )


async def test_an_email_verification_token_confirms_the_address_once_and_only_in_time(
    session: AsyncSession,
) -> None:
    user = await _user(session, "novak", None)
    token = await start_email_verification(
        session, user_id=user.id, email="Jan.Novak@example.cz", now=NOW, valid_for=HOUR
    )
    expired = await start_email_verification(
        session, user_id=user.id, email="old@example.cz", now=NOW, valid_for=HOUR
    )

    assert await confirm_email_verification(session, token=expired, now=NOW + HOUR) is TokenProblem.EXPIRED
    assert await confirm_email_verification(session, token="forged", now=NOW) is TokenProblem.UNKNOWN
    assert await confirm_email_verification(session, token=token, now=NOW + HOUR / 2) is user
    assert user.email == "jan.novak@example.cz"
    assert user.email_verified_at == NOW + HOUR / 2
    assert await confirm_email_verification(session, token=token, now=NOW + HOUR / 2) is TokenProblem.USED


async def test_users_sharing_email_lists_other_active_accounts_with_the_same_verified_address(
    session: AsyncSession,
) -> None:
    novak = await _user(session, "novak", "jan.novak@example.cz")
    novak2 = await _user(session, "novak2", "JAN.NOVAK@example.cz")
    novak3 = await _user(session, "novak3", "jan.novak@example.cz")
    await _user(session, "unverified", "jan.novak@example.cz", verified=False)
    await _user(session, "svobodova", "marie@example.cz")
    novak3.status = UserStatus.CANCELLED
    await session.flush()

    assert await users_sharing_email(session, user_id=novak.id) == [novak2]
    assert await users_sharing_email(session, user_id=novak2.id) == [novak]


async def test_an_unverified_address_shares_with_nobody(session: AsyncSession) -> None:
    await _user(session, "novak", "jan.novak@example.cz")
    unverified = await _user(session, "other", "jan.novak@example.cz", verified=False)

    assert await users_sharing_email(session, user_id=unverified.id) == []


async def test_merging_moves_customer_numbers_cancels_the_accounts_and_ends_their_sessions(
    session: AsyncSession,
) -> None:
    # given
    novak = await _user(session, "novak", "jan.novak@example.cz")
    novak2 = await _user(session, "novak2", "jan.novak@example.cz")
    await grant_owner(session, user_id=novak.id, customer_number="1000012345", now=NOW)
    await grant_owner(session, user_id=novak2.id, customer_number="1000056789", now=NOW)
    token, _ = await create_session(session, user_id=novak2.id, now=NOW, absolute_timeout=HOUR)

    # when
    result = await merge_accounts(session, user_id=novak.id, merged_user_ids=[novak2.id], now=NOW)

    # then
    assert result.cancelled_user_ids == (novak2.id,)
    assert result.moved_customer_numbers == ("1000056789",)
    owned = await list_customer_access(session, user_id=novak.id, now=NOW)
    assert [(a.customer_number, a.role) for a in owned] == [
        ("1000012345", AccessRole.OWNER),
        ("1000056789", AccessRole.OWNER),
    ]
    assert await list_customer_access(session, user_id=novak2.id, now=NOW) == []
    assert novak2.status is UserStatus.CANCELLED
    assert novak2.merged_into_user_id == novak.id
    assert await find_user_by_login(session, login="novak2") is None
    assert (
        await resolve_session_viewer(
            await session.connection(), token=token, now=NOW, idle_timeout=HOUR, absolute_timeout=HOUR
        )
        is None
    )


async def test_merging_an_account_with_another_email_changes_nothing(session: AsyncSession) -> None:
    novak = await _user(session, "novak", "jan.novak@example.cz")
    novak2 = await _user(session, "novak2", "jan.novak@example.cz")
    stranger = await _user(session, "stranger", "someone@example.cz")
    await grant_owner(session, user_id=stranger.id, customer_number="1000023456", now=NOW)

    with pytest.raises(BadUserInput):
        await merge_accounts(session, user_id=novak.id, merged_user_ids=[novak2.id, stranger.id], now=NOW)
    with pytest.raises(BadUserInput):
        await merge_accounts(session, user_id=novak.id, merged_user_ids=[novak.id], now=NOW)
    with pytest.raises(BadUserInput):
        await merge_accounts(session, user_id=novak.id, merged_user_ids=[], now=NOW)

    assert novak2.status is UserStatus.ACTIVE
    assert stranger.status is UserStatus.ACTIVE
    assert [a.customer_number for a in await list_customer_access(session, user_id=stranger.id, now=NOW)] == [
        "1000023456"
    ]


async def test_losing_a_registration_race_is_login_taken(
    session: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: the other registration commits between our check and our insert
    await _user(session, "novak")

    async def nobody_yet(*args: object, **kwargs: object) -> None:
        return None

    monkeypatch.setattr(accounts, "find_user_by_login", nobody_yet)

    # when / then
    with pytest.raises(LoginTaken):
        await _user(session, "NOVAK")
