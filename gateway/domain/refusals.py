"""Why an account or access mutation did not do what was asked: the codes a client switches on.

Each payload family has one enum of codes (the schema's ``AccountErrorCode`` and
``AccessErrorCode``; requests and nomination keep theirs beside their rules). ``Rejected``
carries one of them, with the input's field path and a message for people, up to the
payload's ``errors``.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence


class AccountErrorCode(enum.Enum):
    """Login, logout, registration, e-mail verification and account settings."""

    INVALID_CREDENTIALS = "INVALID_CREDENTIALS"
    NOT_LOGGED_IN = "NOT_LOGGED_IN"
    SESSION_ENDED = "SESSION_ENDED"
    INVALID_LOGIN = "INVALID_LOGIN"
    LOGIN_TAKEN = "LOGIN_TAKEN"
    WEAK_PASSWORD = "WEAK_PASSWORD"  # noqa: S105 -- a code, not a secret
    INVALID_EMAIL = "INVALID_EMAIL"
    INVALID_NAME = "INVALID_NAME"
    INVALID_PHONE = "INVALID_PHONE"
    BAD_PROOF = "BAD_PROOF"
    PROOF_FAILED = "PROOF_FAILED"
    STRONGER_PROOF_NEEDED = "STRONGER_PROOF_NEEDED"
    CLAIM_REJECTED = "CLAIM_REJECTED"
    WRONG_PASSWORD = "WRONG_PASSWORD"  # noqa: S105 -- a code, not a secret
    NOT_CONFIRMED = "NOT_CONFIRMED"
    NOT_MERGEABLE = "NOT_MERGEABLE"
    NOT_FOUND = "NOT_FOUND"
    TOKEN_UNKNOWN = "TOKEN_UNKNOWN"  # noqa: S105 -- a code, not a secret
    TOKEN_USED = "TOKEN_USED"  # noqa: S105 -- a code, not a secret
    TOKEN_EXPIRED = "TOKEN_EXPIRED"  # noqa: S105 -- a code, not a secret


class AccessErrorCode(enum.Enum):
    """Granting and revoking access to a customer number, deciding ownership claims."""

    NOT_FOUND = "NOT_FOUND"
    FORBIDDEN = "FORBIDDEN"
    INVALID_GRANT = "INVALID_GRANT"
    LAST_OWNER = "LAST_OWNER"


class Rejected(Exception):
    """An expected failure of a mutation, shown in its payload's ``errors``."""

    def __init__(
        self, field: Sequence[str] | None, message: str, code: AccountErrorCode | AccessErrorCode
    ) -> None:
        super().__init__(message)
        self.field = list(field) if field is not None else None
        self.message = message
        self.code = code
