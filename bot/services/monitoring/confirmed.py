"""Confirmed counterparty matches that are not resolved yet, as plain lines (App Home, digest).

Each line names its hit number, the handle for `/watch resolve <hit number> <how>`."""

from __future__ import annotations

from sqlalchemy.orm import Session

from reference.lists import list_name
from storage.watch_hits import confirmed_hits

SHOWN = 20


def confirmed_lines(session: Session, *, limit: int = SHOWN) -> tuple[str, ...]:
    """One plain-text line per standing confirmed match, newest decision first."""
    lines: list[str] = []
    rows = confirmed_hits(session)
    for hit, party, decision in rows[:limit]:
        delisted = (
            f"; no longer listed since {hit.delisted_at.date().isoformat()}"
            if hit.delisted_at
            else ""
        )
        lines.append(
            f"hit #{hit.id}: {party.name} (id {party.external_id}) is {hit.entry_name} "
            f"({list_name(hit.list_code)}), confirmed by {decision.decided_by} on "
            f"{decision.decided_at.date().isoformat()}{delisted}"
        )
    if len(rows) > limit:
        lines.append(f"…and {len(rows) - limit} more")
    return tuple(lines)
