"""Records to rows and back: how a `ListEntry` and an `EntryChange` are stored.

Storage knows rows only; this module is where the watchers' records meet them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from storage.changes import change_dedupe_key
from storage.list_state import (
    StoredRow,
    delete_entry_rows,
    insert_change_rows,
    insert_entry_rows,
    load_rows,
    update_entry_rows,
)
from watchers.diff import EntryChange, ListDiff, StoredEntry
from watchers.records import COMPARED_FIELDS, ListEntry


class StoredState:
    """The stored entries of one source, keyed for the diff, with their row ids."""

    def __init__(self, rows: Iterable[StoredRow]) -> None:
        self.entries: dict[str, StoredEntry] = {}
        self.row_ids: dict[str, int] = {}
        for row in rows:
            self.entries[row.entry_key] = StoredEntry(
                key=row.entry_key,
                list_code=row.list_code,
                name=row.name,
                digest=row.content_digest,
                content=row.content,
            )
            self.row_ids[row.entry_key] = row.id


def load_state(session: Session, *, source: str) -> StoredState:
    return StoredState(load_rows(session, source=source, fields=COMPARED_FIELDS))


def entry_row(entry: ListEntry, *, key: str, source: str, now: datetime) -> dict[str, Any]:
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
    return insert_entry_rows(
        session, (entry_row(e, key=k, source=source, now=now) for k, e in entries)
    )


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
    delete_entry_rows(session, [state.row_ids[c.key] for c in diff.removed])
    updates = []
    for change in diff.modified:
        values = entry_row(incoming[change.key], key=change.key, source=source, now=now)
        del values["first_seen"]
        updates.append({"id": state.row_ids[change.key], **values})
    update_entry_rows(session, updates)


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
    insert_change_rows(session, rows)
