"""Reading change rows for reports: a detection window (the digest), the latest few (App Home)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session
from sqlmodel import col

from storage.models import ChangeRow


def changes_between(
    session: Session,
    *,
    since: datetime,
    until: datetime,
    kinds: Sequence[str],
    late_from: datetime | None = None,
) -> list[ChangeRow]:
    """Change rows of `kinds` detected in [since, until), oldest first; with `late_from`,
    also those detected in [late_from, since) that no digest has reported (committed
    after the previous digest read its window)."""
    detected = col(ChangeRow.detected_at)
    window = and_(detected >= since, detected < until)
    if late_from is not None:
        late = and_(col(ChangeRow.digested).is_(False), detected >= late_from, detected < since)
        window = or_(window, late)
    stmt = (
        select(ChangeRow)
        .where(window)
        .where(col(ChangeRow.kind).in_(list(kinds)))
        .order_by(col(ChangeRow.id))
    )
    return list(session.scalars(stmt))


def mark_digested(session: Session, ids: Sequence[int]) -> None:
    """Flag these change rows reported by a posted digest; returns nothing."""
    for start in range(0, len(ids), 1000):
        session.execute(
            update(ChangeRow)
            .where(col(ChangeRow.id).in_(list(ids[start : start + 1000])))
            .values(digested=True)
            .execution_options(synchronize_session=False)
        )


def latest_changes(session: Session, *, excluding: Sequence[str], limit: int) -> list[ChangeRow]:
    """The newest `limit` change rows whose kind is not in `excluding`, newest first."""
    stmt = (
        select(ChangeRow)
        .where(col(ChangeRow.kind).not_in(list(excluding)))
        .order_by(col(ChangeRow.id).desc())
        .limit(limit)
    )
    return list(session.scalars(stmt))
