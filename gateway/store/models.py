"""The tables the gateway owns (SQLAlchemy 2 typed declarative models).

    users ─┬─< customer_access     who may see which customer number (OWNER / DELEGATE + scopes)
           ├─< ownership_claims    a further owner asked for, waiting for an owner's approval
           ├─< sessions            browser cookie and bearer tokens (hash only)
           ├─< email_verifications one-time e-mail confirmation tokens (hash only)
           └─< idempotency_records replayable mutation results, unique per (user, key)
    owned_customers                one row per customer number that has had an owner: its lock
    api_keys                       staff keys (hash only) and their roles
    audit_log                      append-only record of who did or read what

Every timestamp is a timezone-aware UTC ``datetime`` in Python, whichever database
stores it (``UTCDateTime``). No timestamp is read from a clock here: the service
functions take ``now`` so tests control time.

Changing a model needs a new migration in ``migrations/versions``; a test compares
this metadata with the migrated schema on SQLite and PostgreSQL.
"""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
    true,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UserStatus(enum.StrEnum):
    ACTIVE = "ACTIVE"
    CANCELLED = "CANCELLED"  # closed, e.g. merged into another account: no login any more


class AccessRole(enum.StrEnum):
    OWNER = "OWNER"
    DELEGATE = "DELEGATE"


class ClaimStatus(enum.StrEnum):
    PENDING = "PENDING"  # waiting for an owner
    APPROVED = "APPROVED"  # the claimant became a co-owner
    REJECTED = "REJECTED"


class ActorKind(enum.StrEnum):
    USER = "USER"
    STAFF = "STAFF"
    ANONYMOUS = "ANONYMOUS"


class IdempotencyStatus(enum.StrEnum):
    IN_PROGRESS = "IN_PROGRESS"
    COMPLETED = "COMPLETED"


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in and out. PostgreSQL stores ``timestamptz``; SQLite, which has
    no time zones, stores the UTC wall time as ISO text, which also sorts correctly."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; pass an aware UTC datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


_E = TypeVar("_E", bound=enum.StrEnum)


class EnumText(TypeDecorator[_E], Generic[_E]):
    """A ``StrEnum`` stored as its plain string value (a CHECK constraint lists the values)."""

    impl = String(16)
    cache_ok = True

    def __init__(self, enum_class: type[_E]) -> None:
        super().__init__()
        self.enum_class = enum_class

    def process_bind_param(self, value: _E | str | None, dialect: Dialect) -> str | None:
        return None if value is None else self.enum_class(value).value

    def process_result_value(self, value: str | None, dialect: Dialect) -> _E | None:
        return None if value is None else self.enum_class(value)


def _one_of(column: str, enum_class: type[enum.StrEnum], name: str) -> CheckConstraint:
    values = ", ".join(f"'{member.value}'" for member in enum_class)
    return CheckConstraint(f"{column} IN ({values})", name=name)


# JSONB on PostgreSQL (indexable, compact), JSON text on SQLite.
JSONDocument = JSON().with_variant(JSONB(), "postgresql")
# 64-bit ids where rows accumulate; SQLite only auto-increments a plain INTEGER primary key.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime()}  # noqa: RUF012 -- SQLAlchemy's declared hook


def login_key(login: str) -> str:
    """The form under which a login is unique: "Novak" and "novak " are one login."""
    return login.strip().casefold()


class User(Base):
    __tablename__ = "users"
    __table_args__ = (_one_of("status", UserStatus, "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    login: Mapped[str] = mapped_column(String(64))  # as the user typed it, shown back
    # ``login.casefold()``: the unique key, so "Novak" and "novak" are one login.
    login_key: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str | None] = mapped_column(String(254), index=True)  # stored lower-cased
    email_verified_at: Mapped[datetime | None]
    password_hash: Mapped[str] = mapped_column(String(255))
    status: Mapped[UserStatus] = mapped_column(EnumText(UserStatus))
    merged_into_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    # registration data the user keeps itself (not the CRM's customer master data)
    full_name: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(16))  # E.164: "+420601123456"
    notify_invoices: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    notify_payment_reminders: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    notify_request_updates: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    notify_marketing: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class CustomerAccess(Base):
    """A grant of one customer number to one user. Grants are never deleted: revoking sets
    ``revoked_at``, so the history of consents stays. At most one unrevoked grant exists per
    (user, customer number)."""

    __tablename__ = "customer_access"
    __table_args__ = (
        _one_of("role", AccessRole, "role"),
        Index(
            "uq_customer_access_current",
            "user_id",
            "customer_number",
            unique=True,
            sqlite_where=text("revoked_at IS NULL"),
            postgresql_where=text("revoked_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    customer_number: Mapped[str] = mapped_column(String(20), index=True)
    role: Mapped[AccessRole] = mapped_column(EnumText(AccessRole))
    # Sorted scope names; an OWNER holds every scope whatever is stored here.
    scopes: Mapped[list[str]] = mapped_column(JSONDocument)
    granted_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    consent_text: Mapped[str | None] = mapped_column(Text)
    consent_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class OwnedCustomer(Base):
    """A customer number that has had an owner. Every change of its owners first writes
    ``changed_at`` here: that write takes the row's lock (PostgreSQL) or the database's write
    lock (SQLite), so two such changes of one number run one after the other and cannot both
    see "no owner yet" or both remove "one of two owners"."""

    __tablename__ = "owned_customers"

    customer_number: Mapped[str] = mapped_column(String(20), primary_key=True)
    changed_at: Mapped[datetime]


class OwnershipClaim(Base):
    """A user who proved a customer number that already has an owner asks to become a
    co-owner; an owner approves or rejects. At most one PENDING claim per (user, number)."""

    __tablename__ = "ownership_claims"
    __table_args__ = (
        _one_of("status", ClaimStatus, "status"),
        Index(
            "uq_ownership_claims_pending",
            "user_id",
            "customer_number",
            unique=True,
            sqlite_where=text("status = 'PENDING'"),
            postgresql_where=text("status = 'PENDING'"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    customer_number: Mapped[str] = mapped_column(String(20), index=True)
    status: Mapped[ClaimStatus] = mapped_column(EnumText(ClaimStatus))
    created_at: Mapped[datetime]
    decided_at: Mapped[datetime | None]
    decided_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class UserSession(Base):
    __tablename__ = "sessions"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # SHA-256 hex of the token
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    active_customer_number: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    expires_at: Mapped[datetime]  # absolute: no activity extends it
    revoked_at: Mapped[datetime | None]
    user_agent: Mapped[str | None] = mapped_column(String(512))
    client_address: Mapped[str | None] = mapped_column(String(64))


class EmailVerification(Base):
    __tablename__ = "email_verifications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class ApiKey(Base):
    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    # ``gateway.permissions.StaffRole`` names, in the enum's order (at least one; a name the
    # code no longer knows grants nothing). Keys from before 0005 hold SUPPORT.
    roles: Mapped[list[str]] = mapped_column(JSONDocument)


class AuditEntry(Base):
    __tablename__ = "audit_log"
    __table_args__ = (_one_of("actor_kind", ActorKind, "actor_kind"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    actor_kind: Mapped[ActorKind] = mapped_column(EnumText(ActorKind))
    actor_id: Mapped[str | None] = mapped_column(String(64))  # user id or API key id, as text
    action: Mapped[str] = mapped_column(String(64))
    customer_number: Mapped[str | None] = mapped_column(String(20), index=True)
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSONDocument)
    client_address: Mapped[str | None] = mapped_column(String(64))


class IdempotencyRecord(Base):
    __tablename__ = "idempotency_records"
    __table_args__ = (
        UniqueConstraint("user_id", "key"),
        _one_of("status", IdempotencyStatus, "status"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    key: Mapped[str] = mapped_column(String(128))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    operation: Mapped[str] = mapped_column(String(64))
    request_hash: Mapped[str] = mapped_column(String(64))  # SHA-256 hex of the canonical input
    response: Mapped[dict[str, Any] | None] = mapped_column(JSONDocument)
    status: Mapped[IdempotencyStatus] = mapped_column(EnumText(IdempotencyStatus))
    created_at: Mapped[datetime] = mapped_column(index=True)
    completed_at: Mapped[datetime | None]
    # Until when an IN_PROGRESS claim is its runner's; past it, a retry takes the claim over.
    # NULL in a claim written before leases (migration 0003): it ends ``created_at`` + the lease.
    lease_expires_at: Mapped[datetime | None]
