"""screening audit trail

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 12:28:49.589452
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    
    op.create_table('screening_audit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('screened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('origin', sa.String(length=20), nullable=False),
    sa.Column('user_id', sa.String(length=100), nullable=True),
    sa.Column('user_name', sa.String(length=200), nullable=True),
    sa.Column('channel_id', sa.String(length=100), nullable=True),
    sa.Column('query', sa.Text(), nullable=False),
    sa.Column('list_versions', sa.JSON(), nullable=True),
    sa.Column('results', sa.JSON(), nullable=True),
    sa.Column('top_band', sa.String(length=20), nullable=False),
    sa.Column('result_count', sa.Integer(), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('screening_audit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_screening_audit_screened_at'), ['screened_at'], unique=False)

    


def downgrade() -> None:
    
    with op.batch_alter_table('screening_audit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_screening_audit_screened_at'))

    op.drop_table('screening_audit')
    
