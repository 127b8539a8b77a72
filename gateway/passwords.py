"""Password hashing with Argon2id (argon2-cffi).

The stored string is the PHC-encoded hash (``$argon2id$v=19$m=...,t=...,p=...$salt$hash``),
so parameters travel with each hash: raising them later only needs ``needs_rehash`` at
the next successful login.

Each hash or verification takes tens of milliseconds of CPU and 64 MiB of memory, so the
gateway runs them only through ``PasswordHashing``: in its own few threads (never on the
event loop, never holding a database connection: callers read the hash first and write
afterwards), at most ``threads`` at once and ``queue`` more waiting; anything beyond is
refused at once with ``RateLimited``. A password longer than ``MAX_PASSWORD_LENGTH`` is
never hashed (``BadUserInput``).
"""

from __future__ import annotations

import asyncio
import functools
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

from gateway.errors import BadUserInput, RateLimited
from gateway.metrics import Metrics

_T = TypeVar("_T")

# argon2-cffi's defaults are RFC 9106's "low memory" profile (t=3, m=64 MiB, p=4).
HASHER = PasswordHasher(type=Type.ID)


def hash_password(password: str) -> str:
    return HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when ``password`` matches; a malformed stored hash is simply a mismatch."""
    try:
        return HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with other parameters (or another variant) than ``HASHER``'s."""
    try:
        return HASHER.check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


@functools.cache
def dummy_hash() -> str:
    """A hash of nothing anyone knows, to verify against when a login is unknown, so an
    unknown login costs as much time as a wrong password."""
    return HASHER.hash("no user has this password: the login was unknown")


def _verify_or_spend(password_hash: str | None, password: str) -> bool:
    if password_hash is None:
        verify_password(dummy_hash(), password)  # the time a wrong password would take
        return False
    return verify_password(password_hash, password)


MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 128  # Argon2 hashes anything, but a megabyte "password" is an attack
BUSY_MESSAGE = "Too many sign-ins at once; try again in a moment."
BUSY_RETRY_AFTER = 1.0


def require_acceptable_length(password: str) -> None:
    """``BadUserInput`` for a password no account can have: it is not even hashed."""
    if len(password) > MAX_PASSWORD_LENGTH:
        raise BadUserInput(f"A password has at most {MAX_PASSWORD_LENGTH} characters.")


class PasswordHashing:
    """Argon2 off the event loop, bounded: ``threads`` at once, ``queue`` more waiting,
    the rest refused (``RateLimited``) rather than queued without bound. Every hash or
    verification the gateway runs for a request goes through one instance of this."""

    def __init__(self, *, threads: int = 2, queue: int = 8, metrics: Metrics | None = None) -> None:
        self._executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="argon2")
        self._slots = threading.BoundedSemaphore(threads + queue)
        self._metrics = metrics
        self._executor.submit(dummy_hash)  # made now, so even the first unknown login costs one check

    async def hash(self, password: str) -> str:
        require_acceptable_length(password)
        return await self._run(hash_password, password)

    async def verify(self, password_hash: str | None, password: str) -> bool:
        """Whether ``password`` matches ``password_hash``. ``None`` (an unknown login)
        verifies against a dummy hash, so it costs what a wrong password costs."""
        require_acceptable_length(password)
        return await self._run(_verify_or_spend, password_hash, password)

    async def _run(self, work: Callable[..., _T], *args: object) -> _T:
        if not self._slots.acquire(blocking=False):
            self._count("refused")
            raise RateLimited(retry_after=BUSY_RETRY_AFTER, message=BUSY_MESSAGE, limiter="hashing")
        self._count("run")
        try:
            future: Future[_T] = self._executor.submit(work, *args)
        except BaseException:
            self._slots.release()
            raise
        # Released when the work ends, not when the caller stops waiting: a cancelled
        # request's hash still runs to its end and holds its slot until then.
        future.add_done_callback(lambda _: self._slots.release())
        return await asyncio.wrap_future(future)

    def _count(self, outcome: str) -> None:
        if self._metrics is not None:
            self._metrics.password_checks.labels(outcome).inc()

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)


# The most used passwords of public breach lists (and their Czech favourites); a password
# equal to one of these, in any letter case, is refused.
_COMMON = """
    123456 123456789 12345678 1234567890 password password1 password123 qwerty qwertyuiop
    qwerty123 1q2w3e4r5t 1qaz2wsx3edc abc123456 iloveyou sunshine1 princess1 football1
    welcome123 letmein123 administrator passw0rd1 monkey1234 dragon1234 baseball12
    heslo12345 heslo123456 hesloheslo mojeheslo1 mojeheslo123 prosim12345 ahojahoj12
    0123456789 9876543210 1111111111 0000000000 1234512345 asdfghjkl1 zxcvbnm123
    changeme123 password12 qwertzuiop qwertz1234 poiuytrewq sparta1234 sparta12345
"""
COMMON_PASSWORDS = frozenset(_COMMON.split())


def password_problems(password: str, *, login: str) -> list[str]:
    """Why ``password`` is too weak for ``login`` (empty when it is fine)."""
    problems = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(f"The password needs at least {MIN_PASSWORD_LENGTH} characters.")
    if len(password) > MAX_PASSWORD_LENGTH:
        problems.append(f"The password may have at most {MAX_PASSWORD_LENGTH} characters.")
    folded, folded_login = password.casefold(), login.strip().casefold()
    if folded_login and folded_login in folded:
        problems.append("The password must not contain the login.")
    if folded in COMMON_PASSWORDS or len(set(folded)) <= 2:
        problems.append("This password is too common; choose another one.")
    return problems
