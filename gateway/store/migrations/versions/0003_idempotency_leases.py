"""A lease on every unfinished idempotency claim.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30

``idempotency_records.lease_expires_at``: until when an IN_PROGRESS claim belongs to the
process that made it; past it (that process died mid-call), a retry takes the claim over.
Claims written before this revision keep NULL there and end ``created_at`` plus the lease
(``gateway.store.idempotency``), so a claim left behind by an older version expires too.

Frozen like 0001: plain SQLAlchemy types.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "idempotency_records", sa.Column("lease_expires_at", sa.DateTime(timezone=True), nullable=True)
    )


def downgrade() -> None:
    with op.batch_alter_table("idempotency_records") as batch:
        batch.drop_column("lease_expires_at")
