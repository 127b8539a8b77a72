"""The gateway's own tables: users, customer access, sessions, e-mail verifications,
API keys, audit log, idempotency records.

Revision ID: 0001
Revises:
Create Date: 2026-11-26

Frozen: written with plain SQLAlchemy types, not the models' Python-side decorators, so
later model changes cannot alter what this revision creates.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _timestamp(name: str, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _json(name: str, *, nullable: bool) -> sa.Column[object]:
    return sa.Column(name, sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=nullable)


def _big_id() -> sa.Column[object]:
    return sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False)


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("login", sa.String(64), nullable=False),
        sa.Column("login_key", sa.String(64), nullable=False),
        sa.Column("email", sa.String(254), nullable=True),
        _timestamp("email_verified_at", nullable=True),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("merged_into_user_id", sa.Integer(), nullable=True),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        sa.CheckConstraint("status IN ('ACTIVE', 'CANCELLED')", name=op.f("ck_users_status")),
        sa.ForeignKeyConstraint(
            ["merged_into_user_id"], ["users.id"], name=op.f("fk_users_merged_into_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("login_key", name=op.f("uq_users_login_key")),
    )
    op.create_index(op.f("ix_users_email"), "users", ["email"])

    op.create_table(
        "customer_access",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("customer_number", sa.String(20), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        _json("scopes", nullable=False),
        sa.Column("granted_by_user_id", sa.Integer(), nullable=True),
        sa.Column("consent_text", sa.Text(), nullable=True),
        _timestamp("consent_at", nullable=True),
        _timestamp("created_at"),
        _timestamp("expires_at", nullable=True),
        _timestamp("revoked_at", nullable=True),
        sa.CheckConstraint("role IN ('OWNER', 'DELEGATE')", name=op.f("ck_customer_access_role")),
        sa.ForeignKeyConstraint(
            ["granted_by_user_id"], ["users.id"], name=op.f("fk_customer_access_granted_by_user_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_customer_access_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_access")),
    )
    op.create_index(op.f("ix_customer_access_customer_number"), "customer_access", ["customer_number"])
    op.create_index(op.f("ix_customer_access_user_id"), "customer_access", ["user_id"])
    op.create_index(
        "uq_customer_access_current",
        "customer_access",
        ["user_id", "customer_number"],
        unique=True,
        sqlite_where=sa.text("revoked_at IS NULL"),
        postgresql_where=sa.text("revoked_at IS NULL"),
    )

    op.create_table(
        "sessions",
        _big_id(),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("active_customer_number", sa.String(20), nullable=True),
        _timestamp("created_at"),
        _timestamp("last_seen_at"),
        _timestamp("expires_at"),
        _timestamp("revoked_at", nullable=True),
        sa.Column("user_agent", sa.String(512), nullable=True),
        sa.Column("client_address", sa.String(64), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_sessions_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sessions")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_sessions_token_hash")),
    )
    op.create_index(op.f("ix_sessions_user_id"), "sessions", ["user_id"])

    op.create_table(
        "email_verifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        _timestamp("created_at"),
        _timestamp("expires_at"),
        _timestamp("used_at", nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_email_verifications_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_email_verifications")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_email_verifications_token_hash")),
    )
    op.create_index(op.f("ix_email_verifications_user_id"), "email_verifications", ["user_id"])

    op.create_table(
        "api_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("key_hash", sa.String(64), nullable=False),
        _timestamp("created_at"),
        _timestamp("revoked_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_keys")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_api_keys_key_hash")),
    )

    op.create_table(
        "audit_log",
        _big_id(),
        _timestamp("at"),
        sa.Column("actor_kind", sa.String(16), nullable=False),
        sa.Column("actor_id", sa.String(64), nullable=True),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("customer_number", sa.String(20), nullable=True),
        _json("detail", nullable=True),
        sa.Column("client_address", sa.String(64), nullable=True),
        sa.CheckConstraint(
            "actor_kind IN ('USER', 'STAFF', 'ANONYMOUS')", name=op.f("ck_audit_log_actor_kind")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index(op.f("ix_audit_log_at"), "audit_log", ["at"])
    op.create_index(op.f("ix_audit_log_customer_number"), "audit_log", ["customer_number"])

    op.create_table(
        "idempotency_records",
        _big_id(),
        sa.Column("key", sa.String(128), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("operation", sa.String(64), nullable=False),
        sa.Column("request_hash", sa.String(64), nullable=False),
        _json("response", nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        _timestamp("created_at"),
        _timestamp("completed_at", nullable=True),
        sa.CheckConstraint(
            "status IN ('IN_PROGRESS', 'COMPLETED')", name=op.f("ck_idempotency_records_status")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_idempotency_records_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idempotency_records")),
        sa.UniqueConstraint("user_id", "key", name=op.f("uq_idempotency_records_user_id_key")),
    )
    op.create_index(op.f("ix_idempotency_records_created_at"), "idempotency_records", ["created_at"])


def downgrade() -> None:
    for table in (
        "idempotency_records",
        "audit_log",
        "api_keys",
        "email_verifications",
        "sessions",
        "customer_access",
        "users",
    ):
        op.drop_table(table)
