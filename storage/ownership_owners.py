"""Owners of counterparties: recorded once by key, screened like counterparties, found
again by the listed entry they were screened to (a change or a removal of it)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlmodel import SQLModel, col

from storage.inserts import insert_many_new
from storage.models import (
    OwnershipOwnerRow,
)

CHUNK = 500


def add_owners(session: Session, owners: dict[str, str]) -> None:
    """Record owners not seen before (unscreened) by key -> name."""
    rows = [{"owner_key": k, "name": n} for k, n in owners.items()]
    for start in range(0, len(rows), CHUNK):
        insert_many_new(
            session, SQLModel.metadata.tables["ownership_owner"], rows[start : start + CHUNK]
        )


def all_owners(session: Session) -> list[OwnershipOwnerRow]:
    return list(session.scalars(select(OwnershipOwnerRow).order_by(col(OwnershipOwnerRow.id))))


def unscreened_owners(session: Session) -> list[OwnershipOwnerRow]:
    stmt = select(OwnershipOwnerRow).where(col(OwnershipOwnerRow.screened_at).is_(None))
    return list(session.scalars(stmt))


def set_owner_screening(owner: OwnershipOwnerRow, values: dict[str, Any]) -> None:
    """Through the loaded row, so that the session's later reads see the new standing."""
    for field, value in values.items():
        setattr(owner, field, value)


def standing_owners(session: Session) -> list[OwnershipOwnerRow]:
    """Owners screened to a list the rule counts (listed or possibly listed)."""
    stmt = select(OwnershipOwnerRow).where(col(OwnershipOwnerRow.standing).is_not(None))
    return list(session.scalars(stmt))


def owners_by_keys(session: Session, keys: Iterable[str]) -> dict[str, OwnershipOwnerRow]:
    ordered = sorted(set(keys))
    found: dict[str, OwnershipOwnerRow] = {}
    for start in range(0, len(ordered), CHUNK):
        stmt = select(OwnershipOwnerRow).where(
            col(OwnershipOwnerRow.owner_key).in_(ordered[start : start + CHUNK])
        )
        found |= {r.owner_key: r for r in session.scalars(stmt)}
    return found


def owners_with_entries(session: Session, entry_keys: Iterable[str]) -> list[OwnershipOwnerRow]:
    """Owners last screened to one of these listed entries (changed or removed)."""
    ordered = sorted(set(entry_keys))
    found: list[OwnershipOwnerRow] = []
    for start in range(0, len(ordered), CHUNK):
        stmt = select(OwnershipOwnerRow).where(
            col(OwnershipOwnerRow.entry_key).in_(ordered[start : start + CHUNK])
        )
        found += session.scalars(stmt)
    return found


def owner_parties(session: Session) -> list[tuple[int, str]]:
    """(id, name) of every owner: what the reverse index of owners is built from."""
    stmt = select(col(OwnershipOwnerRow.id), col(OwnershipOwnerRow.name))
    return [(i or 0, n) for i, n in session.execute(stmt)]


def owners_version(session: Session) -> tuple[int, int]:
    count, top = session.execute(select(func.count(), func.max(OwnershipOwnerRow.id))).one()
    return int(count or 0), int(top or 0)


def owner_keys_by_id(session: Session, ids: Iterable[int]) -> dict[int, str]:
    ordered = sorted(set(ids))
    found: dict[int, str] = {}
    for start in range(0, len(ordered), CHUNK):
        stmt = select(col(OwnershipOwnerRow.id), col(OwnershipOwnerRow.owner_key)).where(
            col(OwnershipOwnerRow.id).in_(ordered[start : start + CHUNK])
        )
        found |= {i: k for i, k in session.execute(stmt) if i is not None}
    return found
