"""What the alert planner reads and flags: unplanned change rows and their context."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session
from sqlmodel import col

from storage.models import ChangeRow


def lock_unplanned(session: Session, *, limit: int) -> list[ChangeRow]:
    """Up to `limit` unplanned change rows, oldest first, locked (others' locked rows skipped)."""
    stmt = (
        select(ChangeRow)
        .where(col(ChangeRow.alert_planned).is_(False))
        .order_by(col(ChangeRow.id))
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list(session.scalars(stmt))


def mark_planned(session: Session, ids: Sequence[int]) -> None:
    """Flag these change rows `alert_planned`; returns nothing."""
    session.execute(
        update(ChangeRow).where(col(ChangeRow.id).in_(list(ids))).values(alert_planned=True)
    )


def changes_of_document(session: Session, document_number: str) -> list[ChangeRow]:
    """Every change row of one Federal Register document, oldest first."""
    stmt = (
        select(ChangeRow)
        .where(col(ChangeRow.document_number) == document_number)
        .order_by(col(ChangeRow.id))
    )
    return list(session.scalars(stmt))


def documents_seen_since(
    session: Session, since: datetime
) -> list[tuple[str, str | None, datetime]]:
    """(document_number, entry_name, detected_at) of change rows with a document since `since`."""
    stmt = (
        select(
            col(ChangeRow.document_number), col(ChangeRow.entry_name), col(ChangeRow.detected_at)
        )
        .where(col(ChangeRow.document_number).is_not(None))
        .where(col(ChangeRow.detected_at) >= since)
    )
    return [
        (number, name, seen) for number, name, seen in session.execute(stmt) if number is not None
    ]


def last_change_before(
    session: Session, *, source: str, kinds: Sequence[str], before_id: int
) -> int | None:
    """The id of `source`'s newest change row of one of `kinds` older than `before_id`, or None."""
    stmt = (
        select(col(ChangeRow.id))
        .where(col(ChangeRow.source) == source)
        .where(col(ChangeRow.kind).in_(list(kinds)))
        .where(col(ChangeRow.id) < before_id)
        .order_by(col(ChangeRow.id).desc())
    )
    return session.scalars(stmt).first()
