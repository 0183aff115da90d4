"""Migration 0010 on a database monitoring has read part of: the changes at or below the
old cursor are read, the ones above it are not; every stored change counts as reported
by a digest; every stored hit counts as alerted; watchlist rows start at revision 0."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime, column, insert, select, table
from sqlalchemy.orm import Session

from storage.engine import create_db_engine
from storage.migrate import upgrade
from storage.models import ChangeRow, WatchHitRow, WatchlistRow

DETECTED = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def test_changes_below_the_old_cursor_count_as_read(db_url: str) -> None:
    engine = create_db_engine(db_url)
    upgrade(engine, "0009")
    # The tables as revision 0009 has them (the models already have the new columns).
    change = table(
        "change",
        *(column(name) for name in ("id", "dedupe_key", "source", "kind")),
        column("detected_at", DateTime(timezone=True)),
    )
    cursor = table(
        "watch_cursor",
        column("name"),
        column("last_change_id"),
        column("updated_at", DateTime(timezone=True)),
    )
    watchlist = table(
        "watchlist",
        *(column(name) for name in ("external_id", "name", "added_by")),
        column("added_at", DateTime(timezone=True)),
        column("updated_at", DateTime(timezone=True)),
    )
    hit = table(
        "watch_hit",
        *(
            column(name)
            for name in (
                "alert_key", "counterparty_id", "entry_key", "list_code", "entry_name",
                "matched_name", "score", "band", "why", "content_digest", "origin",
            )
        ),
        column("detected_at", DateTime(timezone=True)),
    )  # fmt: skip
    with engine.begin() as connection:
        for n in range(1, 6):
            connection.execute(
                insert(change).values(
                    id=n, dedupe_key=f"k{n}", source="csl", kind="added", detected_at=DETECTED
                )
            )
        connection.execute(
            insert(cursor).values(name="list_changes", last_change_id=3, updated_at=DETECTED)
        )
        connection.execute(
            insert(watchlist).values(
                external_id="c1", name="Acme", added_by="t", added_at=DETECTED, updated_at=DETECTED
            )
        )
        party: int = connection.execute(select(column("id")).select_from(watchlist)).scalar_one()
        connection.execute(
            insert(hit).values(
                alert_key="a1", counterparty_id=party, entry_key="el:acme", list_code="EL",
                entry_name="Acme", matched_name="Acme", score=1.0, band="match", why="w",
                content_digest="d", origin="list_change", detected_at=DETECTED,
            )
        )  # fmt: skip
    upgrade(engine)
    with Session(engine) as session:
        rows = list(session.scalars(select(ChangeRow).order_by(ChangeRow.id)))  # type: ignore[arg-type]
        assert [r.watch_read for r in rows] == [True, True, True, False, False]
        assert all(r.digested for r in rows)
        assert [r.revision for r in session.scalars(select(WatchlistRow))] == [0]
        assert [h.alert_planned for h in session.scalars(select(WatchHitRow))] == [True]
    engine.dispose()
