"""What counterparty monitoring reads from the list side: recorded changes it has not
read yet, and the stored list entries it screens counterparties against."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select, update
from sqlalchemy.orm import Session
from sqlmodel import col

from storage.models import ChangeRow, ListEntryRow

# Bound parameters per IN (...): well under every backend's limit.
KEY_CHUNK = 1000


def changes_unread(session: Session, *, limit: int) -> list[ChangeRow]:
    """Up to `limit` committed changes monitoring has not read, in id order.

    By flag rather than above a cursor: a change inserted early and committed late
    (an import still running while a poll commits) has a lower id than changes already
    read, and must still be read once it commits."""
    stmt = (
        select(ChangeRow)
        .where(col(ChangeRow.watch_read).is_(False))
        .order_by(col(ChangeRow.id))
        .limit(limit)
    )
    return list(session.scalars(stmt))


def mark_read(session: Session, ids: list[int]) -> None:
    """Flag these changes read by monitoring (in the transaction that recorded their hits)."""
    for start in range(0, len(ids), KEY_CHUNK):
        session.execute(
            update(ChangeRow)
            .where(col(ChangeRow.id).in_(ids[start : start + KEY_CHUNK]))
            .values(watch_read=True)
            .execution_options(synchronize_session=False)
        )


def any_entry_stored(session: Session) -> bool:
    """Whether any list entry is stored yet (false until the first snapshot)."""
    return session.scalar(select(col(ListEntryRow.id)).limit(1)) is not None


def entries_with_keys(session: Session, keys: Iterable[str]) -> list[ListEntryRow]:
    """The stored entry rows (of every source) whose entry key is one of `keys`."""
    ordered = sorted(set(keys))
    rows: list[ListEntryRow] = []
    for start in range(0, len(ordered), KEY_CHUNK):
        chunk = ordered[start : start + KEY_CHUNK]
        rows += session.scalars(select(ListEntryRow).where(col(ListEntryRow.entry_key).in_(chunk)))
    return rows


def all_entries(session: Session) -> list[ListEntryRow]:
    """Every stored entry row, in id order."""
    return list(session.scalars(select(ListEntryRow).order_by(col(ListEntryRow.id))))
