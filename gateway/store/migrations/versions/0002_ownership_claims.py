"""Ownership claims and the per-customer-number lock of owner changes.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30

Frozen like 0001: plain SQLAlchemy types. Every customer number owned today gets its row
in ``owned_customers``.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "owned_customers",
        sa.Column("customer_number", sa.String(20), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("customer_number", name=op.f("pk_owned_customers")),
    )
    op.execute(
        "INSERT INTO owned_customers (customer_number, changed_at) "
        "SELECT customer_number, MAX(created_at) FROM customer_access "
        "WHERE role = 'OWNER' AND revoked_at IS NULL GROUP BY customer_number"
    )
    op.create_table(
        "ownership_claims",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("customer_number", sa.String(20), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by_user_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "status IN ('PENDING', 'APPROVED', 'REJECTED')", name=op.f("ck_ownership_claims_status")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_user_id"], ["users.id"], name=op.f("fk_ownership_claims_decided_by_user_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_ownership_claims_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ownership_claims")),
    )
    op.create_index(op.f("ix_ownership_claims_customer_number"), "ownership_claims", ["customer_number"])
    op.create_index(op.f("ix_ownership_claims_user_id"), "ownership_claims", ["user_id"])
    op.create_index(
        "uq_ownership_claims_pending",
        "ownership_claims",
        ["user_id", "customer_number"],
        unique=True,
        sqlite_where=sa.text("status = 'PENDING'"),
        postgresql_where=sa.text("status = 'PENDING'"),
    )


def downgrade() -> None:
    op.drop_table("ownership_claims")
    op.drop_table("owned_customers")
