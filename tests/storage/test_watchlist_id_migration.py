"""Migration 0012 on a watchlist that holds name-derived ids of the old kind.

Before it, "Zeta Trading Ltd" and "Zeta Trading Ltd." had different derived ids, so
a file that spelled the name the other way added the party a second time. Tried: a
name whose old and new ids agree, its punctuated twin stored as a second row (merged:
the twin retired, the original keeps the id), an accented name alone (moved to the
new id, so the next import finds it), a retired twin of an active row, and an id the
company gave that merely looks derived (left alone).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import UTC, datetime

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from bot.services.monitoring.names import derived_id
from storage.engine import create_db_engine
from storage.migrate import upgrade
from storage.models import WatchlistRow

THEN = datetime(2026, 6, 1, tzinfo=UTC)


def old_derived_id(name: str) -> str:
    """The id the code derived before revision 0012."""
    folded = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", name).casefold()).strip()
    return "name:" + hashlib.sha256(folded.encode()).hexdigest()[:16]


def row(external_id: str, name: str, *, retired: bool = False) -> dict[str, object]:
    return {
        "external_id": external_id,
        "name": name,
        "added_by": "cli:test",
        "added_at": THEN,
        "updated_at": THEN,
        "retired_at": THEN if retired else None,
    }


def test_old_derived_ids_are_rederived_and_twins_merged(db_url: str) -> None:
    engine = create_db_engine(db_url)
    upgrade(engine, "0007")
    rows = [
        row(old_derived_id("Zeta Trading Ltd"), "Zeta Trading Ltd"),
        row(old_derived_id("Zeta Trading Ltd."), "Zeta Trading Ltd."),
        row(old_derived_id("Société Brûlée S.A."), "Société Brûlée S.A."),
        row(old_derived_id("Orrin Mills"), "Orrin Mills", retired=True),
        row(old_derived_id("ORRIN MILLS."), "ORRIN MILLS."),
        row("name:0123456789abcdef", "Given Id Holdings"),
    ]
    with engine.begin() as connection:
        connection.execute(insert(WatchlistRow.__table__), rows)  # type: ignore[arg-type]
    upgrade(engine)
    with Session(engine) as session:
        found = [
            (r.external_id, r.name, r.retired_at is None)
            for r in session.scalars(select(WatchlistRow).order_by(WatchlistRow.id))
        ]
    engine.dispose()
    zeta = derived_id("Zeta Trading Ltd")
    assert zeta == derived_id("Zeta Trading Ltd.") == old_derived_id("Zeta Trading Ltd")
    assert found == [
        (zeta, "Zeta Trading Ltd", True),
        (old_derived_id("Zeta Trading Ltd."), "Zeta Trading Ltd.", False),
        (derived_id("Societe Brulee SA"), "Société Brûlée S.A.", True),
        # The retired twin gives the shared id to the active one, which keeps watching.
        (f"{derived_id('Orrin Mills')}~4", "Orrin Mills", False),
        (derived_id("Orrin Mills"), "ORRIN MILLS.", True),
        ("name:0123456789abcdef", "Given Id Holdings", True),
    ]
