"""Slack call slots shared by every replica through the database (`slack_pace`).

One row per kind of call ("chat:<channel>", "history") holds the earliest time the
next call may go out. Taking a slot is a compare-and-set: read `next_allowed_at`,
then `UPDATE ... WHERE next_allowed_at = <what was read>`. Two senders that read the
same value cannot both win (PostgreSQL re-checks the WHERE after the row lock, SQLite
serialises writers), so the slots handed out are at least `interval` apart whatever
the number of processes. Times come from the callers' clocks, which in production
are the hosts' NTP-synchronised wall clocks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlmodel import SQLModel, col

from storage.models import SlackPaceRow

# Lost races in a row before giving up on a slot for now (the caller retries later).
MAX_RACES = 20


@dataclass(frozen=True, slots=True)
class PaceSlot:
    at: datetime  # when the call may go out
    taken: bool  # False: the slot is further away than the caller wanted to wait


def take_slot(
    session: Session, *, key: str, now: datetime, interval: timedelta, max_wait: timedelta
) -> PaceSlot:
    """Reserve the next slot for `key` if it is at most `max_wait` away."""
    for _ in range(MAX_RACES):
        current = session.scalar(
            select(col(SlackPaceRow.next_allowed_at)).where(col(SlackPaceRow.key) == key)
        )
        if current is None:
            if _insert_first(session, key=key, next_allowed_at=now + interval):
                return PaceSlot(at=now, taken=True)
            continue
        at = max(now, current)
        if at - now > max_wait:
            return PaceSlot(at=at, taken=False)
        won = session.execute(
            update(SlackPaceRow)
            .where(col(SlackPaceRow.key) == key, col(SlackPaceRow.next_allowed_at) == current)
            .values(next_allowed_at=at + interval)
            .returning(col(SlackPaceRow.key))
        ).first()
        if won is not None:
            return PaceSlot(at=at, taken=True)
    return PaceSlot(at=now + interval, taken=False)


def hold_until(session: Session, *, key: str, until: datetime) -> None:
    """Let no call of `key` go out before `until` (Slack answered 429 with Retry-After)."""
    session.execute(
        update(SlackPaceRow)
        .where(col(SlackPaceRow.key) == key, col(SlackPaceRow.next_allowed_at) < until)
        .values(next_allowed_at=until)
    )
    _insert_first(session, key=key, next_allowed_at=until)


def _insert_first(session: Session, *, key: str, next_allowed_at: datetime) -> bool:
    table = SQLModel.metadata.tables["slack_pace"]
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = (
        insert(table)
        .values(key=key, next_allowed_at=next_allowed_at)
        .on_conflict_do_nothing()
        .returning(table.c.key)
    )
    return session.execute(stmt).first() is not None
