"""The stored list entries a screening index is built from, and a cheap version of them."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlmodel import col

from storage.fr_rules import SOURCE as FR_SOURCE
from storage.models import ChangeRow, ListEntryRow, SnapshotRow


def all_list_entries(session: Session) -> list[ListEntryRow]:
    """Every stored list entry (CSL and Federal Register), in insertion order."""
    return list(session.scalars(select(ListEntryRow).order_by(col(ListEntryRow.id))))


def lists_version(session: Session) -> tuple[int, int, int]:
    """(newest snapshot id, newest FR change id, entry count): moves whenever the lists change."""
    snapshot = session.scalar(select(func.max(SnapshotRow.id))) or 0
    fr_change = (
        session.scalar(select(func.max(ChangeRow.id)).where(col(ChangeRow.source) == FR_SOURCE))
        or 0
    )
    entries = session.scalar(select(func.count()).select_from(ListEntryRow)) or 0
    return (int(snapshot), int(fr_change), int(entries))
