"""Counterparty hits, the append-only decision history, and the monitoring cursor.

A hit is inserted once per `alert_key` (INSERT ... ON CONFLICT DO NOTHING), in
the same transaction as its outbox rows and the flags that say which changes
were read: that is what makes a hit alert exactly once, across restarts and
replicas. Decisions are only ever inserted; the newest one per (counterparty,
listed entry) stands.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session
from sqlmodel import SQLModel, col

from storage.inserts import insert_ignoring_duplicates, insert_new
from storage.models import (
    WatchCursorRow,
    WatchDecisionInteractionRow,
    WatchDecisionRow,
    WatchHitRow,
    WatchlistRow,
)

DECISIONS = ("confirm", "clear", "resolve")


class DuplicateInteraction(Exception):
    """The request that carries this decision was recorded already (a replay): the
    transaction must be rolled back and nothing recorded again."""


def lock_cursor(session: Session, name: str, *, now: datetime) -> int:
    """Lock the cursor row until the transaction ends (one monitoring reader at a time);
    its `last_change_id` is no longer advanced (changes carry `watch_read` since 0010)."""
    table = SQLModel.metadata.tables["watch_cursor"]
    session.execute(
        insert_ignoring_duplicates(session, table).values(
            name=name, last_change_id=0, updated_at=now
        )
    )
    row = session.scalars(
        select(WatchCursorRow).where(col(WatchCursorRow.name) == name).with_for_update()
    ).one()
    return row.last_change_id


def insert_hit(session: Session, values: dict[str, Any]) -> int | None:
    """Insert a hit unless its alert key exists; its id when it was new."""
    if not insert_new(session, SQLModel.metadata.tables["watch_hit"], values):
        return None
    return session.scalar(
        select(col(WatchHitRow.id)).where(col(WatchHitRow.alert_key) == values["alert_key"])
    )


def latest_decisions(
    session: Session, pairs: Iterable[tuple[int, str]]
) -> dict[tuple[int, str], WatchDecisionRow]:
    """The standing (newest) decision of each (counterparty id, entry key) pair that has one."""
    wanted = set(pairs)
    if not wanted:
        return {}
    ids = {cp for cp, _ in wanted}
    found: dict[tuple[int, str], WatchDecisionRow] = {}
    stmt = (
        select(WatchDecisionRow)
        .where(col(WatchDecisionRow.counterparty_id).in_(ids))
        .order_by(col(WatchDecisionRow.id))
    )
    for row in session.scalars(stmt):
        pair = (row.counterparty_id, row.entry_key)
        if pair in wanted:
            found[pair] = row
    return found


def decided_entry_keys(session: Session) -> frozenset[str]:
    """Every listed entry that some counterparty's decision is about."""
    return frozenset(session.scalars(select(col(WatchDecisionRow.entry_key)).distinct()))


def decisions_for_entries(
    session: Session, entry_keys: Iterable[str]
) -> dict[str, list[tuple[WatchDecisionRow, WatchlistRow]]]:
    """Standing decisions about these listed entries, with their counterparty (for /screen)."""
    keys = list(set(entry_keys))
    if not keys:
        return {}
    stmt = (
        select(WatchDecisionRow, WatchlistRow)
        .join(WatchlistRow, col(WatchlistRow.id) == col(WatchDecisionRow.counterparty_id))
        .where(col(WatchDecisionRow.entry_key).in_(keys))
        .order_by(col(WatchDecisionRow.id))
    )
    newest: dict[tuple[int, str], tuple[WatchDecisionRow, WatchlistRow]] = {}
    for decision, party in session.execute(stmt):
        newest[(decision.counterparty_id, decision.entry_key)] = (decision, party)
    out: dict[str, list[tuple[WatchDecisionRow, WatchlistRow]]] = {}
    for (_, key), pair in newest.items():
        out.setdefault(key, []).append(pair)
    return out


def latest_hit_ids(
    session: Session, pairs: Iterable[tuple[int, str]]
) -> dict[tuple[int, str], int]:
    """The newest hit id of each (counterparty id, entry key) pair that has one."""
    wanted = set(pairs)
    if not wanted:
        return {}
    stmt = (
        select(
            col(WatchHitRow.counterparty_id), col(WatchHitRow.entry_key), func.max(WatchHitRow.id)
        )
        .where(col(WatchHitRow.counterparty_id).in_({cp for cp, _ in wanted}))
        .group_by(col(WatchHitRow.counterparty_id), col(WatchHitRow.entry_key))
    )
    rows = session.execute(stmt)
    return {(cp, key): hit for cp, key, hit in rows if hit is not None and (cp, key) in wanted}


@dataclass(frozen=True, slots=True)
class NewDecision:
    hit_id: int
    decision: str
    reason: str
    decided_by: str
    decided_at: datetime
    expires_at: datetime | None = None


def record_decision(
    session: Session, new: NewDecision, *, interaction: str | None = None
) -> WatchDecisionRow:
    """Append a decision about a hit; raises LookupError for an unknown hit, and
    `DuplicateInteraction` when `interaction` (the request's own key) was recorded."""
    if new.decision not in DECISIONS:
        raise ValueError(f"decision must be one of {', '.join(DECISIONS)}")
    hit = session.get(WatchHitRow, new.hit_id)
    if hit is None:
        raise LookupError(f"no counterparty hit #{new.hit_id}")
    if interaction is not None and interaction_recorded(session, interaction):
        raise DuplicateInteraction(interaction)
    row = WatchDecisionRow(
        hit_id=new.hit_id,
        counterparty_id=hit.counterparty_id,
        entry_key=hit.entry_key,
        content_digest=hit.content_digest,
        decision=new.decision,
        reason=new.reason,
        decided_by=new.decided_by,
        decided_at=new.decided_at,
        expires_at=new.expires_at,
    )
    session.add(row)
    session.flush()
    if interaction is not None:
        values = {"interaction": interaction, "decision_id": row.id, "recorded_at": new.decided_at}
        # A replay racing this one: the unique key makes the later of the two lose.
        if not insert_new(session, SQLModel.metadata.tables["watch_decision_interaction"], values):
            raise DuplicateInteraction(interaction)
    return row


def interaction_recorded(session: Session, interaction: str) -> bool:
    """Whether a decision was recorded for the request with this key already."""
    stmt = select(col(WatchDecisionInteractionRow.id)).where(
        col(WatchDecisionInteractionRow.interaction) == interaction
    )
    return session.scalar(stmt) is not None


def standing_decision(session: Session, hit: WatchHitRow) -> WatchDecisionRow | None:
    """The newest decision about the hit's (counterparty, listed entry) pair."""
    return latest_decisions(session, {(hit.counterparty_id, hit.entry_key)}).get(
        (hit.counterparty_id, hit.entry_key)
    )


def confirmed_hits(session: Session) -> list[tuple[WatchHitRow, WatchlistRow, WatchDecisionRow]]:
    """Hits whose standing decision is "confirm" (not yet resolved), newest first."""
    newest = (
        select(func.max(WatchDecisionRow.id))
        .group_by(col(WatchDecisionRow.counterparty_id), col(WatchDecisionRow.entry_key))
        .scalar_subquery()
    )
    stmt = (
        select(WatchHitRow, WatchlistRow, WatchDecisionRow)
        .join(WatchDecisionRow, col(WatchDecisionRow.hit_id) == col(WatchHitRow.id))
        .join(WatchlistRow, col(WatchlistRow.id) == col(WatchHitRow.counterparty_id))
        .where(col(WatchDecisionRow.id).in_(newest), col(WatchDecisionRow.decision) == "confirm")
        .order_by(col(WatchDecisionRow.id).desc())
    )
    return [(r[0], r[1], r[2]) for r in session.execute(stmt)]


def expired_clearances(session: Session, *, now: datetime) -> list[WatchDecisionRow]:
    """Standing decisions that are clearances whose expiry has passed."""
    newest = (
        select(func.max(WatchDecisionRow.id))
        .group_by(col(WatchDecisionRow.counterparty_id), col(WatchDecisionRow.entry_key))
        .scalar_subquery()
    )
    stmt = select(WatchDecisionRow).where(
        col(WatchDecisionRow.id).in_(newest),
        col(WatchDecisionRow.decision) == "clear",
        col(WatchDecisionRow.expires_at) <= now,
    )
    return list(session.scalars(stmt))


def hits_of_entries(session: Session, entry_keys: Iterable[str]) -> list[WatchHitRow]:
    keys = list(set(entry_keys))
    if not keys:
        return []
    stmt = select(WatchHitRow).where(
        col(WatchHitRow.entry_key).in_(keys), col(WatchHitRow.delisted_at).is_(None)
    )
    return list(session.scalars(stmt))


def mark_delisted(session: Session, hit_ids: list[int], *, now: datetime) -> None:
    if hit_ids:
        session.execute(
            update(WatchHitRow).where(col(WatchHitRow.id).in_(hit_ids)).values(delisted_at=now)
        )


def iter_decisions(session: Session, *, since: datetime | None = None) -> Iterator[Any]:
    """Every decision with its hit and counterparty, oldest first (audit export)."""
    stmt = (
        select(WatchDecisionRow, WatchHitRow, WatchlistRow)
        .join(WatchHitRow, col(WatchHitRow.id) == col(WatchDecisionRow.hit_id))
        .join(WatchlistRow, col(WatchlistRow.id) == col(WatchDecisionRow.counterparty_id))
        .order_by(col(WatchDecisionRow.id))
    )
    if since is not None:
        stmt = stmt.where(col(WatchDecisionRow.decided_at) >= since)
    yield from session.execute(stmt.execution_options(yield_per=500))


def get_hit(session: Session, hit_id: int) -> WatchHitRow | None:
    """The hit with this id, or None."""
    return session.get(WatchHitRow, hit_id)


def open_hits(session: Session, *, limit: int) -> list[WatchHitRow]:
    """The newest hits with no decision yet whose entry is still listed, newest first."""
    stmt = select(WatchHitRow).where(*_open()).order_by(col(WatchHitRow.id).desc()).limit(limit)
    return list(session.scalars(stmt))


def count_open_hits(session: Session) -> int:
    """How many hits `open_hits` would list without a limit."""
    return int(session.scalar(select(func.count()).select_from(WatchHitRow).where(*_open())) or 0)


def _open() -> tuple[Any, ...]:
    decided = select(col(WatchDecisionRow.hit_id))
    return (col(WatchHitRow.id).not_in(decided), col(WatchHitRow.delisted_at).is_(None))


def mark_hits_planned(session: Session, hit_ids: Iterable[int]) -> None:
    """Flag these hits alerted (their outbox rows are in the same transaction)."""
    ids = sorted(set(hit_ids))
    for start in range(0, len(ids), 1000):
        session.execute(
            update(WatchHitRow)
            .where(col(WatchHitRow.id).in_(ids[start : start + 1000]))
            .values(alert_planned=True)
            .execution_options(synchronize_session=False)
        )


def unplanned_hits(session: Session, *, limit: int) -> list[WatchHitRow]:
    """Hits found while no channel was configured, oldest first, locked (others' locked
    rows skipped: two planners never put one hit in two different summaries)."""
    stmt = (
        select(WatchHitRow)
        .where(col(WatchHitRow.alert_planned).is_(False))
        .order_by(col(WatchHitRow.id))
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list(session.scalars(stmt))
