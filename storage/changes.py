"""Recording source-level events (baselines, outages) as change rows."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import SQLModel, col

from storage.inserts import insert_new
from storage.models import ChangeRow


def change_dedupe_key(*parts: str | None) -> str:
    """Deterministic unique key: the same change seen twice maps to the same row."""
    return hashlib.sha256("\x1f".join(p or "" for p in parts).encode()).hexdigest()


def record_event(
    session: Session,
    *,
    dedupe_key: str,
    source: str,
    kind: str,
    now: datetime,
    summary: str,
    list_code: str | None = None,
    document_number: str | None = None,
    effective_date: date | None = None,
    after: dict[str, Any] | None = None,
    snapshot_id: int | None = None,
    entry_key: str | None = None,
    entry_name: str | None = None,
) -> bool:
    """Insert one change row unless its dedupe key exists; True when it was new."""
    values: dict[str, Any] = {
        "dedupe_key": dedupe_key,
        "source": source,
        "kind": kind,
        "list_code": list_code,
        "document_number": document_number,
        "effective_date": effective_date,
        "after": after,
        "snapshot_id": snapshot_id,
        "entry_key": entry_key,
        "entry_name": entry_name,
        "detected_at": now,
        "summary": summary,
    }
    return insert_new(session, SQLModel.metadata.tables["change"], values)


def existing_dedupe_keys(session: Session, keys: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(keys), 500):
        stmt = select(col(ChangeRow.dedupe_key)).where(
            col(ChangeRow.dedupe_key).in_(keys[start : start + 500])
        )
        found.update(session.scalars(stmt))
    return found
