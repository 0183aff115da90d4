"""How many entries each source holds per list, and the newest CSL entry of each list (rows)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlmodel import col

from storage.models import ListEntryRow


@dataclass(frozen=True, slots=True)
class NewestEntry:
    """The newest entry of one list by its start date, with the citations it carries."""

    list_code: str
    start_date: date
    fr_citations: tuple[str, ...]


def entry_counts(session: Session) -> dict[tuple[str, str], int]:
    """(source, list code) -> stored entries."""
    stmt = select(col(ListEntryRow.source), col(ListEntryRow.list_code), func.count()).group_by(
        col(ListEntryRow.source), col(ListEntryRow.list_code)
    )
    return {(source, code): int(count) for source, code, count in session.execute(stmt)}


def newest_entries(session: Session, *, source: str, today: date) -> dict[str, NewestEntry]:
    """Per list, the stored entry of `source` with the latest start date not after `today`."""
    newest = (
        select(col(ListEntryRow.list_code), func.max(ListEntryRow.start_date).label("newest"))
        .where(col(ListEntryRow.source) == source, col(ListEntryRow.start_date) <= today)
        .group_by(col(ListEntryRow.list_code))
        .subquery()
    )
    stmt = (
        select(
            col(ListEntryRow.list_code),
            col(ListEntryRow.start_date),
            col(ListEntryRow.fr_citations),
        )
        .join(
            newest,
            (col(ListEntryRow.list_code) == newest.c.list_code)
            & (col(ListEntryRow.start_date) == newest.c.newest),
        )
        .where(col(ListEntryRow.source) == source)
        .order_by(col(ListEntryRow.id))
    )
    found: dict[str, NewestEntry] = {}
    for code, start, citations in session.execute(stmt):
        if code not in found and start is not None:
            found[code] = NewestEntry(code, start, tuple(citations or ()))
    return found
