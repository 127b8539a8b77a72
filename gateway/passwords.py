"""Password hashing with Argon2id (argon2-cffi).

The stored string is the PHC-encoded hash (``$argon2id$v=19$m=...,t=...,p=...$salt$hash``),
so parameters travel with each hash: raising them later only needs ``needs_rehash`` at
the next successful login.
"""

from __future__ import annotations

import functools

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

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


def burn_verification(password: str) -> None:
    """Spend the time of one verification, for the unknown-login path."""
    verify_password(dummy_hash(), password)
