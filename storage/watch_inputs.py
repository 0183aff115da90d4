"""What counterparty monitoring reads from the list side: recorded changes after its
cursor, and the stored list entries it screens counterparties against."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from storage.models import ChangeRow, ListEntryRow

# Bound parameters per IN (...): well under every backend's limit.
KEY_CHUNK = 1000


def changes_after(session: Session, *, after: int, limit: int) -> list[ChangeRow]:
    """Up to `limit` recorded changes with an id above `after`, in id order."""
    stmt = (
        select(ChangeRow).where(col(ChangeRow.id) > after).order_by(col(ChangeRow.id)).limit(limit)
    )
    return list(session.scalars(stmt))


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
