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


MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256  # Argon2 hashes anything, but a megabyte "password" is an attack

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
