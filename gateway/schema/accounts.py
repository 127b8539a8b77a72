"""The portal user: who is logged in, which customer numbers it sees, logging in and out,
registration, account settings, merging accounts and switching the customer number."""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import TypeVar

import strawberry

from gateway import portal_accounts, sessions
from gateway.context import Info
from gateway.context import Viewer as ViewerState
from gateway.permissions import PUBLIC, LoggedIn, NoRejectedCredential, public_fields
from gateway.portal_accounts import Proof, Rejected
from gateway.resolvers.access_grants import resolve_viewer_claims
from gateway.schema.access_grants import OwnershipClaim
from gateway.schema.common import UserError
from gateway.schema.customer import Customer

_T = TypeVar("_T")


async def attempt(action: Callable[[], Awaitable[_T]]) -> tuple[_T | None, list[UserError]]:
    """Run a mutation's service call; an expected failure becomes the payload's errors."""
    try:
        return await action(), []
    except Rejected as rejected:
        return None, [UserError(field=rejected.field, message=rejected.message, code=rejected.code)]


@public_fields
@strawberry.type(description="The logged-in portal user.")
class Viewer:
    state: strawberry.Private[ViewerState]

    @strawberry.field
    def login(self) -> str:
        return self.state.login

    @strawberry.field
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
    login: str


@strawberry.input
class LoginInput:
    login: str
    password: str


@public_fields
@strawberry.type
class LoginPayload:
    token: str | None = strawberry.field(description="Use as `Authorization: Bearer <token>`.")
    viewer: Viewer | None
    errors: list[UserError]


@public_fields
@strawberry.type
class LogoutPayload:
    ok: bool


@strawberry.input(description="Two facts of one invoice: the stronger proof.")
class InvoiceProofInput:
    variable_symbol: str
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
    variable_symbol: str | None = strawberry.UNSET
    supply_point_code: str | None = strawberry.UNSET
    invoice: InvoiceProofInput | None = strawberry.UNSET

    def to_proof(self) -> Proof:
        if self.invoice:
            return Proof(
                variable_symbol=self.invoice.variable_symbol or None, invoice_total=self.invoice.total
            )
        return Proof(
            variable_symbol=self.variable_symbol or None, supply_point_code=self.supply_point_code or None
        )


@strawberry.input
class RegisterInput:
    login: str
    password: str = strawberry.field(
        description="At least 10 characters, not the login, not a common password."
    )
    email: str = strawberry.field(description="Verified by a token mailed to it.")
    customer_number: str
    proof: CustomerProofInput


@public_fields
@strawberry.type
class RegisterPayload:
    token: str | None = strawberry.field(
        description="The new session; use as `Authorization: Bearer <token>`."
    )
    viewer: Viewer | None
    errors: list[UserError]


@strawberry.input
class AddCustomerNumberInput:
    customer_number: str
    proof: CustomerProofInput


@public_fields
@strawberry.type
class ViewerPayload:
    viewer: Viewer | None
    errors: list[UserError]


@public_fields
@strawberry.type
class VerifyEmailPayload:
    ok: bool


@strawberry.input
class ChangePasswordInput:
    current_password: str
    new_password: str


@public_fields
@strawberry.type
class ChangePasswordPayload:
    token: str | None = strawberry.field(description="Every session ended; this is the new one.")
    viewer: Viewer | None
    errors: list[UserError]


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
@strawberry.type
class UpdateRegistrationPayload:
    viewer: Viewer | None
    pending_email: str | None = strawberry.field(description="Waiting for verification by the mailed token.")
    errors: list[UserError]


@strawberry.input
class MergeAccountsInput:
    logins: list[str] = strawberry.field(description="Accounts from `viewer.accountsWithSameEmail`.")
    password: str = strawberry.field(description="The current account's password.")
    confirm: bool = strawberry.field(description="Must be true: the picked accounts are cancelled.")


@public_fields
@strawberry.type
class MergeAccountsPayload:
    viewer: Viewer | None
    merged_logins: list[str]
    moved_customer_numbers: list[str]
    errors: list[UserError]


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
    async def login(self, info: Info, input: LoginInput) -> LoginPayload:
        outcome = await sessions.log_in(info.context, login=input.login, password=input.password)
        if outcome is None:
            return LoginPayload(
                token=None,
                viewer=None,
                errors=[
                    UserError(field=None, message="Wrong login or password.", code="INVALID_CREDENTIALS")
                ],
            )
        token, viewer = outcome
        return LoginPayload(token=token, viewer=Viewer(state=viewer), errors=[])

    @strawberry.mutation(metadata=PUBLIC, description="Log out: revokes this session and clears the cookie.")
    async def logout(self, info: Info) -> LogoutPayload:
        return LogoutPayload(ok=await sessions.log_out(info.context))

    @strawberry.mutation(
        metadata=PUBLIC,
        description="A new account, logged in: the owner of the customer number it proves, or, when "
        "the number has an owner, with a pending claim (stronger proof) and no access until approved.",
    )
    async def register(self, info: Info, input: RegisterInput) -> RegisterPayload:
        outcome, errors = await attempt(
            lambda: portal_accounts.register(
                info.context,
                login=input.login,
                password=input.password,
                email=input.email,
                customer_number=input.customer_number,
                proof=input.proof.to_proof(),
            )
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
    async def add_customer_number(self, info: Info, input: AddCustomerNumberInput) -> ViewerPayload:
        state, errors = await attempt(
            lambda: portal_accounts.add_customer(
                info.context, customer_number=input.customer_number, proof=input.proof.to_proof()
            )
        )
        return ViewerPayload(viewer=Viewer(state=state) if state else None, errors=errors)

    @strawberry.mutation(
        metadata=PUBLIC, description="Confirm an e-mail address with the token mailed to it."
    )
    async def verify_email(self, info: Info, token: str) -> VerifyEmailPayload:
        return VerifyEmailPayload(ok=await portal_accounts.verify_email(info.context, token=token))

    @strawberry.mutation(
        permission_classes=[LoggedIn],
        description="Change the password; every session ends and this client gets a new one.",
    )
    async def change_password(self, info: Info, input: ChangePasswordInput) -> ChangePasswordPayload:
        outcome, errors = await attempt(
            lambda: portal_accounts.change_password(
                info.context, current_password=input.current_password, new_password=input.new_password
            )
        )
        if outcome is None:
            return ChangePasswordPayload(token=None, viewer=None, errors=errors)
        token, state = outcome
        return ChangePasswordPayload(token=token, viewer=Viewer(state=state), errors=[])

    @strawberry.mutation(
        permission_classes=[LoggedIn], description="Change registration data; a new e-mail is verified again."
    )
    async def update_registration(
        self, info: Info, input: UpdateRegistrationInput
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
            )
        )
        return UpdateRegistrationPayload(viewer=resolve_viewer(info), pending_email=pending, errors=errors)

    @strawberry.mutation(
        permission_classes=[LoggedIn],
        description="Cancel the picked accounts (same verified e-mail) and move their customer numbers here.",
    )
    async def merge_accounts(self, info: Info, input: MergeAccountsInput) -> MergeAccountsPayload:
        result, errors = await attempt(
            lambda: portal_accounts.merge_accounts(
                info.context, logins=input.logins, password=input.password, confirm=input.confirm
            )
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
    async def set_active_customer(self, info: Info, customer_number: str) -> ViewerPayload:
        state, errors = await attempt(
            lambda: portal_accounts.set_active_customer(info.context, customer_number=customer_number)
        )
        return ViewerPayload(viewer=Viewer(state=state) if state else None, errors=errors)
