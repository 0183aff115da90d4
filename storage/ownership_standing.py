"""The coverage last recorded (and alerted) per counterparty, and the hits that carry
the decisions of crossing alerts."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlmodel import SQLModel, col

from storage.inserts import insert_many_new
from storage.models import (
    OwnershipStandingRow,
    WatchHitRow,
)

CHUNK = 500


def standings(session: Session, counterparty_ids: Iterable[int]) -> dict[int, OwnershipStandingRow]:
    ordered = sorted(set(counterparty_ids))
    found: dict[int, OwnershipStandingRow] = {}
    for start in range(0, len(ordered), CHUNK):
        stmt = select(OwnershipStandingRow).where(
            col(OwnershipStandingRow.counterparty_id).in_(ordered[start : start + CHUNK])
        )
        found |= {r.counterparty_id: r for r in session.scalars(stmt)}
    return found


@dataclass(frozen=True, slots=True)
class Standing:
    counterparty_id: int
    listed: float
    possible: float
    covered: bool


def save_standings(
    session: Session,
    found: Sequence[Standing],
    *,
    stored: Mapping[int, OwnershipStandingRow],
    now: datetime,
) -> None:
    """Record counterparties' coverage: into their stored rows (`stored`, loaded by
    `standings`), and new rows in one executemany (a listing may reach thousands)."""
    new_rows = []
    for s in found:
        row = stored.get(s.counterparty_id)
        if row is None:
            new_rows.append(
                {
                    "counterparty_id": s.counterparty_id,
                    "listed_share": s.listed,
                    "possible_share": s.possible,
                    "covered": s.covered,
                    "updated_at": now,
                }
            )
        elif (row.listed_share, row.possible_share, row.covered) != (
            s.listed,
            s.possible,
            s.covered,
        ):
            row.listed_share, row.possible_share, row.covered = s.listed, s.possible, s.covered
            row.updated_at = now
    insert_many_new(session, SQLModel.metadata.tables["ownership_standing"], new_rows)


def covered_count(session: Session) -> int:
    """Counterparties whose last recorded listed share is 50 % or more."""
    stmt = (
        select(func.count())
        .select_from(OwnershipStandingRow)
        .where(col(OwnershipStandingRow.covered).is_(True))
    )
    return int(session.scalar(stmt) or 0)


def hit_ids(session: Session, keys: Mapping[str, int]) -> dict[int, int]:
    """Alert key -> counterparty id in, counterparty id -> the hit's id out."""
    ordered = sorted(keys)
    found: dict[int, int] = {}
    for start in range(0, len(ordered), CHUNK):
        stmt = select(col(WatchHitRow.alert_key), col(WatchHitRow.id)).where(
            col(WatchHitRow.alert_key).in_(ordered[start : start + CHUNK])
        )
        found |= {keys[k]: i for k, i in session.execute(stmt) if i is not None}
    return found
