"""The screening audit trail: write one row per screening, read them back for export.

Every text written here is made storable first (`storable_text`): PostgreSQL refuses
NUL in text, neither database takes lone surrogates, and control characters would
garble an exported trail. A screening whose audit row cannot be written would be an
answer nobody can account for, so the row is cleaned instead of refused.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session
from sqlmodel import SQLModel, col

from storage.models import ChangeRow, ScreeningAuditRow, SnapshotRow


@dataclass(frozen=True, slots=True)
class AuditRecord:
    origin: str
    query: str
    screened_at: datetime
    list_versions: dict[str, Any]
    results: list[dict[str, Any]]
    top_band: str
    # "fresh" | "stale" | "not_loaded": whether the lists could clear a name at the time.
    lists_state: str | None = None
    user_id: str | None = None
    user_name: str | None = None
    channel_id: str | None = None
    error: str | None = None


REPLACEMENT = "\ufffd"


def storable_text(text: str) -> str:
    """`text` with NUL, other C0/C1 control characters, DEL and lone surrogates replaced by
    U+FFFD, so it can be stored on either database and shows that something was there."""
    return "".join(REPLACEMENT if _unstorable(char) else char for char in text)


def _unstorable(char: str) -> bool:
    code = ord(char)
    return code < 0x20 or 0x7F <= code <= 0x9F or 0xD800 <= code <= 0xDFFF


def _clean(text: str | None) -> str | None:
    return None if text is None else storable_text(text)


def record_screening(session: Session, record: AuditRecord) -> int:
    # A plain INSERT ... RETURNING: batch screening writes one of these per input row.
    table = SQLModel.metadata.tables["screening_audit"]
    stmt = insert(table).returning(table.c.id)
    return int(session.execute(stmt, _values(record)).scalar_one())


def record_screenings(session: Session, records: Sequence[AuditRecord]) -> None:
    """Many rows in one statement (the audit writer's batches); ids are not needed there."""
    if records:
        table = SQLModel.metadata.tables["screening_audit"]
        session.execute(insert(table), [_values(r) for r in records])


def _values(record: AuditRecord) -> dict[str, Any]:
    return {
        "screened_at": record.screened_at,
        "origin": record.origin,
        "user_id": _clean(record.user_id),
        "user_name": _clean(record.user_name),
        "channel_id": _clean(record.channel_id),
        "query": storable_text(record.query),
        "list_versions": record.list_versions,
        "results": record.results,
        "top_band": record.top_band,
        "lists_state": record.lists_state,
        "result_count": len(record.results),
        "error": _clean(record.error),
    }


def iter_audit(session: Session, *, since: datetime | None) -> Iterator[ScreeningAuditRow]:
    stmt = select(ScreeningAuditRow).order_by(col(ScreeningAuditRow.id))
    if since is not None:
        stmt = stmt.where(col(ScreeningAuditRow.screened_at) >= since)
    yield from session.scalars(stmt.execution_options(yield_per=500))


def screening_counts(session: Session, *, since: datetime) -> dict[str, int]:
    """Screenings since `since`, by top band."""
    stmt = (
        select(col(ScreeningAuditRow.top_band), func.count())
        .where(col(ScreeningAuditRow.screened_at) >= since)
        .group_by(col(ScreeningAuditRow.top_band))
    )
    return {band: int(n) for band, n in session.execute(stmt)}


def list_versions(session: Session) -> dict[str, Any]:
    """What the lists are now: the newest applied CSL snapshot and the newest FR change."""
    snapshot = session.scalars(
        select(SnapshotRow)
        .where(col(SnapshotRow.source) == "csl")
        .order_by(col(SnapshotRow.id).desc())
        .limit(1)
    ).first()
    newest_fr = session.scalar(
        select(func.max(ChangeRow.id)).where(col(ChangeRow.source) == "federal_register")
    )
    return {
        "csl": snapshot.content_hash if snapshot else None,
        "csl_fetched_at": snapshot.fetched_at.isoformat() if snapshot else None,
        "federal_register_change": newest_fr,
    }
