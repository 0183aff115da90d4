"""screening audit: the lists' state (fresh / stale / not_loaded) of each screening

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 06:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("screening_audit", schema=None) as batch_op:
        batch_op.add_column(sa.Column("lists_state", sa.String(length=20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("screening_audit", schema=None) as batch_op:
        batch_op.drop_column("lists_state")
