"""Ownership rows: holdings upserted by (owned, owner) pair, the owners screened, and the
coverage last alerted per counterparty. No rule arithmetic here (that is pure, in bot)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, tuple_
from sqlalchemy.orm import Session
from sqlmodel import SQLModel, col

from storage.inserts import insert_many_new
from storage.models import (
    OwnershipHoldingRow,
    WatchlistRow,
)

CHUNK = 500
COUNTERPARTY_PREFIX = "cp:"
CHANGED_FIELDS = ("owned_ref", "owner_name", "owner_ref", "percent", "as_of", "source")


@dataclass(frozen=True, slots=True)
class HoldingCounts:
    added: int = 0
    changed: int = 0
    unchanged: int = 0


def counterparty_key(external_id: str) -> str:
    return COUNTERPARTY_PREFIX + external_id


def active_external_ids(session: Session, wanted: Iterable[str]) -> set[str]:
    """Which of `wanted` are external ids of active counterparties."""
    ordered = sorted(set(wanted))
    found: set[str] = set()
    for start in range(0, len(ordered), CHUNK):
        found |= set(
            session.scalars(
                select(col(WatchlistRow.external_id)).where(
                    col(WatchlistRow.external_id).in_(ordered[start : start + CHUNK]),
                    col(WatchlistRow.retired_at).is_(None),
                )
            )
        )
    return found


def upsert_holdings(
    session: Session, rows: Sequence[dict[str, Any]], *, now: datetime
) -> tuple[HoldingCounts, set[str]]:
    """Insert or update holdings by (owned_key, owner_key); returns the counts and the
    owned keys whose holdings changed."""
    pairs = [(r["owned_key"], r["owner_key"]) for r in rows]
    existing = {
        (h.owned_key, h.owner_key): h
        for h in session.scalars(
            select(OwnershipHoldingRow).where(
                tuple_(col(OwnershipHoldingRow.owned_key), col(OwnershipHoldingRow.owner_key)).in_(
                    pairs
                )
            )
        )
    }
    added = changed = unchanged = 0
    touched: set[str] = set()
    new_rows = []
    for row in rows:
        held = existing.get((row["owned_key"], row["owner_key"]))
        if held is None:
            new_rows.append({**row, "updated_at": now})
            touched.add(row["owned_key"])
            added += 1
            continue
        updates = {f: row[f] for f in CHANGED_FIELDS if getattr(held, f) != row[f]}
        if not updates:
            unchanged += 1
            continue
        for field, value in updates.items():
            setattr(held, field, value)
        held.updated_at = now
        touched.add(row["owned_key"])
        changed += 1
    insert_many_new(session, SQLModel.metadata.tables["ownership_holding"], new_rows)
    session.flush()
    return HoldingCounts(added=added, changed=changed, unchanged=unchanged), touched


def remove_holdings_except(session: Session, keep: set[tuple[str, str]]) -> set[str]:
    """Delete every holding whose pair is not in `keep` (`--replace`); the owned keys hit."""
    stmt = select(
        col(OwnershipHoldingRow.id),
        col(OwnershipHoldingRow.owned_key),
        col(OwnershipHoldingRow.owner_key),
    )
    gone = [(i, owned) for i, owned, owner in session.execute(stmt) if (owned, owner) not in keep]
    ids = [i for i, _ in gone]
    for start in range(0, len(ids), CHUNK):
        session.execute(
            delete(OwnershipHoldingRow).where(
                col(OwnershipHoldingRow.id).in_(ids[start : start + CHUNK])
            )
        )
    return {owned for _, owned in gone}


def totals_over(session: Session, owned_keys: Iterable[str], *, limit: float) -> dict[str, float]:
    """Owned parties among `owned_keys` whose recorded shares add up to more than `limit`."""
    ordered = sorted(set(owned_keys))
    found: dict[str, float] = {}
    for start in range(0, len(ordered), CHUNK):
        stmt = (
            select(col(OwnershipHoldingRow.owned_key), func.sum(OwnershipHoldingRow.percent))
            .where(col(OwnershipHoldingRow.owned_key).in_(ordered[start : start + CHUNK]))
            .group_by(col(OwnershipHoldingRow.owned_key))
        )
        found |= {k: float(t) for k, t in session.execute(stmt) if float(t) > limit + 1e-9}
    return found


def iter_holdings(session: Session, *, batch: int = 5000) -> Iterator[OwnershipHoldingRow]:
    """Every holding in (owned, owner) order, read in batches."""
    last = 0
    while True:
        rows = list(
            session.scalars(
                select(OwnershipHoldingRow)
                .where(col(OwnershipHoldingRow.id) > last)
                .order_by(col(OwnershipHoldingRow.id))
                .limit(batch)
            )
        )
        if not rows:
            return
        yield from rows
        last = rows[-1].id or last


def holding_edges(session: Session) -> list[tuple[str, str, float]]:
    """(owner key, owned key, percent) of every holding: what the arithmetic reads."""
    stmt = select(
        col(OwnershipHoldingRow.owner_key),
        col(OwnershipHoldingRow.owned_key),
        col(OwnershipHoldingRow.percent),
    )
    return [(owner, owned, float(p)) for owner, owned, p in session.execute(stmt)]


def holdings_version(session: Session) -> tuple[int, int, datetime | None, float]:
    """(row count, highest id, newest update, total percent): changes whenever any holding
    does (the total too, for two imports within one clock tick)."""
    count, top, newest, total = session.execute(
        select(
            func.count(),
            func.max(OwnershipHoldingRow.id),
            func.max(OwnershipHoldingRow.updated_at),
            func.sum(OwnershipHoldingRow.percent),
        )
    ).one()
    return int(count or 0), int(top or 0), newest, float(total or 0.0)


def counterparty_ids_by_key(session: Session, keys: Iterable[str]) -> dict[str, int]:
    """ "cp:<external id>" keys -> active watchlist row ids."""
    wanted = [k[len(COUNTERPARTY_PREFIX) :] for k in keys if k.startswith(COUNTERPARTY_PREFIX)]
    found: dict[str, int] = {}
    for start in range(0, len(wanted), CHUNK):
        # Retirement is checked here, not in SQL: with both conditions SQLite may walk the
        # retired_at index (every active row) instead of the unique external_id one.
        stmt = select(
            col(WatchlistRow.external_id), col(WatchlistRow.id), col(WatchlistRow.retired_at)
        ).where(col(WatchlistRow.external_id).in_(wanted[start : start + CHUNK]))
        found |= {
            counterparty_key(ext): i
            for ext, i, retired in session.execute(stmt)
            if i is not None and retired is None
        }
    return found


def active_watched(
    session: Session, *, batch: int = 10_000
) -> Iterator[tuple[int, str, str, str | None]]:
    """(id, external id, name, country) of every active counterparty, in id order: the
    columns evaluation needs, without loading whole rows (100,000 of them per export)."""
    last = 0
    while True:
        stmt = (
            select(
                col(WatchlistRow.id),
                col(WatchlistRow.external_id),
                col(WatchlistRow.name),
                col(WatchlistRow.country),
            )
            .where(col(WatchlistRow.retired_at).is_(None), col(WatchlistRow.id) > last)
            .order_by(col(WatchlistRow.id))
            .limit(batch)
        )
        rows = [(i or 0, e, n, c) for i, e, n, c in session.execute(stmt)]
        if not rows:
            return
        yield from rows
        last = rows[-1][0]


def watched_by_ids(session: Session, ids: Iterable[int]) -> list[tuple[int, str, str, str | None]]:
    """(id, external id, name, country) of these counterparties."""
    ordered = sorted(set(ids))
    found: list[tuple[int, str, str, str | None]] = []
    for start in range(0, len(ordered), CHUNK):
        stmt = select(
            col(WatchlistRow.id),
            col(WatchlistRow.external_id),
            col(WatchlistRow.name),
            col(WatchlistRow.country),
        ).where(col(WatchlistRow.id).in_(ordered[start : start + CHUNK]))
        found += [(i or 0, e, n, c) for i, e, n, c in session.execute(stmt)]
    return found


def adopt_holdings(session: Session, ids_by_key: dict[str, str], *, now: datetime) -> set[str]:
    """Holdings imported before their counterparty was watched name it by its id as if it
    were a holding company (`owned_key` = the name key of the id). Moved under the
    counterparty's "cp:" key; a node that also owns something stays as it is (it is a
    company in a chain, not this counterparty). Moved rows get new ids, so every
    process's cached graph sees a new `holdings_version`. Returns the "cp:" keys adopted."""
    if not ids_by_key:
        return set()
    keys = sorted(ids_by_key)
    rows = session.scalars(
        select(OwnershipHoldingRow).where(col(OwnershipHoldingRow.owned_key).in_(keys))
    ).all()
    owners = set(
        session.scalars(
            select(col(OwnershipHoldingRow.owner_key)).where(
                col(OwnershipHoldingRow.owner_key).in_(keys)
            )
        )
    )
    moving = [
        r for r in rows if r.owned_key not in owners and r.owned_ref == ids_by_key[r.owned_key]
    ]
    if not moving:
        return set()
    fields = ("owned_ref", "owner_key", "owner_name", "owner_ref", "percent", "as_of", "source")
    copies = [
        {f: getattr(r, f) for f in fields}
        | {
            "owned_key": counterparty_key(ids_by_key[r.owned_key]),
            "imported_by": r.imported_by,
            "updated_at": now,
        }
        for r in moving
    ]
    session.execute(
        delete(OwnershipHoldingRow).where(col(OwnershipHoldingRow.id).in_([r.id for r in moving]))
    )
    insert_many_new(session, SQLModel.metadata.tables["ownership_holding"], copies)
    session.flush()
    return {c["owned_key"] for c in copies}
