"""What storage knows about 15 CFR part 744 from every source, as rows and plain records:
the Federal Register rules read (with their dates), the entries each rule acted on,
the eCFR amendments recorded, and the names a source lists.

Rows only: which rule an eCFR amendment belongs to, and whether the CSL has caught
up with a rule, is decided by the callers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from storage.fr_rules import DOCUMENT_KINDS
from storage.fr_rules import SOURCE as FR_SOURCE
from storage.models import ChangeRow, ListEntryRow

ENTRY_KINDS = ("added", "modified", "removed")


@dataclass(frozen=True, slots=True)
class RuleRead:
    """A Federal Register rule entitywatch has recorded, with the dates it was given."""

    document_number: str
    effective_date: date | None
    publication_date: date | None
    citation: str | None
    title: str | None


@dataclass(frozen=True, slots=True)
class RuleEntryRow:
    """One entry a rule acted on: from its change row, or (for a baseline rule, which has
    no per-entry changes) from the entry the rule left in `list_entry`."""

    document_number: str
    kind: str  # "added" | "modified" | "removed"
    list_code: str
    entry_key: str
    name: str
    aliases: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ListedNames:
    """One stored entry of a source, as reconciliation compares it (an address-only entry's
    name is its address)."""

    list_code: str
    entry_key: str
    name: str
    aliases: tuple[str, ...]


def rules_read(session: Session) -> list[RuleRead]:
    """Every rule document recorded by the Federal Register source, oldest first."""
    stmt = (
        select(ChangeRow)
        .where(col(ChangeRow.source) == FR_SOURCE, col(ChangeRow.kind).in_(DOCUMENT_KINDS))
        .order_by(col(ChangeRow.id))
    )
    found: dict[str, RuleRead] = {}
    for row in session.scalars(stmt):
        if not row.document_number:
            continue
        after = row.after or {}
        published = after.get("publication_date")
        found[row.document_number] = RuleRead(
            document_number=row.document_number,
            effective_date=row.effective_date,
            publication_date=date.fromisoformat(published) if published else None,
            citation=after.get("citation"),
            title=after.get("title"),
        )
    return list(found.values())


def rule_entries(session: Session, documents: Iterable[str]) -> list[RuleEntryRow]:
    """The entries the given rules acted on, per-entry changes first, then the entries a
    baseline rule left in `list_entry` (the newest rule acting on a key holds it)."""
    wanted = sorted(set(documents))
    if not wanted:
        return []
    stmt = (
        select(ChangeRow)
        .where(col(ChangeRow.source) == FR_SOURCE, col(ChangeRow.kind).in_(ENTRY_KINDS))
        .where(col(ChangeRow.document_number).in_(wanted))
        .order_by(col(ChangeRow.id))
    )
    entries = [_of_change(row) for row in session.scalars(stmt) if row.entry_key]
    with_changes = {e.document_number for e in entries}
    rest = [d for d in wanted if d not in with_changes]
    if rest:
        stored = select(ListEntryRow).where(
            col(ListEntryRow.source) == FR_SOURCE, col(ListEntryRow.fr_document).in_(rest)
        )
        entries += [_of_stored(row) for row in session.scalars(stored)]
    return entries


def _of_change(row: ChangeRow) -> RuleEntryRow:
    content = row.after or row.before or {}
    return RuleEntryRow(
        document_number=row.document_number or "",
        kind=row.kind,
        list_code=row.list_code or "",
        entry_key=row.entry_key or "",
        name=row.entry_name or str(content.get("name") or ""),
        aliases=tuple(str(a) for a in content.get("aliases") or ()),
    )


def _of_stored(row: ListEntryRow) -> RuleEntryRow:
    return RuleEntryRow(
        document_number=row.fr_document or "",
        kind="added",
        list_code=row.list_code,
        entry_key=row.entry_key,
        name=row.name,
        aliases=tuple(row.aliases or ()),
    )


def listed_names(session: Session, *, source: str, lists: Sequence[str]) -> list[ListedNames]:
    """The names and aliases of `source`'s entries on `lists`."""
    stmt = select(
        col(ListEntryRow.list_code),
        col(ListEntryRow.entry_key),
        col(ListEntryRow.name),
        col(ListEntryRow.aliases),
    ).where(col(ListEntryRow.source) == source, col(ListEntryRow.list_code).in_(list(lists)))
    return [
        ListedNames(list_code=code, entry_key=key, name=name, aliases=tuple(aliases or ()))
        for code, key, name, aliases in session.execute(stmt)
    ]


def changes_of_kinds(
    session: Session, *, source: str, kinds: Sequence[str], since: datetime | None = None
) -> list[ChangeRow]:
    """`source`'s change rows of `kinds` (detected at or after `since`), oldest first."""
    stmt = (
        select(ChangeRow)
        .where(col(ChangeRow.source) == source, col(ChangeRow.kind).in_(list(kinds)))
        .order_by(col(ChangeRow.id))
    )
    if since is not None:
        stmt = stmt.where(col(ChangeRow.detected_at) >= since)
    return list(session.scalars(stmt))


def has_changes(session: Session, *, source: str, kinds: Sequence[str]) -> bool:
    """Whether `source` has recorded any change row of `kinds`."""
    stmt = select(col(ChangeRow.id)).where(
        col(ChangeRow.source) == source, col(ChangeRow.kind).in_(list(kinds))
    )
    return session.scalar(stmt.limit(1)) is not None
