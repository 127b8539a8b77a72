"""What a portal user does with its account: register, prove a further customer number,
verify an e-mail, change the password and registration data, merge accounts, switch the
active customer number, grant and revoke third-party access.

Each operation is one store transaction. Expected failures raise ``Rejected`` (a field
path, a message, a code), which the schema turns into the payload's ``errors``; every
change is written to the audit log in the same transaction.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from gateway import passwords
from gateway.auditing import record_action
from gateway.context import Context, Viewer
from gateway.dataloaders import Loaders
from gateway.domain.access import Scope
from gateway.domain.billing import InvoiceQuery
from gateway.errors import BadUserInput, Forbidden, NotFound, Unauthenticated
from gateway.outbox import verification_mail
from gateway.sessions import client_address, reload_viewer, start_session
from gateway.store import access as store_access
from gateway.store import accounts
from gateway.store import sessions as store_sessions
from gateway.store.db import transaction
from gateway.store.models import User, login_key

CUSTOMER_NUMBER = re.compile(r"^\d{10}$")
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
PROOF_PAGE_SIZE = 100
PROOF_PAGES = 6  # the newest 600 invoices: two years even for a bakery with 25 supply points
PROOF_FAILED = "We could not confirm this customer number with the proof given."


class Rejected(Exception):
    """An expected failure of a mutation, shown in its payload's ``errors``."""

    def __init__(self, field: Sequence[str] | None, message: str, code: str) -> None:
        super().__init__(message)
        self.field = list(field) if field is not None else None
        self.message = message
        self.code = code


@dataclass(frozen=True, slots=True)
class Proof:
    variable_symbol: str | None = None
    supply_point_code: str | None = None


def _require_user(context: Context) -> Viewer:
    if context.staff is not None:
        raise Forbidden("Staff access is read-only.")
    if context.viewer is None:
        raise Unauthenticated
    return context.viewer


def _normalise_code(code: str) -> str:
    return re.sub(r"\s+", "", code).upper()


async def proves_customer(loaders: Loaders, customer_number: str, proof: Proof) -> bool:
    """Whether ``proof`` belongs to ``customer_number`` in the back ends. A number that does
    not exist and a wrong proof both answer False: the caller cannot tell them apart."""
    if not CUSTOMER_NUMBER.match(customer_number):
        return False
    if proof.supply_point_code:
        wanted = _normalise_code(proof.supply_point_code)
        points = await loaders.supply_points_by_customer.load(customer_number)
        return any(_normalise_code(point.code) == wanted for point in points)
    if proof.variable_symbol:
        wanted = proof.variable_symbol.strip().lstrip("0")
        for page_number in range(PROOF_PAGES):
            page = await loaders.invoice_page_by_query.load(
                InvoiceQuery(
                    customer_number=customer_number,
                    offset=page_number * PROOF_PAGE_SIZE,
                    limit=PROOF_PAGE_SIZE,
                )
            )
            if any(invoice.variable_symbol.lstrip("0") == wanted for invoice in page.invoices):
                return True
            if (page_number + 1) * PROOF_PAGE_SIZE >= page.total_count:
                break
    return False


async def _check_proof(context: Context, customer_number: str, proof: Proof, field: list[str]) -> None:
    """``Rejected`` (PROOF_FAILED) unless the proof holds; failures count against the
    client address like failed logins, so proofs cannot be guessed in bulk."""
    if bool(proof.variable_symbol) == bool(proof.supply_point_code):
        raise Rejected(
            [*field, "proof"], "Give either a variable symbol or a supply point code.", "BAD_PROOF"
        )
    address = client_address(context.request)
    async with context.services.throttle.attempt(login=None, address=address) as attempt:
        if not await proves_customer(context.loaders, customer_number.strip(), proof):
            attempt.failed()
            raise Rejected([*field, "proof"], PROOF_FAILED, "PROOF_FAILED")


def _check_password(password: str, login: str, field: list[str]) -> None:
    problems = passwords.password_problems(password, login=login)
    if problems:
        raise Rejected(field, " ".join(problems), "WEAK_PASSWORD")


def _check_email(email: str, field: list[str]) -> str:
    email = accounts.normalise_email(email)
    if not EMAIL.match(email) or len(email) > 254:
        raise Rejected(field, "This is not an e-mail address.", "INVALID_EMAIL")
    return email


async def _mail_verification(context: Context, db: AsyncSession, user: User, email: str) -> None:
    now = context.services.clock()
    token = await accounts.start_email_verification(
        db,
        user_id=user.id,
        email=email,
        now=now,
        valid_for=dt.timedelta(hours=context.settings.email_verification_hours),
    )
    subject, body = verification_mail(login=user.login, token=token)
    await asyncio.to_thread(context.services.outbox.send, to=email, subject=subject, body=body, now=now)


async def register(
    context: Context, *, login: str, password: str, email: str, customer_number: str, proof: Proof
) -> tuple[str, Viewer]:
    """A new account owning ``customer_number``, logged in; a verification mail is sent."""
    if context.staff is not None:
        raise Forbidden("Staff access is read-only.")
    login = login.strip()
    if not 1 <= len(login) <= accounts.MAX_LOGIN_LENGTH or not login.isprintable():
        raise Rejected(["input", "login"], "A login has 1 to 64 printable characters.", "INVALID_LOGIN")
    _check_password(password, login, ["input", "password"])
    email = _check_email(email, ["input", "email"])
    async with transaction(context.services.store) as db:
        if await accounts.find_user_by_login(db, login=login, include_cancelled=True) is not None:
            raise Rejected(["input", "login"], "This login is already taken.", "LOGIN_TAKEN")
    await _check_proof(context, customer_number, proof, ["input"])
    password_hash = await context.services.passwords.hash(password)
    now = context.services.clock()
    number = customer_number.strip()
    async with transaction(context.services.store) as db:
        try:
            user = await accounts.create_user(
                db, login=login, password_hash=password_hash, email=email, now=now
            )
        except accounts.LoginTaken:
            raise Rejected(["input", "login"], "This login is already taken.", "LOGIN_TAKEN") from None
        await store_access.grant_owner(db, user_id=user.id, customer_number=number, now=now)
        await record_action(context, db, "registered", customer_number=number, actor_id=user.id)
        await _mail_verification(context, db, user, email)
        return await start_session(context, db, user, now, active_customer=number)


async def add_customer(context: Context, *, customer_number: str, proof: Proof) -> Viewer:
    """The logged-in user proves and becomes an owner of one more customer number."""
    viewer = _require_user(context)
    await _check_proof(context, customer_number, proof, ["input"])
    number = customer_number.strip()
    async with transaction(context.services.store) as db:
        await store_access.grant_owner(
            db, user_id=viewer.user_id, customer_number=number, now=context.services.clock()
        )
        await record_action(context, db, "customer_added", customer_number=number)
        refreshed = await reload_viewer(context, db)
    assert refreshed is not None
    return refreshed


async def verify_email(context: Context, *, token: str) -> bool:
    async with transaction(context.services.store) as db:
        user = await accounts.confirm_email_verification(
            db, token=token.strip(), now=context.services.clock()
        )
        if user is None:
            return False
        await record_action(context, db, "email_verified", actor_id=user.id)
        await reload_viewer(context, db)
    return True


async def _password_hash(context: Context, viewer: Viewer) -> str:
    """The viewer's stored hash, read in a transaction of its own: verifying it must not
    hold a connection."""
    async with transaction(context.services.store) as db:
        user = await accounts.get_user(db, user_id=viewer.user_id)
    if user is None:
        raise Unauthenticated
    return user.password_hash


async def change_password(
    context: Context, *, current_password: str, new_password: str
) -> tuple[str, Viewer]:
    """A new password; every session of the user ends, and this client gets a new one."""
    viewer = _require_user(context)
    _check_password(new_password, viewer.login, ["input", "newPassword"])
    services, address = context.services, client_address(context.request)
    wrong = Rejected(["input", "currentPassword"], "The current password is not right.", "WRONG_PASSWORD")
    async with services.throttle.attempt(login=viewer.login, address=address) as attempt:
        old_hash = await _password_hash(context, viewer)
        if not await services.passwords.verify(old_hash, current_password):
            attempt.failed()
            raise wrong
        new_hash = await services.passwords.hash(new_password)
        now = services.clock()
        try:
            async with transaction(services.store) as db:
                await accounts.change_password_hash(
                    db, user_id=viewer.user_id, old_hash=old_hash, new_hash=new_hash, now=now
                )
                await record_action(context, db, "password_changed")
                user = await accounts.get_user(db, user_id=viewer.user_id)
                assert user is not None
                return await start_session(context, db, user, now, active_customer=viewer.active_customer)
        except Forbidden:  # changed meanwhile by another request: this one's check is stale
            raise wrong from None


async def update_registration(context: Context, *, email: str | None) -> str | None:
    """Change registration data; a new e-mail takes effect once verified (returns it, pending)."""
    viewer = _require_user(context)
    if email is None:
        return None
    email = _check_email(email, ["input", "email"])
    async with transaction(context.services.store) as db:
        user = await accounts.get_user(db, user_id=viewer.user_id)
        assert user is not None
        if user.email == email and user.email_verified_at is not None:
            return None
        await _mail_verification(context, db, user, email)
        await record_action(context, db, "registration_changed", email_pending=email)
    return email


async def merge_accounts(
    context: Context, *, logins: Sequence[str], password: str, confirm: bool
) -> accounts.MergeResult:
    """Cancel the picked accounts (same verified e-mail) and move their customer numbers
    here, all in one transaction."""
    viewer = _require_user(context)
    if not confirm:
        raise Rejected(
            ["input", "confirm"], "Confirm that the picked accounts will be cancelled.", "NOT_CONFIRMED"
        )
    services, address = context.services, client_address(context.request)
    wrong = Rejected(["input", "password"], "The current password is not right.", "WRONG_PASSWORD")
    async with services.throttle.attempt(login=viewer.login, address=address) as attempt:
        password_hash = await _password_hash(context, viewer)
        if not await services.passwords.verify(password_hash, password):
            attempt.failed()
            raise wrong
    now = services.clock()
    async with transaction(services.store) as db:
        user = await accounts.get_user(db, user_id=viewer.user_id)
        if user is None or user.password_hash != password_hash:  # changed meanwhile
            raise wrong
        sharing = {
            login_key(other.login): other for other in await accounts.users_sharing_email(db, user_id=user.id)
        }
        picked = {login_key(login) for login in logins}
        if not picked or not picked <= sharing.keys():
            raise Rejected(
                ["input", "logins"], "Pick accounts that share your verified e-mail.", "NOT_MERGEABLE"
            )
        result = await accounts.merge_accounts(
            db, user_id=user.id, merged_user_ids=[sharing[key].id for key in picked], now=now
        )
        await record_action(
            context,
            db,
            "accounts_merged",
            merged=sorted(sharing[key].login for key in picked),
            customer_numbers=list(result.moved_customer_numbers),
        )
        await reload_viewer(context, db)
    return result


async def accounts_sharing_email(context: Context) -> list[User]:
    viewer = _require_user(context)
    async with transaction(context.services.store) as db:
        return await accounts.users_sharing_email(db, user_id=viewer.user_id)


async def set_active_customer(context: Context, *, customer_number: str) -> Viewer:
    viewer = _require_user(context)
    async with transaction(context.services.store) as db:
        try:
            await store_sessions.set_active_customer(
                db,
                session_id=viewer.session_id,
                customer_number=customer_number,
                now=context.services.clock(),
            )
        except NotFound:
            raise Rejected(["customerNumber"], "Not found.", "NOT_FOUND") from None
        refreshed = await reload_viewer(context, db)
    assert refreshed is not None
    return refreshed


async def grant_access(
    context: Context,
    *,
    customer_number: str,
    login: str,
    scopes: Sequence[Scope],
    expires_at: dt.datetime | None,
    consent_text: str,
) -> store_access.Grantee:
    viewer = _require_user(context)
    now = context.services.clock()
    async with transaction(context.services.store) as db:
        try:
            grant = await store_access.grant_delegate(
                db,
                owner_user_id=viewer.user_id,
                delegate_login=login,
                customer_number=customer_number,
                scopes=scopes,
                expires_at=expires_at,
                consent_text=consent_text,
                now=now,
            )
        except NotFound:
            raise Rejected(["input", "customerNumber"], "Not found.", "NOT_FOUND") from None
        except Forbidden as error:
            raise Rejected(["input", "customerNumber"], error.message, "FORBIDDEN") from None
        except BadUserInput as error:
            raise Rejected(["input"], error.message, "INVALID_GRANT") from None
        await record_action(
            context,
            db,
            "access_granted",
            customer_number=customer_number,
            grantee=login,
            scopes=sorted(str(scope) for scope in scopes),
            expires_at=expires_at.isoformat() if expires_at else None,
            consent=consent_text.strip(),
        )
        grantees = await store_access.list_grantees(db, customer_number=customer_number, now=now)
    return next(grantee for grantee in grantees if grantee.grant_id == grant.id)


async def revoke_access(context: Context, *, customer_number: str, login: str) -> None:
    viewer = _require_user(context)
    now = context.services.clock()
    async with transaction(context.services.store) as db:
        try:
            delegate = await accounts.find_user_by_login(db, login=login)
            if delegate is None:
                raise NotFound
            await store_access.revoke_delegate(
                db,
                owner_user_id=viewer.user_id,
                delegate_user_id=delegate.id,
                customer_number=customer_number,
                now=now,
            )
        except NotFound:
            raise Rejected(["input"], "No such grant.", "NOT_FOUND") from None
        except Forbidden as error:
            raise Rejected(["input", "customerNumber"], error.message, "FORBIDDEN") from None
        await record_action(context, db, "access_revoked", customer_number=customer_number, grantee=login)
