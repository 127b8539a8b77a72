"""Staff roles on API keys.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30

``api_keys.roles``: the key's ``StaffRole`` names (JSON list). A key made before this
revision could read customers and nothing else, which is SUPPORT: every existing key gets
``["SUPPORT"]``, then the column is NOT NULL (a new key names its roles).

Frozen like 0001: plain SQLAlchemy types.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ROLES_TYPE = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
BEFORE_ROLES = ["SUPPORT"]  # what a key could do before: read customers


def upgrade() -> None:
    op.add_column("api_keys", sa.Column("roles", ROLES_TYPE, nullable=True))
    api_keys = sa.table("api_keys", sa.column("roles", ROLES_TYPE))
    op.execute(api_keys.update().values(roles=BEFORE_ROLES))
    with op.batch_alter_table("api_keys") as batch:
        batch.alter_column("roles", existing_type=ROLES_TYPE, nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("api_keys") as batch:
        batch.drop_column("roles")
