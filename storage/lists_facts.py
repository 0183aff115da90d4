"""What storage knows about the screening lists' age: their contents' dates and their refreshes.

Two reads, because they change at different rates: the contents (how many CSL
entries, the newest entry's date, the newest Federal Register rule read) change
only when the lists change, so a screening index reads them once when it is
built; the refreshes (last successful CSL poll or import, the Federal Register
source's failure streak) change with every poll and are read per answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlmodel import col

from storage.fr_rules import DOCUMENT_KINDS
from storage.fr_rules import SOURCE as FR_SOURCE
from storage.models import ChangeRow, ListEntryRow, SnapshotRow
from storage.source_state import SourceState, load_source_state

CSL_SOURCE = "csl"
# Snapshot rows that stand for a refresh: a refused snapshot is not one.
REFRESH_STATUSES = ("baseline", "applied", "unchanged")


@dataclass(frozen=True, slots=True)
class FrRuleRef:
    """A Federal Register rule whose entries were read (and so are screened)."""

    document_number: str
    publication_date: date
    citation: str | None = None


@dataclass(frozen=True, slots=True)
class ListContents:
    csl_entries: int
    # The newest `start_date` of a stored CSL entry, ignoring dates after `today`.
    csl_newest_entry: date | None
    fr_newest: FrRuleRef | None


@dataclass(frozen=True, slots=True)
class ListRefreshes:
    # The newer of the CSL watcher's last successful poll (a 304 included) and the
    # newest snapshot row (an import by hand or a poll that found changes).
    csl_refreshed_at: datetime | None
    csl: SourceState
    federal_register: SourceState


def load_list_contents(session: Session, *, today: date) -> ListContents:
    on_csl = col(ListEntryRow.source) == CSL_SOURCE
    entries = session.scalar(select(func.count()).select_from(ListEntryRow).where(on_csl))
    newest = session.scalar(
        select(func.max(ListEntryRow.start_date)).where(
            on_csl, col(ListEntryRow.start_date) <= today
        )
    )
    return ListContents(
        csl_entries=int(entries or 0), csl_newest_entry=newest, fr_newest=newest_fr_rule(session)
    )


def newest_fr_rule(session: Session) -> FrRuleRef | None:
    """The newest rule by publication date among those recorded with their entries."""
    stmt = select(col(ChangeRow.document_number), col(ChangeRow.after)).where(
        col(ChangeRow.source) == FR_SOURCE, col(ChangeRow.kind).in_(DOCUMENT_KINDS)
    )
    rules = []
    for number, after in session.execute(stmt):
        # Only a rule whose XML was read carries its publication date (and entries).
        published = (after or {}).get("publication_date")
        if number and published:
            rules.append(
                FrRuleRef(
                    document_number=number,
                    publication_date=date.fromisoformat(published),
                    citation=(after or {}).get("citation"),
                )
            )
    return max(rules, key=lambda r: (r.publication_date, r.document_number), default=None)


def load_list_refreshes(session: Session) -> ListRefreshes:
    csl = load_source_state(session, CSL_SOURCE)
    imported = session.scalar(
        select(func.max(SnapshotRow.fetched_at)).where(
            col(SnapshotRow.source) == CSL_SOURCE, col(SnapshotRow.status).in_(REFRESH_STATUSES)
        )
    )
    moments = [m for m in (csl.last_success_at, imported) if m is not None]
    return ListRefreshes(
        csl_refreshed_at=max(moments, default=None),
        csl=csl,
        federal_register=load_source_state(session, FR_SOURCE),
    )


def record_unchanged_import(
    session: Session, *, content_hash: str, row_count: int, now: datetime, origin: str
) -> None:
    """Note a hand import that changed nothing: the operator vouched for the lists just now."""
    session.add(
        SnapshotRow(
            source=CSL_SOURCE,
            fetched_at=now,
            content_hash=content_hash,
            row_count=row_count,
            status="unchanged",
            origin=origin,
        )
    )
