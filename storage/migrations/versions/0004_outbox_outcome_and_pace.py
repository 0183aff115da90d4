"""outbox outcome-unknown window and cross-replica Slack pacing

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 06:20:00.000000
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "slack_pace",
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("next_allowed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("outcome_unknown_since", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("outcome_unknown_until", sa.DateTime(timezone=True), nullable=True)
        )
    _mark_legacy_lookup_failures()


def _mark_legacy_lookup_failures() -> None:
    """Rows that failed before this revision because their crash lookup failed may have been
    posted: give them a window from planning to the old sender's 12-hour give-up, so that
    they say so and are looked up before `alerts retry` posts them again."""
    outbox = sa.table(
        "outbox",
        sa.column("id", sa.Integer()),
        sa.column("status", sa.String()),
        sa.column("last_error", sa.Text()),
        sa.column("created_at", sa.DateTime(timezone=True)),
        sa.column("outcome_unknown_since", sa.DateTime(timezone=True)),
        sa.column("outcome_unknown_until", sa.DateTime(timezone=True)),
    )
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(outbox.c.id, outbox.c.created_at).where(
            outbox.c.status == "failed", outbox.c.last_error.like("conversations_%")
        )
    ).all()
    for row_id, created_at in rows:
        bind.execute(
            sa.update(outbox)
            .where(outbox.c.id == row_id)
            .values(
                outcome_unknown_since=created_at - timedelta(seconds=30),
                outcome_unknown_until=created_at + timedelta(hours=12, seconds=30),
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("outcome_unknown_until")
        batch_op.drop_column("outcome_unknown_since")
        batch_op.drop_column("claimed_at")
    op.drop_table("slack_pace")
