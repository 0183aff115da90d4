"""Reading change rows for reports: a detection window (the digest), the latest few (App Home)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from storage.models import ChangeRow


def changes_between(
    session: Session, *, since: datetime, until: datetime, kinds: Sequence[str]
) -> list[ChangeRow]:
    """Change rows of `kinds` detected in [since, until), oldest first."""
    stmt = (
        select(ChangeRow)
        .where(col(ChangeRow.detected_at) >= since)
        .where(col(ChangeRow.detected_at) < until)
        .where(col(ChangeRow.kind).in_(list(kinds)))
        .order_by(col(ChangeRow.id))
    )
    return list(session.scalars(stmt))


def latest_changes(session: Session, *, excluding: Sequence[str], limit: int) -> list[ChangeRow]:
    """The newest `limit` change rows whose kind is not in `excluding`, newest first."""
    stmt = (
        select(ChangeRow)
        .where(col(ChangeRow.kind).not_in(list(excluding)))
        .order_by(col(ChangeRow.id).desc())
        .limit(limit)
    )
    return list(session.scalars(stmt))
