"""Hits as plain rows for the terminal: the undecided ones (`/watch hits`), and the
confirmed matches that wait for `resolve` (the App Home's list)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from storage.models import WatchDecisionRow, WatchHitRow, WatchlistRow
from storage.watch_hits import confirmed_hits, count_open_hits, open_hits
from storage.watchlist import counterparties_by_id


@dataclass(frozen=True, slots=True)
class HitRow:
    hit_id: int
    counterparty: str
    external_id: str
    listed_name: str  # the listed name or alias that matched
    entry_name: str
    list_code: str
    band: str
    score: float
    why: str
    detected_at: datetime
    document_number: str | None
    # "undecided", or "confirmed by U0123 on 2026-11-30"
    status: str


@dataclass(frozen=True, slots=True)
class HitListing:
    rows: tuple[HitRow, ...]
    total: int  # how many there are; `rows` holds the newest of them


def undecided_hits(engine: Engine, *, limit: int) -> HitListing:
    """The hits nobody has decided on whose entry is still listed, newest first."""
    with Session(engine) as session:
        hits = open_hits(session, limit=limit)
        parties = counterparties_by_id(session, {h.counterparty_id for h in hits})
        rows = tuple(_row(h, parties[h.counterparty_id], None) for h in hits)
        return HitListing(rows=rows, total=count_open_hits(session))


def confirmed_matches(engine: Engine, *, limit: int) -> HitListing:
    """Confirmed matches not resolved yet, newest decision first."""
    with Session(engine) as session:
        found = confirmed_hits(session)
    rows = tuple(_row(hit, party, decision) for hit, party, decision in found[:limit])
    return HitListing(rows=rows, total=len(found))


def _row(hit: WatchHitRow, party: WatchlistRow, decision: WatchDecisionRow | None) -> HitRow:
    assert hit.id is not None
    status = "undecided"
    if decision is not None:
        status = f"confirmed by {decision.decided_by} on {decision.decided_at.date().isoformat()}"
    return HitRow(
        hit_id=hit.id,
        counterparty=party.name,
        external_id=party.external_id,
        listed_name=hit.matched_name,
        entry_name=hit.entry_name,
        list_code=hit.list_code,
        band=hit.band,
        score=hit.score,
        why=hit.why,
        detected_at=hit.detected_at,
        document_number=hit.document_number,
        status=status,
    )
