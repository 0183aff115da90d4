"""monitoring reads changes by flag, not by cursor; late changes reach the digest; watchlist
revisions; hits awaiting delivery

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 17:30:00

`change.watch_read`: counterparty monitoring read the change table above a cursor,
but ids are allocated at insert and become visible at commit, so a change inserted
early and committed late fell below the cursor and was never screened. Each change
now carries its own flag, set in the transaction that screens it. Rows at or below
the old cursor were read already.

`change.digested`: the weekly digest reports a window of detection times; a change
detected inside a window but committed after that digest read it is reported by the next
digest instead. Every change stored before this revision counts as reported.

`watchlist.revision`: bumped by every write that changes what the counterparty index
holds; the sum over the table only ever grows, whatever the clocks or commit order.

`watch_hit.alert_planned`: a hit recorded with no channel to send it to waits for
one. Hits stored before this revision count as planned (their fate is unknown).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


# Plain ADD COLUMN (with a constant default, which SQLite allows) rather than batch mode:
# SQLite's batch mode copies and drops the table, which foreign keys to it (hits to their
# counterparty) refuse.


def upgrade() -> None:
    op.add_column(
        "change", sa.Column("watch_read", sa.Boolean(), nullable=False, server_default=sa.false())
    )
    op.create_index(op.f("ix_change_watch_read"), "change", ["watch_read"], unique=False)
    op.execute(
        sa.text(
            "UPDATE change SET watch_read = :yes WHERE id <= COALESCE("
            "(SELECT last_change_id FROM watch_cursor WHERE name = 'list_changes'), 0)"
        ).bindparams(yes=True)
    )
    op.add_column(
        "change", sa.Column("digested", sa.Boolean(), nullable=False, server_default=sa.false())
    )
    op.execute(sa.text("UPDATE change SET digested = :yes").bindparams(yes=True))
    op.add_column(
        "watchlist",
        sa.Column("revision", sa.Integer(), nullable=False, server_default=sa.text("0")),
    )
    op.add_column(
        "watch_hit",
        sa.Column("alert_planned", sa.Boolean(), nullable=False, server_default=sa.true()),
    )
    op.create_index(
        op.f("ix_watch_hit_alert_planned"), "watch_hit", ["alert_planned"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_watch_hit_alert_planned"), table_name="watch_hit")
    op.drop_column("watch_hit", "alert_planned")
    op.drop_column("watchlist", "revision")
    op.drop_index(op.f("ix_change_watch_read"), table_name="change")
    op.drop_column("change", "digested")
    op.drop_column("change", "watch_read")
