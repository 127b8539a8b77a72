"""Who is asking (session cookie, bearer token or staff API key), logging in and out.

The browser gets an HttpOnly, SameSite=Lax cookie (Secure outside demo mode); API clients
send the same token as ``Authorization: Bearer <token>``. Staff send ``X-API-Key``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from starlette.requests import Request

from gateway import passwords
from gateway.context import Context, Staff, Viewer
from gateway.domain.refusals import AccountErrorCode, Rejected
from gateway.errors import RateLimited
from gateway.permissions import Access, Role
from gateway.session_cache import Epoch
from gateway.store import access as store_access
from gateway.store import accounts, api_keys, audit
from gateway.store import sessions as store_sessions
from gateway.store.db import connect, transaction
from gateway.store.models import AccessRole, ActorKind, User, UserStatus


def _idle(context: Context) -> dt.timedelta:
    return dt.timedelta(minutes=context.settings.session_idle_minutes)


def _absolute(context: Context) -> dt.timedelta:
    return dt.timedelta(hours=context.settings.session_absolute_hours)


def request_token(context: Context) -> str | None:
    authorization = context.request.headers.get("authorization", "")
    scheme, _, credentials = authorization.partition(" ")
    if scheme.lower() == "bearer" and credentials.strip():
        return credentials.strip()
    return context.request.cookies.get(context.settings.cookie_name) or None


def client_address(request: Request) -> str | None:
    """The client's address: the peer, or what a trusted proxy forwarded (resolved once per
    request by ``gateway.http.forwarded``). Every throttle, session and audit entry uses this."""
    return request.client.host if request.client else None


def _access(grant: store_access.Access) -> Access:
    role = Role.OWNER if grant.role is AccessRole.OWNER else Role.DELEGATE
    return Access(role, grant.scopes)


async def _viewer(
    context: Context, db: AsyncSession, resolved: store_sessions.ResolvedSession, now: dt.datetime
) -> Viewer:
    grants = await store_access.list_customer_access(db, user_id=resolved.user.id, now=now)
    return Viewer(
        user_id=resolved.user.id,
        login=resolved.user.login,
        email=resolved.user.email,
        email_verified=resolved.user.email_verified_at is not None,
        session_id=resolved.session.id,
        active_customer=resolved.session.active_customer_number,
        access={grant.customer_number: _access(grant) for grant in grants},
    )


SESSION_ENDED = "Your session has ended; log in again."
API_KEY_REFUSED = "This API key is not valid (or no longer)."


async def authenticate_request(
    context: Context, *, also_read: Callable[[Viewer], Sequence[str]] | None = None
) -> list[bytes | None] | None:
    """Fill ``context.viewer`` or ``context.staff`` from the request's credentials. A credential
    that does not resolve (unknown, expired, revoked, mistyped) leaves the caller anonymous with
    ``context.rejected_credential`` saying why, so that whatever needs a login answers
    UNAUTHENTICATED with that message, while ``login`` and public fields still work; a stale
    session cookie is cleared in the response.

    ``also_read``: Redis keys to read with the kept viewer's check, in its round trip
    (``SessionCache.lookup_reading``); their values are answered when they were read."""
    read: list[bytes | None] | None = None
    now = context.services.clock()
    raw_key = context.request.headers.get("x-api-key")
    token = request_token(context)
    if raw_key is not None:
        async with transaction(context.services.store) as db:
            key = await api_keys.resolve_api_key(db, raw_key=raw_key)
            if key is not None:
                context.staff = Staff(key_id=key.id, name=key.name, roles=api_keys.roles_of(key))
        if context.staff is None:
            context.rejected_credential = API_KEY_REFUSED
    elif token is not None:
        # The path of every logged-in request: the viewer kept since an earlier request while
        # nothing changed (gateway.session_cache), else one statement on a bare connection, no
        # ORM session, committed only when it wrote the session's last_seen_at (every 30 s).
        cache = context.services.sessions
        kept: Viewer | None = None
        epoch: Epoch | None = None
        if cache is not None and also_read is not None:
            kept, epoch, read = await cache.lookup_reading(token, now, also_read)
        elif cache is not None:
            kept, epoch = await cache.lookup(token, now)
        if kept is not None:
            context.viewer, context.session_token = kept, token
        else:
            async with connect(context.services.store) as connection:
                resolved = await _resolve(context, connection, token, now)
                if resolved is not None and resolved.touched:
                    await connection.commit()
            if (
                context.viewer is not None
                and resolved is not None
                and cache is not None
                and epoch is not None
            ):
                cache.keep(token, context.viewer, resolved.holds_until, epoch)
        if context.viewer is None:
            context.rejected_credential = SESSION_ENDED
            if context.request.cookies.get(context.settings.cookie_name) == token:
                context.response.delete_cookie(context.settings.cookie_name, path="/")
    return read


async def _resume_session(
    context: Context, connection: AsyncConnection, token: str, now: dt.datetime
) -> bool:
    """Fill ``context.viewer`` from the session of ``token``. Looked up in the store on every
    call, with the user's grants, so a revoked or expired session or grant gives nothing
    from the next request on. True when the session's ``last_seen_at`` was written (the
    caller commits it)."""
    resolved = await _resolve(context, connection, token, now)
    return resolved is not None and resolved.touched


async def _resolve(
    context: Context, connection: AsyncConnection, token: str, now: dt.datetime
) -> store_sessions.SessionViewer | None:
    """The session of ``token`` as the store has it now, set as ``context.viewer``."""
    resolved = await store_sessions.resolve_session_viewer(
        connection, token=token, now=now, idle_timeout=_idle(context), absolute_timeout=_absolute(context)
    )
    if resolved is not None:
        _set_viewer(context, resolved, token)
    return resolved


def _set_viewer(context: Context, resolved: store_sessions.SessionViewer, token: str) -> None:
    context.viewer = Viewer(
        user_id=resolved.user_id,
        login=resolved.login,
        email=resolved.email,
        email_verified=resolved.email_verified,
        session_id=resolved.session_id,
        active_customer=resolved.active_customer_number,
        access={grant.customer_number: _access(grant) for grant in resolved.grants},
    )
    context.session_token = token


async def log_in(context: Context, *, login: str, password: str) -> tuple[str, Viewer] | None:
    """A new session for these credentials (and its cookie), or None when they are wrong.

    The attempt is reserved first (``RateLimited`` before anything is read or hashed);
    the user's hash is read in a short transaction, verified with no connection held
    (an unknown login verifies a dummy hash: the same time, the same bound), and only a
    right password opens the transaction that starts the session."""
    passwords.require_acceptable_length(password)
    services = context.services
    address = client_address(context.request)
    async with services.throttle.attempt(login=login, address=address) as attempt:
        async with transaction(services.store) as db:
            user = await accounts.find_user_by_login(db, login=login)
            known = (user.id, user.password_hash) if user is not None else None
        if not await services.passwords.verify(known[1] if known else None, password):
            attempt.failed()
            async with transaction(services.store) as db:
                await audit.write_audit(
                    db,
                    now=services.clock(),
                    actor_kind=ActorKind.ANONYMOUS,
                    actor_id=None,
                    action="login_failed",
                    detail={"login": login[:64]},
                    client_address=address,
                )
            return None
        assert known is not None
        user_id, password_hash = known
        upgraded = await _upgraded_hash(services.passwords, password_hash, password)
        now = services.clock()
        async with transaction(services.store) as db:
            user = await accounts.get_user(db, user_id=user_id)
            if user is None or user.status is not UserStatus.ACTIVE or user.password_hash != password_hash:
                return None  # cancelled or its password changed since it was read
            if upgraded is not None:
                await accounts.upgrade_password_hash(
                    db, user_id=user_id, old_hash=password_hash, new_hash=upgraded, now=now
                )
            if context.session_token is not None:  # rotate: the old session ends at login
                await store_sessions.revoke_session(db, token=context.session_token, now=now)
            await audit.write_audit(
                db,
                now=now,
                actor_kind=ActorKind.USER,
                actor_id=user.id,
                action="login",
                client_address=address,
            )
            token, viewer = await start_session(context, db, user, now)
        attempt.succeeded()
    return token, viewer


async def _upgraded_hash(hashing: passwords.PasswordHashing, password_hash: str, password: str) -> str | None:
    """A hash with today's parameters when the stored one has older ones; skipped (until
    the next login) when the hashing pool is full."""
    if not passwords.needs_rehash(password_hash):
        return None
    try:
        return await hashing.hash(password)
    except RateLimited:
        return None


async def start_session(
    context: Context, db: AsyncSession, user: User, now: dt.datetime, *, active_customer: str | None = None
) -> tuple[str, Viewer]:
    """A new session for ``user`` (login, registration, password change), its cookie set
    and ``context.viewer`` switched to it."""
    token, user_session = await store_sessions.create_session(
        db,
        user_id=user.id,
        now=now,
        absolute_timeout=_absolute(context),
        active_customer_number=active_customer,
        user_agent=context.request.headers.get("user-agent"),
        client_address=client_address(context.request),
    )
    viewer = await _viewer(context, db, store_sessions.ResolvedSession(session=user_session, user=user), now)
    context.response.set_cookie(
        context.settings.cookie_name,
        token,
        max_age=int(_absolute(context).total_seconds()),
        httponly=True,
        secure=context.settings.secure_cookies,
        samesite="lax",
        path="/",
    )
    context.viewer, context.session_token = viewer, token
    return token, viewer


async def reload_viewer(context: Context, db: AsyncSession) -> Viewer | None:
    """The viewer as the store sees it now (after a change in this transaction)."""
    if context.viewer is None or context.session_token is None:
        return None
    await db.flush()  # the statement runs on the session's connection, past its autoflush
    await _resume_session(context, await db.connection(), context.session_token, context.services.clock())
    return context.viewer


async def log_out(context: Context) -> None:
    """End the current session and clear its cookie; ``Rejected`` when there was none
    (``NOT_LOGGED_IN``) or it had already ended (``SESSION_ENDED``): the cookie is cleared
    either way."""
    context.response.delete_cookie(context.settings.cookie_name, path="/")
    ended = Rejected(None, "This session had already ended.", AccountErrorCode.SESSION_ENDED)
    if context.session_token is None:
        if context.rejected_credential == SESSION_ENDED:
            raise ended
        raise Rejected(None, "There was no session to end.", AccountErrorCode.NOT_LOGGED_IN)
    now = context.services.clock()
    async with transaction(context.services.store) as db:
        revoked = await store_sessions.revoke_session(db, token=context.session_token, now=now)
    context.viewer, context.session_token = None, None
    if not revoked:  # ended by another request meanwhile
        raise ended
