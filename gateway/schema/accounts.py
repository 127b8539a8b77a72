"""The portal user: who is logged in, which customer numbers it sees, logging in and out."""

from __future__ import annotations

import strawberry

from gateway import sessions
from gateway.context import Info
from gateway.context import Viewer as ViewerState
from gateway.schema.common import UserError
from gateway.schema.customer import Customer


@strawberry.type(description="The logged-in portal user.")
class Viewer:
    state: strawberry.Private[ViewerState]

    @strawberry.field
    def login(self) -> str:
        return self.state.login

    @strawberry.field
    def email(self) -> str | None:
        return self.state.email

    @strawberry.field(description="Every customer number the user may see, own and delegated.")
    def customers(self) -> list[Customer]:
        return [Customer.of(number) for number in sorted(self.state.access)]

    @strawberry.field(description="The customer number the portal shows now.")
    def active_customer(self) -> Customer | None:
        number = self.state.active_customer
        if number is None or number not in self.state.access:
            number = min(self.state.access, default=None)
        return Customer.of(number) if number is not None else None


@strawberry.input
class LoginInput:
    login: str
    password: str


@strawberry.type
class LoginPayload:
    token: str | None = strawberry.field(description="Use as `Authorization: Bearer <token>`.")
    viewer: Viewer | None
    errors: list[UserError]


@strawberry.type
class LogoutPayload:
    ok: bool


def resolve_viewer(info: Info) -> Viewer | None:
    state = info.context.viewer
    return Viewer(state=state) if state is not None else None


@strawberry.type
class AccountsQuery:
    @strawberry.field(description="The logged-in user; null when anonymous.")
    def viewer(self, info: Info) -> Viewer | None:
        return resolve_viewer(info)


@strawberry.type
class AccountsMutation:
    @strawberry.mutation(description="Log in: sets the session cookie and returns a bearer token.")
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

    @strawberry.mutation(description="Log out: revokes this session and clears the cookie.")
    async def logout(self, info: Info) -> LogoutPayload:
        return LogoutPayload(ok=await sessions.log_out(info.context))
