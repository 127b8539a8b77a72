"""The gateway's one error tree. Every layer raises these; ``gateway.schema.errors`` maps
them to ``extensions.code`` in one place.

    GatewayError                      code                  retry helps?
    ├── Unauthenticated               UNAUTHENTICATED       no
    ├── Forbidden                     FORBIDDEN             no
    ├── NotFound                      NOT_FOUND             no
    ├── BadUserInput                  BAD_USER_INPUT        no
    │   └── BackendRejected           (a back end refused the input: SOAP client fault, HTTP 400/409/422)
    ├── RateLimited                   RATE_LIMITED          yes, after ``retry_after`` seconds
    ├── StillRunning                  IN_PROGRESS           yes, after ``retry_after`` seconds
    ├── StoreUnavailable              SERVICE_UNAVAILABLE   yes (the gateway's own database)
    ├── QueryTooComplex               QUERY_TOO_COMPLEX     no
    ├── PersistedQueryNotFound        PERSISTED_QUERY_NOT_FOUND  yes, resent with the query (no: allow-list)
    └── BackendError                  BACKEND_UNAVAILABLE   see ``retryable``
        ├── BackendUnavailable        (refused, timed out, 5xx, breaker open)   yes
        └── BackendProtocolError      (malformed or unexpected answer)          no

A back end's own message never travels in these: adapters log it and raise with a
message written for the client.
"""

from __future__ import annotations

import enum


class ErrorCode(enum.Enum):
    UNAUTHENTICATED = "UNAUTHENTICATED"
    FORBIDDEN = "FORBIDDEN"
    NOT_FOUND = "NOT_FOUND"
    BAD_USER_INPUT = "BAD_USER_INPUT"
    GRAPHQL_PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
    GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
    BACKEND_UNAVAILABLE = "BACKEND_UNAVAILABLE"
    RATE_LIMITED = "RATE_LIMITED"
    IN_PROGRESS = "IN_PROGRESS"
    SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE"
    QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX"
    PERSISTED_QUERY_NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"
    INTERNAL = "INTERNAL"


class GatewayError(Exception):
    code: ErrorCode = ErrorCode.INTERNAL
    retryable: bool = False

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Unauthenticated(GatewayError):
    code = ErrorCode.UNAUTHENTICATED

    def __init__(self, message: str = "You need to log in.") -> None:
        super().__init__(message)


class Forbidden(GatewayError):
    code = ErrorCode.FORBIDDEN

    def __init__(self, message: str = "You may not see or do this.") -> None:
        super().__init__(message)


class NotFound(GatewayError):
    """Also what a foreign object answers: the API never confirms that it exists."""

    code = ErrorCode.NOT_FOUND

    def __init__(self, message: str = "Not found.") -> None:
        super().__init__(message)


class BadUserInput(GatewayError):
    code = ErrorCode.BAD_USER_INPUT


class BackendRejected(BadUserInput):
    """A back end answered that the input is wrong (a SOAP client fault, HTTP 400/409/422),
    or the adapter could not even send it (characters its protocol cannot carry).

    The back end works: a rejection is never retried and never counts for or against its
    circuit breaker (``gateway.resilience``); the client gets ``BAD_USER_INPUT`` with a
    message written for it, never the back end's own text.
    """

    def __init__(self, backend: str, message: str | None = None) -> None:
        super().__init__(message or f"The {backend} system did not accept these values.")
        self.backend = backend


class RateLimited(GatewayError):
    code = ErrorCode.RATE_LIMITED
    retryable = True

    def __init__(
        self,
        retry_after: float,
        message: str = "Too many attempts; try again later.",
        *,
        limiter: str = "other",
    ) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.limiter = limiter  # which limit refused: budget, login, hashing (gateway.metrics)


class StillRunning(GatewayError):
    """The same idempotent mutation (user and key) is running right now; retrying after
    ``retry_after`` seconds answers its result (or, if its runner died, runs it again)."""

    code = ErrorCode.IN_PROGRESS
    retryable = True

    def __init__(self, retry_after: float, message: str) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class StoreUnavailable(GatewayError):
    """The gateway's own database does not answer; the gateway recovers when it does."""

    code = ErrorCode.SERVICE_UNAVAILABLE
    retryable = True

    def __init__(self, message: str = "The service is briefly unavailable; try again shortly.") -> None:
        super().__init__(message)


class QueryTooComplex(GatewayError):
    code = ErrorCode.QUERY_TOO_COMPLEX


class PersistedQueryNotFound(GatewayError):
    """A persisted operation's hash the gateway does not know (or, in allow-list mode, will not run).

    The message is the one Apollo's clients recognise to resend the operation with its query.
    """

    code = ErrorCode.PERSISTED_QUERY_NOT_FOUND
    retryable = True

    def __init__(self, message: str = "PersistedQueryNotFound", *, retryable: bool = True) -> None:
        super().__init__(message)
        self.retryable = retryable


class BackendError(GatewayError):
    """A back end could not give a usable answer. ``backend`` names it: billing, crm, nomination."""

    code = ErrorCode.BACKEND_UNAVAILABLE

    def __init__(self, backend: str, message: str) -> None:
        super().__init__(message)
        self.backend = backend


class BackendUnavailable(BackendError):
    retryable = True

    def __init__(self, backend: str, message: str | None = None) -> None:
        super().__init__(backend, message or f"The {backend} system is not available right now.")


class BackendProtocolError(BackendError):
    retryable = False

    def __init__(self, backend: str, message: str | None = None) -> None:
        super().__init__(backend, message or f"The {backend} system gave an answer the gateway cannot read.")
