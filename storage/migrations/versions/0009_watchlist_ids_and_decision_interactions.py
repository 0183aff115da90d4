"""watchlist: name-derived ids ignore punctuation; decisions remember their interaction

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 13:00:00

Ids derived from a counterparty's name were the hash of its case- and
spacing-folded text, so "Zeta Trading Ltd" and "Zeta Trading Ltd." were two
counterparties. They are now the hash of a key that also ignores punctuation and
accents (`bot.services.monitoring.names.derived_key`, frozen here as it was at
this revision: a migration must not change when the code does). Every stored row
whose id is exactly the old derived id of its name gets the new one. Rows that now
share a new id were one party stored twice: the oldest active one (else the oldest)
takes the id; the others are retired (never deleted, so their hits and decisions
stay) and keep their old id, or "<new id>~<row id>" when their old id is the shared
one (the old and new ids agree for a name without punctuation or accents).

A row outside a group may already hold the group's new id. If its name is the same
party by the new key (this revision moved it before a downgrade, or the new code
added it), it joins the group, so a rerun changes nothing. If its name reads another
party (it kept its derived id when renamed), the group keeps its old ids and is not
merged: two names are never made one on a guess; a warning names the rows.
"""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

log = logging.getLogger(__name__)

_SPACES = re.compile(r"\s+")
_JOINING = re.compile(r"[.'\u2019\u00b4`]")


def _old_id(name: str) -> str:
    folded = _SPACES.sub(" ", unicodedata.normalize("NFKC", name).casefold()).strip()
    return "name:" + hashlib.sha256(folded.encode()).hexdigest()[:16]


def _new_id(name: str) -> str:
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", name).casefold())
    letters = "".join(ch for ch in folded if not unicodedata.combining(ch))
    joined = _JOINING.sub("", letters)
    spaced = "".join(" " if unicodedata.category(ch)[0] in "PSZC" else ch for ch in joined)
    key = _SPACES.sub(" ", spaced).strip()
    return "name:" + hashlib.sha256(key.encode()).hexdigest()[:16]


def upgrade() -> None:
    op.create_table(
        "watch_decision_interaction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("interaction", sa.String(length=300), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["decision_id"], ["watch_decision.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("interaction"),
    )
    _rederive_ids(op.get_bind())


def _rederive_ids(connection: sa.Connection) -> None:
    table = sa.table(
        "watchlist",
        sa.column("id", sa.Integer),
        sa.column("external_id", sa.String),
        sa.column("name", sa.Text),
        sa.column("retired_at", sa.DateTime(timezone=True)),
        sa.column("updated_at", sa.DateTime(timezone=True)),
    )
    rows = connection.execute(
        sa.select(table.c.id, table.c.external_id, table.c.name, table.c.retired_at)
        .where(table.c.external_id.like("name:%"))
        .order_by(table.c.id)
    ).all()
    groups: dict[str, list[sa.Row]] = {}  # type: ignore[type-arg]
    for row in rows:
        if row.external_id == _old_id(row.name):
            groups.setdefault(_new_id(row.name), []).append(row)
    now = datetime.now(UTC)
    for new_id, members in groups.items():
        party = _with_holder(connection, table, new_id=new_id, members=members)
        if party is None:
            log.warning(
                "watchlist.id_not_rederived rows=%s new_id=%s reason=held_by_another_name",
                ",".join(str(r.id) for r in members),
                new_id,
            )
            continue
        _merge(connection, table, new_id=new_id, party=party, now=now)


def _with_holder(
    connection: sa.Connection,
    table: sa.TableClause,
    *,
    new_id: str,
    members: list[sa.Row],  # type: ignore[type-arg]
) -> list[sa.Row] | None:  # type: ignore[type-arg]
    """The rows that are one party under `new_id` (a holder outside the group joins it
    when its name is the same party), or None when another name holds the id."""
    holder = connection.execute(
        sa.select(table.c.id, table.c.external_id, table.c.name, table.c.retired_at).where(
            table.c.external_id == new_id
        )
    ).first()
    if holder is None or any(r.id == holder.id for r in members):
        return members
    if _new_id(holder.name) != new_id:
        return None
    return sorted([*members, holder], key=lambda r: r.id)


def _merge(
    connection: sa.Connection,
    table: sa.TableClause,
    *,
    new_id: str,
    party: list[sa.Row],  # type: ignore[type-arg]
    now: datetime,
) -> None:
    keeper = next((r for r in party if r.retired_at is None), party[0])
    for row in party:
        if row is keeper:
            continue
        # One party stored twice: the extra row leaves the watchlist, and gives up the
        # shared id if it holds it (old and new ids agree for names without marks).
        values: dict[str, object] = {}
        if row.retired_at is None:
            values |= {"retired_at": now, "updated_at": now}
        if row.external_id == new_id:
            values["external_id"] = f"{new_id}~{row.id}"
        if values:
            connection.execute(table.update().where(table.c.id == row.id).values(**values))
    if keeper.external_id != new_id:
        connection.execute(table.update().where(table.c.id == keeper.id).values(external_id=new_id))


def downgrade() -> None:
    # The new ids stay: the previous code reads them as ids like any other.
    op.drop_table("watch_decision_interaction")
