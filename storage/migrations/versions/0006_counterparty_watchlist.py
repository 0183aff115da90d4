"""counterparty watchlist, hits, decisions and the monitoring cursor

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 06:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def _ts(name: str, *, nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "watchlist",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=200), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("country", sa.String(length=100), nullable=True),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("tag", sa.String(length=200), nullable=True),
        sa.Column("added_by", sa.String(length=200), nullable=False),
        _ts("added_at"),
        _ts("updated_at"),
        _ts("retired_at", nullable=True),
        _ts("screened_at", nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("external_id"),
    )
    with op.batch_alter_table("watchlist", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_watchlist_retired_at"), ["retired_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_watchlist_screened_at"), ["screened_at"], unique=False
        )

    op.create_table(
        "watch_hit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alert_key", sa.String(length=64), nullable=False),
        sa.Column("counterparty_id", sa.Integer(), nullable=False),
        sa.Column("entry_key", sa.Text(), nullable=False),
        sa.Column("list_code", sa.String(length=20), nullable=False),
        sa.Column("entry_name", sa.Text(), nullable=False),
        sa.Column("matched_name", sa.Text(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("band", sa.String(length=20), nullable=False),
        sa.Column("why", sa.Text(), nullable=False),
        sa.Column("content_digest", sa.String(length=64), nullable=False),
        sa.Column("origin", sa.String(length=20), nullable=False),
        sa.Column("change_id", sa.Integer(), nullable=True),
        sa.Column("action_key", sa.String(length=200), nullable=True),
        sa.Column("document_number", sa.String(length=40), nullable=True),
        sa.Column("effective_date", sa.Date(), nullable=True),
        _ts("detected_at"),
        _ts("delisted_at", nullable=True),
        sa.ForeignKeyConstraint(["change_id"], ["change.id"]),
        sa.ForeignKeyConstraint(["counterparty_id"], ["watchlist.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("alert_key"),
    )
    with op.batch_alter_table("watch_hit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_watch_hit_detected_at"), ["detected_at"], unique=False)
        batch_op.create_index("ix_watch_hit_pair", ["counterparty_id", "entry_key"], unique=False)

    op.create_table(
        "watch_decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hit_id", sa.Integer(), nullable=False),
        sa.Column("counterparty_id", sa.Integer(), nullable=False),
        sa.Column("entry_key", sa.Text(), nullable=False),
        sa.Column("content_digest", sa.String(length=64), nullable=False),
        sa.Column("decision", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decided_by", sa.String(length=200), nullable=False),
        _ts("decided_at"),
        _ts("expires_at", nullable=True),
        sa.ForeignKeyConstraint(["counterparty_id"], ["watchlist.id"]),
        sa.ForeignKeyConstraint(["hit_id"], ["watch_hit.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("watch_decision", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_watch_decision_decided_at"), ["decided_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_watch_decision_hit_id"), ["hit_id"], unique=False)
        batch_op.create_index(
            "ix_watch_decision_pair", ["counterparty_id", "entry_key"], unique=False
        )

    op.create_table(
        "watch_cursor",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("last_change_id", sa.Integer(), nullable=False),
        _ts("updated_at"),
        sa.PrimaryKeyConstraint("name"),
    )

    op.create_table(
        "watch_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("outbox_key", sa.String(length=64), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        _ts("created_at"),
        _ts("uploaded_at", nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("outbox_key"),
    )


def downgrade() -> None:
    op.drop_table("watch_report")
    op.drop_table("watch_cursor")
    op.drop_table("watch_decision")
    op.drop_table("watch_hit")
    op.drop_table("watchlist")
