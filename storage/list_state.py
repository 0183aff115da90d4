"""Stored list entries as rows: load them for a diff, and write a diff's rows in the
caller's transaction. What a row means (records, diffs) is the watchers' business."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session
from sqlmodel import SQLModel, col

from storage.inserts import insert_many_new
from storage.models import ListEntryRow

_CHUNK = 500


@dataclass(frozen=True, slots=True)
class StoredRow:
    """One `list_entry` row: its identity, digest and the requested content columns."""

    id: int
    entry_key: str
    list_code: str
    name: str
    content_digest: str
    content: dict[str, object]


def load_rows(session: Session, *, source: str, fields: Sequence[str]) -> list[StoredRow]:
    """Every stored entry of `source`, with `fields` as JSON-friendly content."""
    columns: list[Any] = [
        ListEntryRow.id,
        ListEntryRow.entry_key,
        ListEntryRow.list_code,
        ListEntryRow.name,
        ListEntryRow.content_digest,
        *(getattr(ListEntryRow, name) for name in fields),
    ]
    stmt = select(*columns).where(col(ListEntryRow.source) == source)
    return [
        StoredRow(
            id=row[0],
            entry_key=row[1],
            list_code=row[2],
            name=row[3],
            content_digest=row[4],
            content={name: _jsonable(row[5 + i]) for i, name in enumerate(fields)},
        )
        for row in session.execute(stmt)
    ]


def _jsonable(value: object) -> object:
    return value.isoformat() if isinstance(value, date) else value


def insert_entry_rows(session: Session, rows: Iterable[dict[str, Any]]) -> int:
    values = list(rows)
    for start in range(0, len(values), _CHUNK):
        session.execute(insert(ListEntryRow), values[start : start + _CHUNK])
    return len(values)


def delete_entry_rows(session: Session, ids: Sequence[int]) -> None:
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        session.execute(delete(ListEntryRow).where(col(ListEntryRow.id).in_(chunk)))


def delete_entries_by_key(session: Session, *, source: str, keys: Sequence[str]) -> None:
    for start in range(0, len(keys), _CHUNK):
        session.execute(
            delete(ListEntryRow).where(
                col(ListEntryRow.source) == source,
                col(ListEntryRow.entry_key).in_(keys[start : start + _CHUNK]),
            )
        )


def update_entry_rows(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Bulk UPDATE by primary key: every dict carries its row's `id`."""
    if rows:
        session.execute(update(ListEntryRow), list(rows))


def insert_change_rows(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Insert change rows, skipping those whose dedupe key is already recorded."""
    table = SQLModel.metadata.tables["change"]
    for start in range(0, len(rows), _CHUNK):
        insert_many_new(session, table, rows[start : start + _CHUNK])
