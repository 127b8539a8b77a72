"""A portal user's registration data beyond the e-mail: name, phone, notification preferences.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30

Frozen like 0001: plain SQLAlchemy types. Existing users get no name or phone and the
default preferences (service mail on, marketing off).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PREFERENCES = (
    ("notify_invoices", True),
    ("notify_payment_reminders", True),
    ("notify_request_updates", True),
    ("notify_marketing", False),
)


def upgrade() -> None:
    with op.batch_alter_table("users") as users:
        users.add_column(sa.Column("full_name", sa.String(200), nullable=True))
        users.add_column(sa.Column("phone", sa.String(16), nullable=True))
        for name, default in PREFERENCES:
            users.add_column(
                sa.Column(
                    name, sa.Boolean(), nullable=False, server_default=sa.true() if default else sa.false()
                )
            )


def downgrade() -> None:
    with op.batch_alter_table("users") as users:
        for name, _ in reversed(PREFERENCES):
            users.drop_column(name)
        users.drop_column("phone")
        users.drop_column("full_name")
