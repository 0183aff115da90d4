"""Stored list entries: load them for a diff, and apply a diff in the caller's transaction."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session
from sqlmodel import SQLModel, col

from storage.inserts import insert_many_new
from storage.models import ListEntryRow
from watchers.diff import EntryChange, ListDiff, StoredEntry
from watchers.records import COMPARED_FIELDS, ListEntry

_CHUNK = 500


@dataclass(frozen=True, slots=True)
class StoredState:
    entries: dict[str, StoredEntry]
    row_ids: dict[str, int]


def load_state(session: Session, *, source: str) -> StoredState:
    columns: list[Any] = [
        ListEntryRow.id,
        ListEntryRow.entry_key,
        ListEntryRow.list_code,
        ListEntryRow.content_digest,
        *(getattr(ListEntryRow, name) for name in COMPARED_FIELDS),
    ]
    stmt = select(*columns).where(col(ListEntryRow.source) == source)
    entries: dict[str, StoredEntry] = {}
    row_ids: dict[str, int] = {}
    for row in session.execute(stmt):
        content = {name: _jsonable(row[4 + i]) for i, name in enumerate(COMPARED_FIELDS)}
        entries[row.entry_key] = StoredEntry(
            key=row.entry_key,
            list_code=row.list_code,
            name=row.name,
            digest=row.content_digest,
            content=content,
        )
        row_ids[row.entry_key] = row.id
    return StoredState(entries=entries, row_ids=row_ids)


def _jsonable(value: object) -> object:
    return value.isoformat() if isinstance(value, date) else value


def entry_values(entry: ListEntry, *, key: str, source: str, now: datetime) -> dict[str, Any]:
    return {
        "source": source,
        "entry_key": key,
        "list_code": entry.list_code,
        "name": entry.name,
        "aliases": list(entry.aliases),
        "entity_type": entry.entity_type,
        "countries": list(entry.countries),
        "addresses": list(entry.addresses),
        "programs": list(entry.programs),
        "fr_citations": list(entry.fr_citations),
        "start_date": entry.start_date,
        "end_date": entry.end_date,
        "license_requirement": entry.license_requirement,
        "license_policy": entry.license_policy,
        "remarks": entry.remarks,
        "source_urls": list(entry.source_urls),
        "source_id": entry.source_id,
        "entity_number": entry.entity_number,
        "fr_document": entry.fr_document,
        "raw": dict(entry.raw),
        "content_digest": entry.content_digest(),
        "first_seen": now,
        "last_changed": now,
    }


def insert_entries(
    session: Session, entries: Iterable[tuple[str, ListEntry]], *, source: str, now: datetime
) -> int:
    values = [entry_values(e, key=k, source=source, now=now) for k, e in entries]
    for start in range(0, len(values), _CHUNK):
        session.execute(insert(ListEntryRow), values[start : start + _CHUNK])
    return len(values)


def apply_diff(
    session: Session,
    *,
    diff: ListDiff,
    incoming: Mapping[str, ListEntry],
    state: StoredState,
    source: str,
    now: datetime,
) -> None:
    """Write a non-baseline list diff to `list_entry` (changes are recorded separately)."""
    insert_entries(session, ((c.key, incoming[c.key]) for c in diff.added), source=source, now=now)
    removed_ids = [state.row_ids[c.key] for c in diff.removed]
    for start in range(0, len(removed_ids), _CHUNK):
        chunk = removed_ids[start : start + _CHUNK]
        session.execute(delete(ListEntryRow).where(ListEntryRow.id.in_(chunk)))  # type: ignore[union-attr]
    updates = []
    for change in diff.modified:
        values = entry_values(incoming[change.key], key=change.key, source=source, now=now)
        del values["first_seen"]
        updates.append({"id": state.row_ids[change.key], **values})
    if updates:
        session.execute(update(ListEntryRow), updates)


def change_dedupe_key(*parts: str | None) -> str:
    """Deterministic unique key: the same change seen twice maps to the same row."""
    return hashlib.sha256("\x1f".join(p or "" for p in parts).encode()).hexdigest()


def record_entry_changes(
    session: Session,
    changes: Sequence[EntryChange],
    *,
    source: str,
    snapshot_id: int,
    now: datetime,
    documents: dict[str, str] | None = None,
) -> None:
    """Insert change rows; `documents` maps entry keys to the FR document that acted on them."""
    documents = documents or {}
    rows = [
        {
            # Per applied snapshot: a list may flip back to bytes it published before
            # (added, removed, added again), and each flip is a change of its own.
            "dedupe_key": change_dedupe_key(source, c.kind, c.key, str(snapshot_id)),
            "source": source,
            "kind": c.kind,
            "list_code": c.list_code,
            "entry_key": c.key,
            "entry_name": c.name,
            "before": dict(c.before) if c.before is not None else None,
            "after": dict(c.after) if c.after is not None else None,
            "fields": {k: list(v) for k, v in c.fields.items()} or None,
            "snapshot_id": snapshot_id,
            "document_number": documents.get(c.key),
            "detected_at": now,
        }
        for c in changes
    ]
    table = SQLModel.metadata.tables["change"]
    for start in range(0, len(rows), _CHUNK):
        insert_many_new(session, table, rows[start : start + _CHUNK])
