"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-28 12:08:59.539379
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "list_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("entry_key", sa.Text(), nullable=False),
        sa.Column("list_code", sa.String(length=20), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("aliases", sa.JSON(), nullable=True),
        sa.Column("entity_type", sa.String(length=40), nullable=True),
        sa.Column("countries", sa.JSON(), nullable=True),
        sa.Column("addresses", sa.JSON(), nullable=True),
        sa.Column("programs", sa.JSON(), nullable=True),
        sa.Column("fr_citations", sa.JSON(), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("license_requirement", sa.Text(), nullable=True),
        sa.Column("license_policy", sa.Text(), nullable=True),
        sa.Column("remarks", sa.Text(), nullable=True),
        sa.Column("source_urls", sa.JSON(), nullable=True),
        sa.Column("source_id", sa.String(length=100), nullable=True),
        sa.Column("entity_number", sa.String(length=40), nullable=True),
        sa.Column("fr_document", sa.String(length=40), nullable=True),
        sa.Column("raw", sa.JSON(), nullable=True),
        sa.Column("content_digest", sa.String(length=64), nullable=False),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_changed", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("source", "entry_key", name="uq_list_entry_source_key"),
    )
    with op.batch_alter_table("list_entry", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_list_entry_fr_document"), ["fr_document"], unique=False
        )
        batch_op.create_index("ix_list_entry_source_list", ["source", "list_code"], unique=False)

    op.create_table(
        "snapshot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("row_count", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("origin", sa.Text(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("snapshot", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_snapshot_fetched_at"), ["fetched_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_snapshot_source"), ["source"], unique=False)

    op.create_table(
        "source_state",
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("etag", sa.Text(), nullable=True),
        sa.Column("last_modified", sa.String(length=100), nullable=True),
        sa.Column("last_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_success_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("consecutive_failures", sa.Integer(), nullable=False),
        sa.Column("down", sa.Boolean(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("cursor", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("source"),
    )
    op.create_table(
        "change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dedupe_key", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("list_code", sa.String(length=20), nullable=True),
        sa.Column("entry_key", sa.Text(), nullable=True),
        sa.Column("entry_name", sa.Text(), nullable=True),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.Column("fields", sa.JSON(), nullable=True),
        sa.Column("document_number", sa.String(length=40), nullable=True),
        sa.Column("effective_date", sa.Date(), nullable=True),
        sa.Column("snapshot_id", sa.Integer(), nullable=True),
        sa.Column("detected_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["snapshot_id"],
            ["snapshot.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("dedupe_key"),
    )
    with op.batch_alter_table("change", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_change_detected_at"), ["detected_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_change_document_number"), ["document_number"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_change_list_code"), ["list_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_change_source"), ["source"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_change_source"))
        batch_op.drop_index(batch_op.f("ix_change_list_code"))
        batch_op.drop_index(batch_op.f("ix_change_document_number"))
        batch_op.drop_index(batch_op.f("ix_change_detected_at"))

    op.drop_table("change")
    op.drop_table("source_state")
    with op.batch_alter_table("snapshot", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_snapshot_source"))
        batch_op.drop_index(batch_op.f("ix_snapshot_fetched_at"))

    op.drop_table("snapshot")
    with op.batch_alter_table("list_entry", schema=None) as batch_op:
        batch_op.drop_index("ix_list_entry_source_list")
        batch_op.drop_index(batch_op.f("ix_list_entry_fr_document"))

    op.drop_table("list_entry")
