"""ownership: holdings from due diligence, screened owners, alerted coverage

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 17:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ownership_holding",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owned_key", sa.String(length=250), nullable=False),
        sa.Column("owned_ref", sa.Text(), nullable=False),
        sa.Column("owner_key", sa.String(length=64), nullable=False),
        sa.Column("owner_name", sa.Text(), nullable=False),
        sa.Column("owner_ref", sa.String(length=200), nullable=True),
        sa.Column("percent", sa.Float(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=True),
        sa.Column("source", sa.String(length=200), nullable=True),
        sa.Column("imported_by", sa.String(length=200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("owned_key", "owner_key"),
    )
    op.create_index("ix_ownership_holding_owned_key", "ownership_holding", ["owned_key"])
    op.create_index("ix_ownership_holding_owner_key", "ownership_holding", ["owner_key"])
    op.create_table(
        "ownership_owner",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_key", sa.String(length=64), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("entry_key", sa.Text(), nullable=True),
        sa.Column("list_code", sa.String(length=20), nullable=True),
        sa.Column("entry_name", sa.Text(), nullable=True),
        sa.Column("band", sa.String(length=20), nullable=True),
        sa.Column("standing", sa.String(length=10), nullable=True),
        sa.Column("license_requirement", sa.Text(), nullable=True),
        sa.Column("license_policy", sa.Text(), nullable=True),
        sa.Column("screened_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("owner_key"),
    )
    op.create_index("ix_ownership_owner_screened_at", "ownership_owner", ["screened_at"])
    op.create_table(
        "ownership_standing",
        sa.Column("counterparty_id", sa.Integer(), nullable=False),
        sa.Column("listed_share", sa.Float(), nullable=False),
        sa.Column("possible_share", sa.Float(), nullable=False),
        sa.Column("covered", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["counterparty_id"], ["watchlist.id"]),
        sa.PrimaryKeyConstraint("counterparty_id"),
    )


def downgrade() -> None:
    op.drop_table("ownership_standing")
    op.drop_index("ix_ownership_owner_screened_at", table_name="ownership_owner")
    op.drop_table("ownership_owner")
    op.drop_index("ix_ownership_holding_owner_key", table_name="ownership_holding")
    op.drop_index("ix_ownership_holding_owned_key", table_name="ownership_holding")
    op.drop_table("ownership_holding")
