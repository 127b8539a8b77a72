"""The portal user: who is logged in, which customer numbers it sees, logging in and out,
registration, account settings, merging accounts and switching the customer number."""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Annotated, TypeVar

import strawberry

from gateway import portal_accounts, sessions
from gateway.context import Info
from gateway.context import Viewer as ViewerState
from gateway.domain.refusals import AccountErrorCode as DomainAccountErrorCode
from gateway.domain.refusals import Rejected
from gateway.permissions import PUBLIC, LoggedIn, NoRejectedCredential, public_fields
from gateway.portal_accounts import Proof
from gateway.resolvers.access_grants import resolve_viewer_claims
from gateway.schema.access_grants import OwnershipClaim
from gateway.schema.common import described_enum, localized
from gateway.schema.customer import Customer

_T = TypeVar("_T")
_E = TypeVar("_E")


async def attempt(
    action: Callable[[], Awaitable[_T]], error: Callable[[Rejected], _E]
) -> tuple[_T | None, list[_E]]:
    """Run a mutation's service call; an expected failure becomes the payload's errors."""
    try:
        return await action(), []
    except Rejected as rejected:
        return None, [error(rejected)]


AccountErrorCode = described_enum(
    DomainAccountErrorCode,
    description="Why an account mutation (login, logout, registration, e-mail, settings, merging) "
    "did not do what was asked.",
    values={
        "INVALID_CREDENTIALS": "Wrong login or password (the answer never says which, nor whether the "
        "login exists).",
        "NOT_LOGGED_IN": "`logout` without a session: nothing to end.",
        "SESSION_ENDED": "`logout` with a session that had already ended (logged out, expired or "
        "ended by a password change).",
        "INVALID_LOGIN": "A login has 1 to 64 printable characters.",
        "LOGIN_TAKEN": "Another account has this login (logins ignore case).",
        "WEAK_PASSWORD": "Shorter than 10 characters, longer than 128, a common password, or "
        "containing the login; the message says which.",
        "INVALID_EMAIL": "Not an e-mail address.",
        "INVALID_NAME": "`updateRegistration`: a name of 1 to 200 printable characters is needed.",
        "INVALID_PHONE": "`updateRegistration`: not a Czech phone number (+420 and nine digits).",
        "BAD_PROOF": "The proof gives none or both of a variable symbol and a supply point code.",
        "PROOF_FAILED": "The proof does not match the customer number (or the number does not exist: "
        "the answer is the same).",
        "STRONGER_PROOF_NEEDED": "The customer number already has an owner: prove it with `invoice` "
        "(variable symbol and total) to ask the owners for access.",
        "CLAIM_REJECTED": "An owner rejected this user's claim to the customer number less than 30 "
        "days ago; it may be filed again after that.",
        "WRONG_PASSWORD": "The current password given to confirm the change is not right.",
        "NOT_CONFIRMED": "`mergeAccounts` needs `confirm: true`.",
        "NOT_MERGEABLE": "A picked login is not among `viewer.accountsWithSameEmail`.",
        "NOT_FOUND": "The customer number is not one the viewer may see.",
        "TOKEN_UNKNOWN": "The e-mail token was never issued (mistyped, or cut short), or its account "
        "was cancelled.",
        "TOKEN_USED": "The e-mail token has already confirmed its address.",
        "TOKEN_EXPIRED": "The e-mail token is older than its validity (48 hours by default); change "
        "the e-mail again for a new one.",
    },
)


@public_fields
@strawberry.type(description="Why an account mutation did not do what was asked.")
class AccountError:
    field: list[str] | None = strawberry.field(
        description='The path of the input at fault (`["input", "email"]`); null when no one field is.'
    )
    message: strawberry.Private[str]  # in English, as raised: said in the request's language below
    code: AccountErrorCode = strawberry.field(  # type: ignore[valid-type]
        description="What went wrong, for a program to switch on."
    )

    @strawberry.field(
        name="message",
        description="For people: one or two sentences in the request's language (Accept-Language: "
        "Czech by default, or English).",
    )
    def localized_message(self) -> str:
        return localized(self.message, self.code)

    @classmethod
    def of(cls, rejected: Rejected) -> AccountError:
        return cls(field=rejected.field, message=rejected.message, code=rejected.code)


@public_fields
@strawberry.type(description="The logged-in portal user.")
class Viewer:
    state: strawberry.Private[ViewerState]

    @strawberry.field(description="The login the user signs in with.")
    def login(self) -> str:
        return self.state.login

    @strawberry.field(
        description=(
            "The e-mail address in use (verified or not: see `emailVerified`); null when none was given."
        )
    )
    def email(self) -> str | None:
        return self.state.email

    @strawberry.field(description="Whether `email` has been confirmed by the token mailed to it.")
    def email_verified(self) -> bool:
        return self.state.email_verified

    @strawberry.field(
        description="Other active accounts with this user's verified e-mail, which `mergeAccounts` can merge."
    )
    async def accounts_with_same_email(self, info: Info) -> list[LinkedAccount]:
        users = await portal_accounts.accounts_sharing_email(info.context)
        return [LinkedAccount(login=user.login) for user in users]

    @strawberry.field(description="The user's own registration data: name, phone, notification preferences.")
    async def registration(self, info: Info) -> Registration:
        return Registration.from_service(await portal_accounts.registration(info.context))

    @strawberry.field(description="Every customer number the user may see, own and delegated.")
    def customers(self) -> list[Customer]:
        return [Customer.of(number) for number in sorted(self.state.access)]

    @strawberry.field(
        description="The user's claims to become a co-owner of a customer number, pending and decided."
    )
    async def ownership_claims(self, info: Info) -> list[OwnershipClaim]:
        return await resolve_viewer_claims(info)

    @strawberry.field(description="The customer number the portal shows now.")
    def active_customer(self) -> Customer | None:
        number = self.state.active_customer
        if number is None or number not in self.state.access:
            number = min(self.state.access, default=None)
        return Customer.of(number) if number is not None else None


@public_fields
@strawberry.type(description="Another portal account of the same person (same verified e-mail).")
class LinkedAccount:
    login: str = strawberry.field(description="That account's login.")


@strawberry.input(description="The credentials chosen at registration.")
class LoginInput:
    login: str = strawberry.field(description="The login (case does not matter).")
    password: str = strawberry.field(description="The password.")


@public_fields
@strawberry.type(description="What `login` answers.")
class LoginPayload:
    token: str | None = strawberry.field(description="Use as `Authorization: Bearer <token>`.")
    viewer: Viewer | None = strawberry.field(
        description="The logged-in user; null when `errors` is not empty."
    )
    errors: list[AccountError] = strawberry.field(
        description=(
            "INVALID_CREDENTIALS when the login or password is wrong; "
            "empty on success. Too many failures answer a RATE_LIMITED "
            "error instead."
        )
    )


@public_fields
@strawberry.type(description="What `logout` answers.")
class LogoutPayload:
    ok: bool = strawberry.field(description="True when a session ended; false with `errors` saying why.")
    errors: list[AccountError] = strawberry.field(
        description="NOT_LOGGED_IN or SESSION_ENDED when there was nothing to end; empty on success."
    )


@strawberry.input(description="Two facts of one invoice: the stronger proof.")
class InvoiceProofInput:
    variable_symbol: str = strawberry.field(description="The invoice's variable symbol (1-10 digits).")
    total: Decimal = strawberry.field(description="The invoice's total in CZK, as printed on it.")


@strawberry.input(
    one_of=True,
    description=(
        "Proof that you are the customer: the variable symbol of one of its invoices, or the code "
        "(EAN/EIC) of one of its supply points, which make the first account of a customer number its "
        "owner; or `invoice` (variable symbol and total), needed to ask the owners of a customer "
        "number that already has an account (they approve)."
    ),
)
class CustomerProofInput:
    variable_symbol: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="The variable symbol (1-10 digits) of one of the customer's invoices.",
    )
    supply_point_code: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="The EAN (18 digits) or EIC (16 characters) of one of the customer's supply points.",
    )
    invoice: InvoiceProofInput | None = strawberry.field(
        default=strawberry.UNSET,
        description=(
            "The stronger proof: two facts of one invoice; needed when the number already has an owner."
        ),
    )

    def to_proof(self) -> Proof:
        if self.invoice:
            return Proof(
                variable_symbol=self.invoice.variable_symbol or None, invoice_total=self.invoice.total
            )
        return Proof(
            variable_symbol=self.variable_symbol or None, supply_point_code=self.supply_point_code or None
        )


@strawberry.input(
    description="A new portal account for a customer number, with proof that you are that customer."
)
class RegisterInput:
    login: str = strawberry.field(
        description="The login to sign in with: 1 to 64 printable characters, unique regardless of case."
    )
    password: str = strawberry.field(
        description="At least 10 characters, not the login, not a common password."
    )
    email: str = strawberry.field(description="Verified by a token mailed to it.")
    customer_number: str = strawberry.field(
        description="The 10-digit customer number (zákaznické číslo) printed on invoices."
    )
    proof: CustomerProofInput = strawberry.field(description="Proof that you are the customer.")


@public_fields
@strawberry.type(description="What `register` answers.")
class RegisterPayload:
    token: str | None = strawberry.field(
        description="The new session; use as `Authorization: Bearer <token>`."
    )
    viewer: Viewer | None = strawberry.field(
        description="The new user, logged in; null when `errors` is not empty."
    )
    errors: list[AccountError] = strawberry.field(description="Why no account was created; empty on success.")


@strawberry.input(description="A further customer number for this account, with proof.")
class AddCustomerNumberInput:
    customer_number: str = strawberry.field(description="The 10-digit customer number to add.")
    proof: CustomerProofInput = strawberry.field(description="Proof that you are that customer.")


@public_fields
@strawberry.type(description="What a mutation that changes the viewer's customer numbers answers.")
class ViewerPayload:
    viewer: Viewer | None = strawberry.field(
        description="The user after the change; null when `errors` is not empty."
    )
    errors: list[AccountError] = strawberry.field(description="Why nothing changed; empty on success.")


@public_fields
@strawberry.type(description="What `verifyEmail` answers.")
class VerifyEmailPayload:
    ok: bool = strawberry.field(
        description="True when the address is now verified; false with `errors` saying why."
    )
    errors: list[AccountError] = strawberry.field(
        description=(
            "TOKEN_UNKNOWN, TOKEN_USED or TOKEN_EXPIRED when nothing was confirmed; empty on success."
        )
    )


@strawberry.input(description="The current password, to confirm, and the new one.")
class ChangePasswordInput:
    current_password: str = strawberry.field(description="The password in use now.")
    new_password: str = strawberry.field(
        description="At least 10 characters (at most 128), not a common password, not containing the login."
    )


@public_fields
@strawberry.type(description="What `changePassword` answers.")
class ChangePasswordPayload:
    token: str | None = strawberry.field(description="Every session ended; this is the new one.")
    viewer: Viewer | None = strawberry.field(description="The user; null when `errors` is not empty.")
    errors: list[AccountError] = strawberry.field(
        description="Why the password was not changed; empty on success."
    )


@strawberry.input(description="Which mail to send; each field left out stays as it is.")
class NotificationPreferencesInput:
    invoices: bool | None = strawberry.field(default=None, description="A new invoice is issued.")
    payment_reminders: bool | None = strawberry.field(
        default=None, description="An invoice or deposit falls due soon, or is overdue."
    )
    request_updates: bool | None = strawberry.field(default=None, description="A request moves on.")
    marketing: bool | None = strawberry.field(default=None, description="Offers and product news.")


@public_fields
@strawberry.type(
    description="Which mail the user wants. Security notices (changes of where money or mail goes, "
    "ownership claims, e-mail verification) are always sent."
)
class NotificationPreferences:
    invoices: bool = strawberry.field(description="A new invoice is issued.")
    payment_reminders: bool = strawberry.field(
        description="An invoice or deposit falls due soon, or is overdue."
    )
    request_updates: bool = strawberry.field(description="A request moves on.")
    marketing: bool = strawberry.field(description="Offers and product news (off unless chosen).")


@public_fields
@strawberry.type(
    description="The portal user's own registration data (not the customer's, which the CRM holds)."
)
class Registration:
    full_name: str | None = strawberry.field(description="The user's name, as the user gave it.")
    phone: str | None = strawberry.field(description="E.164: `+420601123456`.")
    notifications: NotificationPreferences = strawberry.field(description="Which mail the user wants.")

    @classmethod
    def from_service(cls, registration: portal_accounts.Registration) -> Registration:
        n = registration.notifications
        return cls(
            full_name=registration.full_name,
            phone=registration.phone,
            notifications=NotificationPreferences(
                invoices=n.invoices,
                payment_reminders=n.payment_reminders,
                request_updates=n.request_updates,
                marketing=n.marketing,
            ),
        )


@strawberry.input(description="Give any of the fields; those left out stay as they are.")
class UpdateRegistrationInput:
    email: str | None = strawberry.field(default=None, description="Takes effect once verified.")
    full_name: str | None = strawberry.field(default=None, description="1-200 characters.")
    phone: str | None = strawberry.field(
        default=None, description="A Czech number (`+420 601 123 456`); an empty string removes it."
    )
    notifications: NotificationPreferencesInput | None = strawberry.field(
        default=None, description="Which mail to send."
    )


@public_fields
@strawberry.type(description="What `updateRegistration` answers.")
class UpdateRegistrationPayload:
    viewer: Viewer | None = strawberry.field(
        description="The user (its `email` is still the old one until the new one is verified)."
    )
    pending_email: str | None = strawberry.field(description="Waiting for verification by the mailed token.")
    errors: list[AccountError] = strawberry.field(description="Why nothing changed; empty on success.")


@strawberry.input(description="Which accounts to merge into the logged-in one, confirmed by its password.")
class MergeAccountsInput:
    logins: list[str] = strawberry.field(description="Accounts from `viewer.accountsWithSameEmail`.")
    password: str = strawberry.field(description="The current account's password.")
    confirm: bool = strawberry.field(description="Must be true: the picked accounts are cancelled.")


@public_fields
@strawberry.type(description="What `mergeAccounts` answers: all picked accounts merged, or none.")
class MergeAccountsPayload:
    viewer: Viewer | None = strawberry.field(description="The user after the merge.")
    merged_logins: list[str] = strawberry.field(
        description="The logins cancelled (sorted); empty when `errors` is not empty."
    )
    moved_customer_numbers: list[str] = strawberry.field(
        description="The customer numbers now on this account."
    )
    errors: list[AccountError] = strawberry.field(description="Why nothing was merged; empty on success.")


def resolve_viewer(info: Info) -> Viewer | None:
    state = info.context.viewer
    return Viewer(state=state) if state is not None else None


@strawberry.type
class AccountsQuery:
    @strawberry.field(
        permission_classes=[NoRejectedCredential],
        description="The logged-in user; null when anonymous (UNAUTHENTICATED when the credential "
        "presented is not, or no longer, valid).",
    )
    def viewer(self, info: Info) -> Viewer | None:
        return resolve_viewer(info)


@strawberry.type
class AccountsMutation:
    @strawberry.mutation(
        metadata=PUBLIC, description="Log in: sets the session cookie and returns a bearer token."
    )
    async def login(
        self,
        info: Info,
        input: Annotated[LoginInput, strawberry.argument(description="The login and password.")],
    ) -> LoginPayload:
        outcome = await sessions.log_in(info.context, login=input.login, password=input.password)
        if outcome is None:
            return LoginPayload(
                token=None,
                viewer=None,
                errors=[
                    AccountError(
                        field=None,
                        message="Wrong login or password.",
                        code=DomainAccountErrorCode.INVALID_CREDENTIALS,
                    )
                ],
            )
        token, viewer = outcome
        return LoginPayload(token=token, viewer=Viewer(state=viewer), errors=[])

    @strawberry.mutation(metadata=PUBLIC, description="Log out: revokes this session and clears the cookie.")
    async def logout(self, info: Info) -> LogoutPayload:
        _, errors = await attempt(lambda: sessions.log_out(info.context), AccountError.of)
        return LogoutPayload(ok=not errors, errors=errors)

    @strawberry.mutation(
        metadata=PUBLIC,
        description="A new account, logged in: the owner of the customer number it proves, or, when "
        "the number has an owner, with a pending claim (stronger proof) and no access until approved.",
    )
    async def register(
        self,
        info: Info,
        input: Annotated[RegisterInput, strawberry.argument(description="The new account and its proof.")],
    ) -> RegisterPayload:
        outcome, errors = await attempt(
            lambda: portal_accounts.register(
                info.context,
                login=input.login,
                password=input.password,
                email=input.email,
                customer_number=input.customer_number,
                proof=input.proof.to_proof(),
            ),
            AccountError.of,
        )
        if outcome is None:
            return RegisterPayload(token=None, viewer=None, errors=errors)
        token, state = outcome
        return RegisterPayload(token=token, viewer=Viewer(state=state), errors=[])

    @strawberry.mutation(
        permission_classes=[LoggedIn],
        description="Add a further customer number to this account with a proof; a number that has an "
        "owner needs the stronger proof and gets a pending claim (`viewer.ownershipClaims`).",
    )
    async def add_customer_number(
        self,
        info: Info,
        input: Annotated[
            AddCustomerNumberInput, strawberry.argument(description="The customer number and its proof.")
        ],
    ) -> ViewerPayload:
        state, errors = await attempt(
            lambda: portal_accounts.add_customer(
                info.context, customer_number=input.customer_number, proof=input.proof.to_proof()
            ),
            AccountError.of,
        )
        return ViewerPayload(viewer=Viewer(state=state) if state else None, errors=errors)

    @strawberry.mutation(
        metadata=PUBLIC, description="Confirm an e-mail address with the token mailed to it."
    )
    async def verify_email(
        self,
        info: Info,
        token: Annotated[
            str, strawberry.argument(description="The token from the mail (spaces around it are ignored).")
        ],
    ) -> VerifyEmailPayload:
        _, errors = await attempt(
            lambda: portal_accounts.verify_email(info.context, token=token), AccountError.of
        )
        return VerifyEmailPayload(ok=not errors, errors=errors)

    @strawberry.mutation(
        permission_classes=[LoggedIn],
        description="Change the password; every session ends and this client gets a new one.",
    )
    async def change_password(
        self,
        info: Info,
        input: Annotated[
            ChangePasswordInput, strawberry.argument(description="The current and the new password.")
        ],
    ) -> ChangePasswordPayload:
        outcome, errors = await attempt(
            lambda: portal_accounts.change_password(
                info.context, current_password=input.current_password, new_password=input.new_password
            ),
            AccountError.of,
        )
        if outcome is None:
            return ChangePasswordPayload(token=None, viewer=None, errors=errors)
        token, state = outcome
        return ChangePasswordPayload(token=token, viewer=Viewer(state=state), errors=[])

    @strawberry.mutation(
        permission_classes=[LoggedIn], description="Change registration data; a new e-mail is verified again."
    )
    async def update_registration(
        self,
        info: Info,
        input: Annotated[UpdateRegistrationInput, strawberry.argument(description="What to change.")],
    ) -> UpdateRegistrationPayload:
        pending, errors = await attempt(
            lambda: portal_accounts.update_registration(
                info.context,
                email=input.email,
                full_name=input.full_name,
                phone=input.phone,
                notifications={
                    name: value
                    for name, value in dataclasses.asdict(
                        input.notifications or NotificationPreferencesInput()
                    ).items()
                    if value is not None
                },
            ),
            AccountError.of,
        )
        return UpdateRegistrationPayload(viewer=resolve_viewer(info), pending_email=pending, errors=errors)

    @strawberry.mutation(
        permission_classes=[LoggedIn],
        description="Cancel the picked accounts (same verified e-mail) and move their customer numbers here.",
    )
    async def merge_accounts(
        self,
        info: Info,
        input: Annotated[
            MergeAccountsInput, strawberry.argument(description="The accounts to merge, confirmed.")
        ],
    ) -> MergeAccountsPayload:
        result, errors = await attempt(
            lambda: portal_accounts.merge_accounts(
                info.context, logins=input.logins, password=input.password, confirm=input.confirm
            ),
            AccountError.of,
        )
        return MergeAccountsPayload(
            viewer=resolve_viewer(info),
            merged_logins=sorted(login.strip() for login in input.logins) if result else [],
            moved_customer_numbers=list(result.moved_customer_numbers) if result else [],
            errors=errors,
        )

    @strawberry.mutation(
        permission_classes=[LoggedIn],
        description="Switch the customer number the portal shows in this session.",
    )
    async def set_active_customer(
        self,
        info: Info,
        customer_number: Annotated[str, strawberry.argument(description="One of `viewer.customers`.")],
    ) -> ViewerPayload:
        state, errors = await attempt(
            lambda: portal_accounts.set_active_customer(info.context, customer_number=customer_number),
            AccountError.of,
        )
        return ViewerPayload(viewer=Viewer(state=state) if state else None, errors=errors)
