"""What a portal user does with its account: register, prove a further customer number,
verify an e-mail, change the password and registration data, merge accounts, switch the
active customer number, grant and revoke access, decide on ownership claims.

Each operation is one store transaction. Expected failures raise ``Rejected`` (a field
path, a message, a code), which the schema turns into the payload's ``errors``; every
change is written to the audit log in the same transaction. Every change of who may see a
customer number is also mailed to its owners (``Notice``), once the transaction committed.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession
from stdnum import ean as stdnum_ean
from stdnum.eu import eic as stdnum_eic

from gateway import passwords
from gateway.auditing import record_action
from gateway.context import Context, Viewer
from gateway.dataloaders import Loaders
from gateway.domain.access import Scope
from gateway.domain.billing import InvoiceQuery
from gateway.domain.refusals import AccessErrorCode, AccountErrorCode, Rejected
from gateway.errors import BadUserInput, Forbidden, NotFound, Unauthenticated
from gateway.outbox import owner_notice, verification_mail
from gateway.requests import validation as request_validation
from gateway.sessions import client_address, reload_viewer, start_session
from gateway.store import access as store_access
from gateway.store import accounts, ownership
from gateway.store import sessions as store_sessions
from gateway.store.db import transaction
from gateway.store.models import AccessRole, User, login_key
from gateway.store.ownership import Proven

CUSTOMER_NUMBER = re.compile(r"^\d{10}$")
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
PROOF_PAGE_SIZE = 100
PROOF_PAGES = 6  # the newest 600 invoices: two years even for a bakery with 25 supply points
VARIABLE_SYMBOL = re.compile(r"^\d{1,10}$")
SUPPLY_POINT_CODE = re.compile(r"^(\d{18}|[0-9A-Z-]{16})$")  # an EAN (electricity) or an EIC (gas)
MAX_PROOF_AMOUNT = Decimal(10) ** 9
MAX_FULL_NAME = 200
CENT = Decimal("0.01")
PROOF_FAILED = "We could not confirm this customer number with the proof given."
CLAIM_REJECTED = (
    f"An owner of this customer number rejected your claim. You may ask again "
    f"{ownership.REFILE_AFTER.days} days after that decision."
)
STRONGER_PROOF_NEEDED = (
    "This customer number is already managed in the portal. To ask its owner for access, prove it "
    "with one of its invoices: the variable symbol and that invoice's total."
)


@dataclass(frozen=True, slots=True)
class Proof:
    variable_symbol: str | None = None
    supply_point_code: str | None = None
    invoice_total: Decimal | None = None  # with ``variable_symbol``: that invoice's total

    @property
    def strong(self) -> bool:
        """Two facts of one document (an invoice's variable symbol and its total): enough to
        ask the owners of a customer number for access. One fact is printed on every invoice."""
        return bool(self.variable_symbol) and self.invoice_total is not None


@dataclass(frozen=True, slots=True)
class Notice:
    """A mail to a customer number's owners (their verified addresses), sent after commit."""

    customer_number: str
    recipients: tuple[str, ...]
    what_cs: str
    what_en: str


async def owner_addresses(db: AsyncSession, *, customer_number: str, now: dt.datetime) -> tuple[str, ...]:
    """The verified e-mail addresses of the number's owners, each once."""
    owners = await store_access.list_owners(db, customer_number=customer_number, now=now)
    return tuple(sorted({owner.verified_email for owner in owners if owner.verified_email}))


async def send_notice(context: Context, notice: Notice) -> None:
    subject, body = owner_notice(
        customer_number=notice.customer_number, what_cs=notice.what_cs, what_en=notice.what_en
    )
    now = context.services.clock()
    for to in notice.recipients:
        await asyncio.to_thread(context.services.outbox.send, to=to, subject=subject, body=body, now=now)


def _require_user(context: Context) -> Viewer:
    if context.staff is not None:
        raise Forbidden("Staff access is read-only.")
    if context.viewer is None:
        raise Unauthenticated
    return context.viewer


def _valid_code(code: str) -> bool:
    """An EAN's GS1 check digit, an EIC's check character: a typo is refused without a call.
    (stdnum.ean takes GTIN lengths only; its GS1 check digit is the 18-digit EAN's too.)"""
    if code.isdigit():
        return stdnum_ean.calc_check_digit(code[:-1]) == code[-1]
    return stdnum_eic.is_valid(code)


def _normalise_code(code: str) -> str:
    return re.sub(r"\s+", "", code).upper()


async def proves_customer(loaders: Loaders, customer_number: str, proof: Proof) -> bool:
    """Whether ``proof`` belongs to ``customer_number`` in the back ends. A number that does
    not exist and a wrong proof both answer False: the caller cannot tell them apart."""
    if not CUSTOMER_NUMBER.match(customer_number):
        return False
    if proof.supply_point_code:
        wanted = _normalise_code(proof.supply_point_code)
        if not SUPPLY_POINT_CODE.match(wanted) or not _valid_code(wanted):
            return False
        points = await loaders.supply_points_by_customer.load(customer_number)
        return any(_normalise_code(point.code) == wanted for point in points)
    if proof.variable_symbol:
        symbol, total = proof.variable_symbol.strip(), proof.invoice_total
        if not VARIABLE_SYMBOL.match(symbol) or (total is not None and not _is_amount(total)):
            return False
        wanted = symbol.lstrip("0")
        for page_number in range(PROOF_PAGES):
            page = await loaders.invoice_page_by_query.load(
                InvoiceQuery(
                    customer_number=customer_number,
                    offset=page_number * PROOF_PAGE_SIZE,
                    limit=PROOF_PAGE_SIZE,
                )
            )
            if any(
                invoice.variable_symbol.lstrip("0") == wanted
                and (total is None or invoice.total.amount == total)
                for invoice in page.invoices
            ):
                return True
            if (page_number + 1) * PROOF_PAGE_SIZE >= page.total_count:
                break
    return False


def _is_amount(value: Decimal) -> bool:
    """A finite amount in CZK with at most two decimals (checked before any back-end call)."""
    return value.is_finite() and abs(value) < MAX_PROOF_AMOUNT and value == value.quantize(CENT)


async def _check_proof(context: Context, customer_number: str, proof: Proof, field: list[str]) -> None:
    """``Rejected`` (PROOF_FAILED) unless the proof holds; failures count against the
    client address like failed logins, so proofs cannot be guessed in bulk."""
    if bool(proof.variable_symbol) == bool(proof.supply_point_code):
        raise Rejected(
            [*field, "proof"],
            "Give either a variable symbol or a supply point code.",
            AccountErrorCode.BAD_PROOF,
        )
    address = client_address(context.request)
    async with context.services.throttle.attempt(login=None, address=address) as attempt:
        if not await proves_customer(context.loaders, customer_number.strip(), proof):
            attempt.failed()
            raise Rejected([*field, "proof"], PROOF_FAILED, AccountErrorCode.PROOF_FAILED)


def _check_password(password: str, login: str, field: list[str]) -> None:
    problems = passwords.password_problems(password, login=login)
    if problems:
        raise Rejected(field, " ".join(problems), AccountErrorCode.WEAK_PASSWORD)


def _check_email(email: str, field: list[str]) -> str:
    email = accounts.normalise_email(email)
    if not EMAIL.match(email) or len(email) > 254:
        raise Rejected(field, "This is not an e-mail address.", AccountErrorCode.INVALID_EMAIL)
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
    """A new account, logged in; a verification mail is sent. It owns ``customer_number``
    when that has no owner yet; otherwise (with the stronger proof) it has a pending claim
    and no access until an owner approves. A single fact on an owned number creates nothing."""
    if context.staff is not None:
        raise Forbidden("Staff access is read-only.")
    login = login.strip()
    if not 1 <= len(login) <= accounts.MAX_LOGIN_LENGTH or not login.isprintable():
        raise Rejected(
            ["input", "login"], "A login has 1 to 64 printable characters.", AccountErrorCode.INVALID_LOGIN
        )
    _check_password(password, login, ["input", "password"])
    email = _check_email(email, ["input", "email"])
    # The proof comes first: whether a login exists is told only to someone who proved a customer.
    await _check_proof(context, customer_number, proof, ["input"])
    async with transaction(context.services.store) as db:
        if await accounts.find_user_by_login(db, login=login, include_cancelled=True) is not None:
            raise Rejected(["input", "login"], "This login is already taken.", AccountErrorCode.LOGIN_TAKEN)
    password_hash = await context.services.passwords.hash(password)
    now = context.services.clock()
    number = customer_number.strip()
    async with transaction(context.services.store) as db:
        try:
            user = await accounts.create_user(
                db, login=login, password_hash=password_hash, email=email, now=now
            )
        except accounts.LoginTaken:
            raise Rejected(
                ["input", "login"], "This login is already taken.", AccountErrorCode.LOGIN_TAKEN
            ) from None
        proven, notice = await _prove(context, db, user, number, proof)
        await record_action(
            context, db, "registered", customer_number=number, actor_id=user.id, outcome=proven.value
        )
        await _mail_verification(context, db, user, email)
        outcome = await start_session(
            context, db, user, now, active_customer=number if proven is Proven.OWNER else None
        )
    if notice is not None:
        await send_notice(context, notice)
    return outcome


async def _prove(
    context: Context, db: AsyncSession, user: User, number: str, proof: Proof
) -> tuple[Proven, Notice | None]:
    """The proven number's owner, or a claim on it (audited; the owners' notice returned), or
    ``Rejected`` when the number has an owner and the proof is a single fact."""
    now = context.services.clock()
    proven = await ownership.prove_customer(
        db, user_id=user.id, customer_number=number, strong_proof=proof.strong, now=now
    )
    if proven is Proven.STRONGER_PROOF_NEEDED:
        raise Rejected(["input", "proof"], STRONGER_PROOF_NEEDED, AccountErrorCode.STRONGER_PROOF_NEEDED)
    if proven is Proven.CLAIM_REJECTED:
        raise Rejected(["input", "customerNumber"], CLAIM_REJECTED, AccountErrorCode.CLAIM_REJECTED)
    if proven is not Proven.CLAIM_FILED:
        return proven, None
    await record_action(
        context, db, "ownership_claimed", customer_number=number, actor_id=user.id, claimant=user.login
    )
    notice = Notice(
        customer_number=number,
        recipients=await owner_addresses(db, customer_number=number, now=now),
        what_cs=f"uživatel {user.login} žádá, aby se stal spoluvlastníkem. Žádost schválí nebo odmítne "
        "vlastník v portálu (Uživatelé s přístupem); do té doby nemá žádný přístup.",
        what_en=f"the user {user.login} asks to become a co-owner. An owner approves or rejects it "
        "in the portal (Users with access); until then it has no access.",
    )
    return proven, notice


async def add_customer(context: Context, *, customer_number: str, proof: Proof) -> Viewer:
    """The logged-in user proves one more customer number: owns it when it had no owner,
    otherwise (stronger proof) files a claim that its owners decide."""
    viewer = _require_user(context)
    await _check_proof(context, customer_number, proof, ["input"])
    number = customer_number.strip()
    async with transaction(context.services.store) as db:
        user = await accounts.get_user(db, user_id=viewer.user_id)
        assert user is not None
        proven, notice = await _prove(context, db, user, number, proof)
        if proven is Proven.OWNER:
            await record_action(context, db, "customer_added", customer_number=number)
        refreshed = await reload_viewer(context, db)
    assert refreshed is not None
    if notice is not None:
        await send_notice(context, notice)
    return refreshed


async def decide_claim(
    context: Context, *, customer_number: str, login: str, approve: bool
) -> ownership.Claim:
    """An owner approves (the claimant becomes a co-owner) or rejects a pending claim."""
    viewer = _require_user(context)
    now = context.services.clock()
    async with transaction(context.services.store) as db:
        try:
            claimant = await accounts.find_user_by_login(db, login=login)
            if claimant is None:
                raise NotFound
            claim = await ownership.decide_claim(
                db,
                owner_user_id=viewer.user_id,
                claimant_user_id=claimant.id,
                customer_number=customer_number,
                approve=approve,
                now=now,
            )
        except NotFound:
            raise Rejected(["input"], "No such claim.", AccessErrorCode.NOT_FOUND) from None
        except Forbidden as error:
            raise Rejected(["input", "customerNumber"], error.message, AccessErrorCode.FORBIDDEN) from None
        action = "ownership_claim_approved" if approve else "ownership_claim_rejected"
        await record_action(context, db, action, customer_number=customer_number, claimant=claim.login)
        notice = Notice(
            customer_number=customer_number,
            recipients=await owner_addresses(db, customer_number=customer_number, now=now),
            what_cs=f"vlastník {viewer.login} "
            + (
                f"schválil uživatele {claim.login} jako spoluvlastníka."
                if approve
                else f"odmítl žádost uživatele {claim.login}."
            ),
            what_en=f"the owner {viewer.login} "
            + (
                f"approved {claim.login} as a co-owner."
                if approve
                else f"rejected the claim of {claim.login}."
            ),
        )
        await reload_viewer(context, db)
    await send_notice(context, notice)
    return claim


async def list_claims(context: Context, *, customer_number: str | None = None) -> list[ownership.Claim]:
    """Pending claims on ``customer_number`` (the caller checked that the viewer may see
    them), or without it the viewer's own claims."""
    async with transaction(context.services.store) as db:
        if customer_number is not None:
            return await ownership.list_claims(db, customer_number=customer_number, pending_only=True)
        viewer = context.viewer
        if viewer is None:
            return []
        return await ownership.list_claims(db, user_id=viewer.user_id)


TOKEN_REFUSALS = {
    accounts.TokenProblem.UNKNOWN: (
        AccountErrorCode.TOKEN_UNKNOWN,
        "This link is not valid: check that it was copied whole, from the newest mail.",
    ),
    accounts.TokenProblem.USED: (
        AccountErrorCode.TOKEN_USED,
        "This address has already been confirmed with this link; nothing more to do.",
    ),
    accounts.TokenProblem.EXPIRED: (
        AccountErrorCode.TOKEN_EXPIRED,
        "This link has expired: change the e-mail in the account settings to get a new one.",
    ),
}


async def verify_email(context: Context, *, token: str) -> None:
    """Confirm the address the token was mailed to; ``Rejected`` saying why not."""
    async with transaction(context.services.store) as db:
        user = await accounts.confirm_email_verification(
            db, token=token.strip(), now=context.services.clock()
        )
        if isinstance(user, accounts.TokenProblem):
            code, message = TOKEN_REFUSALS[user]
            raise Rejected(["token"], message, code)
        await record_action(context, db, "email_verified", actor_id=user.id)
        await reload_viewer(context, db)


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
    wrong = Rejected(
        ["input", "currentPassword"], "The current password is not right.", AccountErrorCode.WRONG_PASSWORD
    )
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


@dataclass(frozen=True, slots=True)
class NotificationPreferences:
    """Which mail the user wants. Security notices (a change of where the customer's money or
    mail goes, ownership claims, e-mail verification) are always sent."""

    invoices: bool = True
    payment_reminders: bool = True
    request_updates: bool = True
    marketing: bool = False


@dataclass(frozen=True, slots=True)
class Registration:
    full_name: str | None
    phone: str | None
    notifications: NotificationPreferences


_PREFERENCE_COLUMNS = {
    "invoices": "notify_invoices",
    "payment_reminders": "notify_payment_reminders",
    "request_updates": "notify_request_updates",
    "marketing": "notify_marketing",
}


def _registration(user: User) -> Registration:
    preferences = {name: bool(getattr(user, column)) for name, column in _PREFERENCE_COLUMNS.items()}
    return Registration(user.full_name, user.phone, NotificationPreferences(**preferences))


async def registration(context: Context) -> Registration:
    viewer = _require_user(context)
    async with transaction(context.services.store) as db:
        user = await accounts.get_user(db, user_id=viewer.user_id)
        assert user is not None
        return _registration(user)


def _check_name(name: str) -> str:
    name = " ".join(name.split())
    if not 0 < len(name) <= MAX_FULL_NAME or not name.isprintable():
        raise Rejected(
            ["input", "fullName"],
            f"Give a name of 1 to {MAX_FULL_NAME} characters.",
            AccountErrorCode.INVALID_NAME,
        )
    return name


def _check_phone(phone: str) -> str | None:
    """``""`` clears the phone; otherwise a Czech number, kept as ``+420601123456``."""
    if not phone.strip():
        return None
    checked = request_validation.phone(phone)
    if checked is None:
        raise Rejected(
            ["input", "phone"], "A Czech phone number: +420 and nine digits.", AccountErrorCode.INVALID_PHONE
        )
    return checked


async def update_registration(
    context: Context,
    *,
    email: str | None = None,
    full_name: str | None = None,
    phone: str | None = None,
    notifications: Mapping[str, bool] | None = None,
) -> str | None:
    """Change registration data: the name, phone and notification preferences at once, a new
    e-mail once verified (returns it, pending). Every value is checked before anything changes."""
    viewer = _require_user(context)
    new_email = _check_email(email, ["input", "email"]) if email is not None else None
    new_name = _check_name(full_name) if full_name is not None else None
    new_phone = _check_phone(phone) if phone is not None else None
    unknown = set(notifications or {}) - set(_PREFERENCE_COLUMNS)
    assert not unknown, unknown  # the schema's input has exactly these fields
    async with transaction(context.services.store) as db:
        user = await accounts.get_user(db, user_id=viewer.user_id)
        assert user is not None
        changed: list[str] = []
        if new_name is not None and new_name != user.full_name:
            user.full_name = new_name
            changed.append("full_name")
        if phone is not None and new_phone != user.phone:
            user.phone = new_phone
            changed.append("phone")
        for name, value in (notifications or {}).items():
            column = _PREFERENCE_COLUMNS[name]
            if getattr(user, column) != value:
                setattr(user, column, value)
                changed.append(f"notifications.{name}")
        if changed:
            user.updated_at = context.services.clock()
            # which fields, never their values: the audit log holds no personal data it need not
            await record_action(context, db, "registration_changed", fields=changed)
        if new_email is None or (user.email == new_email and user.email_verified_at is not None):
            return None
        await _mail_verification(context, db, user, new_email)
        await record_action(context, db, "registration_changed", email_pending=new_email)
    return new_email


async def merge_accounts(
    context: Context, *, logins: Sequence[str], password: str, confirm: bool
) -> accounts.MergeResult:
    """Cancel the picked accounts (same verified e-mail) and move their customer numbers
    here, all in one transaction."""
    viewer = _require_user(context)
    if not confirm:
        raise Rejected(
            ["input", "confirm"],
            "Confirm that the picked accounts will be cancelled.",
            AccountErrorCode.NOT_CONFIRMED,
        )
    services, address = context.services, client_address(context.request)
    wrong = Rejected(
        ["input", "password"], "The current password is not right.", AccountErrorCode.WRONG_PASSWORD
    )
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
                ["input", "logins"],
                "Pick accounts that share your verified e-mail.",
                AccountErrorCode.NOT_MERGEABLE,
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
        notices = []
        for number in result.moved_customer_numbers:
            await record_action(
                context,
                db,
                "access_moved",
                customer_number=number,
                merged=sorted(sharing[key].login for key in picked),
            )
            notices.append(
                Notice(
                    customer_number=number,
                    recipients=await owner_addresses(db, customer_number=number, now=now),
                    what_cs=f"přístup k číslu přešel sloučením účtů na účet {user.login}.",
                    what_en=f"access to this number moved to the account {user.login} by merging accounts.",
                )
            )
        await reload_viewer(context, db)
    for notice in notices:
        await send_notice(context, notice)
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
            raise Rejected(["customerNumber"], "Not found.", AccountErrorCode.NOT_FOUND) from None
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
            raise Rejected(["input", "customerNumber"], "Not found.", AccessErrorCode.NOT_FOUND) from None
        except Forbidden as error:
            raise Rejected(["input", "customerNumber"], error.message, AccessErrorCode.FORBIDDEN) from None
        except BadUserInput as error:
            raise Rejected(["input"], error.message, AccessErrorCode.INVALID_GRANT) from None
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
        granted = next(grantee for grantee in grantees if grantee.grant_id == grant.id)
        scope_list = ", ".join(sorted(str(scope) for scope in granted.scopes))
        notice = Notice(
            customer_number=customer_number,
            recipients=await owner_addresses(db, customer_number=customer_number, now=now),
            what_cs=f"vlastník {viewer.login} udělil uživateli {granted.login} přístup ({scope_list}).",
            what_en=f"the owner {viewer.login} granted {granted.login} access ({scope_list}).",
        )
    await send_notice(context, notice)
    return granted


async def revoke_access(context: Context, *, customer_number: str, login: str) -> None:
    """An owner ends a delegate's or a co-owner's access (or leaves); never the last owner's.
    Everyone who owned the number before, the removed co-owner included, is told."""
    viewer = _require_user(context)
    now = context.services.clock()
    async with transaction(context.services.store) as db:
        try:
            user = await accounts.find_user_by_login(db, login=login)
            if user is None:
                raise NotFound
            recipients = await owner_addresses(db, customer_number=customer_number, now=now)
            role = await store_access.revoke_access(
                db, owner_user_id=viewer.user_id, user_id=user.id, customer_number=customer_number, now=now
            )
        except NotFound:
            raise Rejected(["input"], "No such grant.", AccessErrorCode.NOT_FOUND) from None
        except Forbidden as error:
            raise Rejected(["input", "customerNumber"], error.message, AccessErrorCode.FORBIDDEN) from None
        except store_access.LastOwner:
            raise Rejected(
                ["input", "login"],
                "The last owner cannot be removed: approve another owner first.",
                AccessErrorCode.LAST_OWNER,
            ) from None
        await record_action(
            context,
            db,
            "access_revoked",
            customer_number=customer_number,
            grantee=user.login,
            role=role.value,
        )
        who_cs, who_en = (
            ("spoluvlastníka", "co-owner") if role is AccessRole.OWNER else ("zmocněnce", "delegate")
        )
        notice = Notice(
            customer_number=customer_number,
            recipients=recipients,
            what_cs=f"vlastník {viewer.login} odebral přístup {who_cs} {user.login}.",
            what_en=f"the owner {viewer.login} removed the access of the {who_en} {user.login}.",
        )
        await reload_viewer(context, db)
    await send_notice(context, notice)
