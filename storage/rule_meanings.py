"""The meaning records the Federal Register watchers store on the rules they select: what
each rule does to a listing's meaning (in force, suspended, reimposed, ...), with dates.

Rows only, one per document: the dated calendar is computed by the callers
(bot.services.rules_calendar). A document seen on Public Inspection and again as a
published rule keeps the published rule's record, which is read from the final text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from storage.models import ChangeRow

# The document-level change kinds that carry a `meaning` in their `after`.
MEANING_KINDS = ("public_inspection", "rule_published", "rule_baseline")
# Published text beats a filing's: a published row's record replaces the filing's.
_RANK = {"public_inspection": 0, "rule_published": 1, "rule_baseline": 1}


@dataclass(frozen=True, slots=True)
class StoredMeaning:
    """One document's meaning records, as stored (unchecked JSON items)."""

    document_number: str
    kind: str
    # When the document came out: its publication date, else its effective date, else when
    # it was seen; "later rule" means later in this order.
    order_date: date
    detected_at: datetime
    citation: str | None
    items: tuple[object, ...]  # unchecked: the caller checks each record


def stored_meanings(session: Session) -> list[StoredMeaning]:
    """Every document with a `meaning` list, one record per document, oldest first."""
    stmt = (
        select(ChangeRow)
        .where(col(ChangeRow.kind).in_(MEANING_KINDS))
        .where(col(ChangeRow.document_number).is_not(None))
        .order_by(col(ChangeRow.id))
    )
    found: dict[str, StoredMeaning] = {}
    for row in session.scalars(stmt):
        after = row.after or {}
        items = after.get("meaning")
        if not isinstance(items, list) or not row.document_number:
            continue
        record = StoredMeaning(
            document_number=row.document_number,
            kind=row.kind,
            order_date=_order_date(after, row),
            detected_at=row.detected_at,
            citation=after.get("citation") if isinstance(after.get("citation"), str) else None,
            items=tuple(items),
        )
        held = found.get(row.document_number)
        if held is None or _RANK.get(row.kind, 0) >= _RANK.get(held.kind, 0):
            found[row.document_number] = record
    return sorted(found.values(), key=lambda m: (m.order_date, m.detected_at, m.document_number))


def _order_date(after: dict[str, Any], row: ChangeRow) -> date:
    published = after.get("publication_date")
    if isinstance(published, str):
        try:
            return date.fromisoformat(published[:10])
        except ValueError:
            pass
    return row.effective_date or row.detected_at.date()
