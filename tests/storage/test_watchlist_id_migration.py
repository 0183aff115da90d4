"""Migration 0009 on a watchlist that holds name-derived ids of the old kind.

Before it, "Zeta Trading Ltd" and "Zeta Trading Ltd." had different derived ids, so
a file that spelled the name the other way added the party a second time. Tried: a
name whose old and new ids agree, its punctuated twin stored as a second row (merged:
the twin retired, the original keeps the id), an accented name alone (moved to the
new id, so the next import finds it), a retired twin of an active row, and an id the
company gave that merely looks derived (left alone); a row that kept its derived id
while its name changed, holding the id its twins' group would move to (the group is
left alone: no UNIQUE failure, nothing merged on a guess); a downgrade to 0008 and a
second upgrade, with a row the old code added meanwhile (nothing moves twice; the new
row joins the party that holds the id and is retired as its twin).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import UTC, datetime

import pytest
from alembic import command
from sqlalchemy import Engine, MetaData, Table, insert, select

from bot.services.monitoring.names import derived_id
from storage.engine import create_db_engine
from storage.migrate import alembic_config, upgrade
from storage.models import WatchlistRow

THEN = datetime(2026, 6, 1, tzinfo=UTC)


def old_derived_id(name: str) -> str:
    """The id the code derived before revision 0009."""
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


def watchlist_as_stored(engine: Engine) -> Table:
    """The table as the database has it at this revision: the model may have columns that
    later migrations add."""
    return Table(WatchlistRow.__tablename__, MetaData(), autoload_with=engine)


def stored(engine: Engine) -> list[tuple[str, str, bool]]:
    table = watchlist_as_stored(engine)
    with engine.connect() as connection:
        return [
            (r.external_id, r.name, r.retired_at is None)
            for r in connection.execute(select(table).order_by(table.c.id))
        ]


def insert_rows(engine: Engine, rows: list[dict[str, object]]) -> None:
    with engine.begin() as connection:
        connection.execute(insert(watchlist_as_stored(engine)), rows)


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
    insert_rows(engine, rows)
    upgrade(engine)
    found = stored(engine)
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


def test_a_renamed_row_holding_the_new_id_leaves_the_group_alone(
    db_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    engine = create_db_engine(db_url)
    upgrade(engine, "0007")
    rows = [
        # Added as "Brannock Ltd", renamed since: it keeps the id derived from the old name.
        row(old_derived_id("Brannock Ltd"), "Brannock Limited"),
        row(old_derived_id("Brannock Ltd."), "Brannock Ltd."),
        row(old_derived_id("Brannock, Ltd"), "Brannock, Ltd"),
    ]
    insert_rows(engine, rows)
    assert derived_id("Brannock Ltd.") == old_derived_id("Brannock Ltd")
    with caplog.at_level("WARNING"):
        upgrade(engine)
    found = stored(engine)
    engine.dispose()
    assert found == [(r["external_id"], r["name"], True) for r in rows]
    assert "watchlist.id_not_rederived rows=2,3" in caplog.text


def test_upgrade_after_a_downgrade_moves_nothing_twice(db_url: str) -> None:
    engine = create_db_engine(db_url)
    upgrade(engine, "0007")
    korvel = derived_id("Korvel Shipping Co")
    insert_rows(
        engine,
        [
            row(old_derived_id("Korvel Shipping Co."), "Korvel Shipping Co."),
            row(old_derived_id("Korvel Shipping Co,"), "Korvel Shipping Co,"),
            row(old_derived_id("Pellam Mills"), "Pellam Mills", retired=True),
            row(old_derived_id("PELLAM MILLS."), "PELLAM MILLS."),
        ],
    )
    upgrade(engine)
    first = stored(engine)
    assert first == [
        (korvel, "Korvel Shipping Co.", True),
        (old_derived_id("Korvel Shipping Co,"), "Korvel Shipping Co,", False),
        (f"{derived_id('Pellam Mills')}~3", "Pellam Mills", False),
        (derived_id("Pellam Mills"), "PELLAM MILLS.", True),
    ]
    command.downgrade(alembic_config(engine), "0008")
    # The previous code, running meanwhile, adds the party once more under its own id.
    insert_rows(engine, [row(old_derived_id("KORVEL SHIPPING CO!"), "KORVEL SHIPPING CO!")])
    upgrade(engine)
    found = stored(engine)
    engine.dispose()
    assert found[:4] == first
    assert found[4] == (old_derived_id("KORVEL SHIPPING CO!"), "KORVEL SHIPPING CO!", False)
