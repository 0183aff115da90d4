"""Federal Register rules in storage, as rows: which rule documents are recorded, which
document acted on an entry lately, and the rule entries kept for screening."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from storage.models import ChangeRow

_CHUNK = 500
# How rule rows are stored: their source name and the kinds of their document-level rows.
SOURCE = "federal_register"
DOCUMENT_KINDS = ("rule_published", "rule_baseline")


def recorded_documents(session: Session, *, source: str, kinds: Sequence[str]) -> set[str]:
    """Document numbers of `source`'s change rows of the given kinds."""
    stmt = select(col(ChangeRow.document_number)).where(
        col(ChangeRow.source) == source, col(ChangeRow.kind).in_(kinds)
    )
    return {n for n in session.scalars(stmt) if n}


def document_numbers_for_keys(
    session: Session, keys: Iterable[str], *, source: str, since: datetime
) -> dict[str, str]:
    """The document of `source` that acted on each entry key since `since` (the newest wins)."""
    wanted = list(set(keys))
    found: dict[str, str] = {}
    for start in range(0, len(wanted), _CHUNK):
        stmt = (
            select(col(ChangeRow.entry_key), col(ChangeRow.document_number))
            .where(col(ChangeRow.source) == source)
            .where(col(ChangeRow.detected_at) >= since)
            .where(col(ChangeRow.entry_key).in_(wanted[start : start + _CHUNK]))
            .order_by(col(ChangeRow.id))
        )
        for key, number in session.execute(stmt):
            if key and number:
                found[key] = number
    return found
