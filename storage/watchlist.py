"""The counterparty watchlist: idempotent upserts by external id, retiring, listing.

Rows are never deleted: a counterparty that leaves the watchlist is retired
(`retired_at`), so its hits and decisions keep pointing at it. A row whose name,
country or address changes is marked unscreened (`screened_at` = NULL) and the
monitoring step screens it against every list again.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session
from sqlmodel import col

from storage.models import WatchlistRow


@dataclass(frozen=True, slots=True)
class Counterparty:
    """One counterparty as a file or a Slack command describes it."""

    external_id: str
    name: str
    country: str | None = None
    address: str | None = None
    tag: str | None = None


@dataclass(frozen=True, slots=True)
class UpsertCounts:
    added: int = 0
    changed: int = 0
    unchanged: int = 0


OPTIONAL_FIELDS = ("country", "address", "tag")
SCREENED_FIELDS = ("name", "country", "address")


def _updates(row: WatchlistRow, party: Counterparty, given: frozenset[str]) -> dict[str, object]:
    """The fields `party` changes; a field the source does not carry (a CSV without that
    column, a Slack command) keeps its stored value."""
    wanted: dict[str, object] = {"name": party.name}
    wanted |= {f: getattr(party, f) for f in OPTIONAL_FIELDS if f in given}
    return {f: v for f, v in wanted.items() if getattr(row, f) != v}


def upsert_counterparties(
    session: Session,
    parties: Sequence[Counterparty],
    *,
    added_by: str,
    now: datetime,
    given: frozenset[str] = frozenset(OPTIONAL_FIELDS),
) -> UpsertCounts:
    """Insert new external ids, update changed ones (and bring back retired ones).

    `given` names the optional fields the source carries; the others are left alone."""
    ids = [p.external_id for p in parties]
    existing = {
        r.external_id: r
        for r in session.scalars(select(WatchlistRow).where(col(WatchlistRow.external_id).in_(ids)))
    }
    added = changed = unchanged = 0
    new_rows: list[dict[str, object]] = []
    revised: list[int] = []
    for party in parties:
        row = existing.get(party.external_id)
        if row is None:
            new_rows.append(
                {
                    "external_id": party.external_id,
                    "name": party.name,
                    "country": party.country,
                    "address": party.address,
                    "tag": party.tag,
                    "added_by": added_by,
                    "added_at": now,
                    "updated_at": now,
                }
            )
            added += 1
            continue
        updates = _updates(row, party, given)
        if not updates and row.retired_at is None:
            unchanged += 1
            continue
        for field, value in updates.items():
            setattr(row, field, value)
        if row.retired_at is not None or any(f in updates for f in SCREENED_FIELDS):
            row.screened_at = None
        row.retired_at = None
        row.updated_at = now
        if row.id is not None:
            revised.append(row.id)
        changed += 1
    if new_rows:
        # Core executemany: an import adds rows by the hundred thousand.
        session.execute(insert(WatchlistRow), new_rows)
    session.flush()
    _bump_revisions(session, revised)
    return UpsertCounts(added=added, changed=changed, unchanged=unchanged)


def _bump_revisions(session: Session, row_ids: list[int]) -> None:
    # In SQL, not read-modify-write: two writers of one row each add one.
    for start in range(0, len(row_ids), 1000):
        session.execute(
            update(WatchlistRow)
            .where(col(WatchlistRow.id).in_(row_ids[start : start + 1000]))
            .values(revision=col(WatchlistRow.revision) + 1)
            .execution_options(synchronize_session=False)
        )


def active_ids_missing(session: Session, present: set[str]) -> list[int]:
    """Active rows whose external id is not in `present` (what `--replace` retires)."""
    stmt = select(col(WatchlistRow.id), col(WatchlistRow.external_id)).where(
        col(WatchlistRow.retired_at).is_(None)
    )
    return [
        row_id for row_id, ext in session.execute(stmt) if row_id is not None and ext not in present
    ]


def retire(session: Session, row_ids: Iterable[int], *, now: datetime) -> int:
    ids = list(row_ids)
    for start in range(0, len(ids), 1000):
        session.execute(
            update(WatchlistRow)
            .where(col(WatchlistRow.id).in_(ids[start : start + 1000]))
            .values(retired_at=now, updated_at=now, revision=col(WatchlistRow.revision) + 1)
        )
    return len(ids)


def find_active(session: Session, id_or_name: str) -> list[WatchlistRow]:
    """Active rows with this external id, else with this name (case-insensitive)."""
    active = col(WatchlistRow.retired_at).is_(None)
    by_id = list(
        session.scalars(
            select(WatchlistRow).where(active, col(WatchlistRow.external_id) == id_or_name)
        )
    )
    if by_id:
        return by_id
    stmt = select(WatchlistRow).where(
        active, func.lower(col(WatchlistRow.name)) == id_or_name.lower()
    )
    return list(session.scalars(stmt))


def iter_active(session: Session, *, batch: int = 2000) -> Iterator[WatchlistRow]:
    """Every active counterparty in id order, read in batches (exports of any size)."""
    last = 0
    while True:
        rows = list(
            session.scalars(
                select(WatchlistRow)
                .where(col(WatchlistRow.retired_at).is_(None), col(WatchlistRow.id) > last)
                .order_by(col(WatchlistRow.id))
                .limit(batch)
            )
        )
        if not rows:
            return
        yield from rows
        assert rows[-1].id is not None
        last = rows[-1].id


def count_active(session: Session) -> int:
    stmt = select(func.count()).where(col(WatchlistRow.retired_at).is_(None))
    return int(session.scalar(stmt.select_from(WatchlistRow)) or 0)


def unscreened(session: Session, *, limit: int) -> list[WatchlistRow]:
    stmt = (
        select(WatchlistRow)
        .where(col(WatchlistRow.retired_at).is_(None), col(WatchlistRow.screened_at).is_(None))
        .order_by(col(WatchlistRow.id))
        .limit(limit)
    )
    return list(session.scalars(stmt))


def mark_screened(session: Session, row_ids: Sequence[int], *, now: datetime) -> None:
    for start in range(0, len(row_ids), 1000):
        session.execute(
            update(WatchlistRow)
            .where(col(WatchlistRow.id).in_(row_ids[start : start + 1000]))
            .values(screened_at=now)
            # Tens of thousands of rows may sit in the session; none needs refreshing.
            .execution_options(synchronize_session=False)
        )


def watchlist_version(session: Session) -> tuple[int, int]:
    """(row count, sum of row revisions): grows with every committed insert (rows are never
    deleted) and every change the index sees (each bumps its row's revision). Neither
    clocks nor commit order matter, unlike a newest `updated_at` or a highest id."""
    count, revisions = session.execute(
        select(func.count(), func.coalesce(func.sum(WatchlistRow.revision), 0))
    ).one()
    return int(count or 0), int(revisions or 0)


def active_parties(session: Session) -> list[tuple[int, str, str | None, str | None]]:
    """(id, name, country, address) of every active counterparty."""
    stmt = select(
        col(WatchlistRow.id),
        col(WatchlistRow.name),
        col(WatchlistRow.country),
        col(WatchlistRow.address),
    ).where(col(WatchlistRow.retired_at).is_(None))
    return [
        (row_id or 0, name, country, address)
        for row_id, name, country, address in session.execute(stmt)
    ]


def counterparties_by_id(session: Session, row_ids: Iterable[int]) -> dict[int, WatchlistRow]:
    """The rows (active or retired) with these ids, by id."""
    stmt = select(WatchlistRow).where(col(WatchlistRow.id).in_(set(row_ids)))
    return {r.id: r for r in session.scalars(stmt) if r.id is not None}


def mark_all_unscreened(session: Session) -> int:
    """Have every active counterparty screened again (a list entitywatch did not carry
    before has arrived); returns how many. Screening again raises only new pairs."""
    result = session.execute(
        update(WatchlistRow)
        .where(col(WatchlistRow.retired_at).is_(None), col(WatchlistRow.screened_at).is_not(None))
        .values(screened_at=None)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)
