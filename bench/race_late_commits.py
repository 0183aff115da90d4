"""The race of issue 23.1: a list import still running while the leader's polls commit.

Run: `.venv/bin/python -m bench.race_late_commits [--rounds N]` (needs PostgreSQL; not
part of `python -m bench`). Each round, a long "import" transaction inserts the listing
of one watched party (taking the lower change id) and stays open while a "poll" commits
the listing of another watched party plus a few unrelated changes, and monitoring runs
in between and after (as the leader's delivery rounds do). Expected: every watched
party listed gets its hit. Printed: hits / expected for the shipped monitoring (changes
flagged read), and for a baseline in the same run, a reader that advances a cursor to
the highest id it saw (what monitoring did before), fed the same commits.
"""

from __future__ import annotations

import argparse
import io
import threading
import time
from datetime import UTC, datetime

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session
from sqlmodel import col

from bench.common import postgres_schema
from bot.routing import Routing
from bot.services.monitoring.csv_rows import Columns
from bot.services.monitoring.importer import import_watchlist
from bot.services.monitoring.service import MonitoringService
from bot.services.screening import ScreeningService
from bot.slack.blocks.monitoring import BlockKitHitMessages
from screening import Thresholds
from storage.changes import change_dedupe_key, record_event
from storage.engine import create_db_engine
from storage.migrate import upgrade
from storage.models import ChangeRow, WatchHitRow, WatchlistRow

NOW = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)
UNRELATED = 3
WORDS = ("Boreal", "Quill", "Ostrander", "Lumen", "Falkirk", "Tamsin", "Corvid", "Halden")


def party(round_no: int, side: str) -> str:
    first = WORDS[round_no % len(WORDS)]
    second = WORDS[(round_no // len(WORDS) + (3 if side == "import" else 5)) % len(WORDS)]
    return f"{first} {second} Precision {side.title()} Works {round_no:03d} GmbH"


def listing(session: Session, name: str, key: str) -> None:
    record_event(
        session,
        dedupe_key=change_dedupe_key("race", key),
        source="csl",
        kind="added",
        now=NOW,
        summary=f"added {name}",
        list_code="EL",
        entry_key=key,
        entry_name=name,
        after={"name": name, "aliases": [], "addresses": [], "countries": ["DE"]},
    )


class CursorReader:
    """The old way: read ids above a cursor, then move it to the highest id seen."""

    def __init__(self) -> None:
        self.cursor = 0
        self.seen: set[int] = set()

    def read(self, engine: Engine) -> None:
        with Session(engine) as session:
            ids = list(
                session.scalars(select(col(ChangeRow.id)).where(col(ChangeRow.id) > self.cursor))
            )
        if ids:
            self.seen.update(ids)
            self.cursor = max(ids)


def run(engine: Engine, rounds: int) -> tuple[int, int, int]:
    names = [party(r, side) for r in range(rounds) for side in ("import", "poll")]
    csv_text = "id,name\n" + "".join(f"W{n},{name}\n" for n, name in enumerate(names))
    import_watchlist(
        engine,
        io.BytesIO(csv_text.encode()),
        columns=Columns(name="name", id="id"),
        added_by="bench",
        now=NOW,
    )
    thresholds = Thresholds()
    service = MonitoringService(
        engine=engine,
        screening=ScreeningService(engine=engine, thresholds=thresholds),
        routing=Routing(default_channel=None),
        thresholds=thresholds,
        messages=BlockKitHitMessages(),
        watchlist_channel="C0WATCH",
        clock=lambda: NOW,
    )
    cursor = CursorReader()
    for r in range(rounds):
        slow = Session(engine)
        slow.begin()
        listing(slow, party(r, "import"), f"imp:{r}")
        slow.flush()  # the id is taken now; the row is seen when `slow` commits
        poll = threading.Thread(target=_poll, args=(engine, r))
        poll.start()
        poll.join()
        service.process_changes()
        cursor.read(engine)
        slow.commit()
        slow.close()
        service.process_changes()
        cursor.read(engine)
    with Session(engine) as session:
        own = (
            select(func.count(func.distinct(col(WatchHitRow.counterparty_id))))
            .join(WatchlistRow, col(WatchlistRow.id) == col(WatchHitRow.counterparty_id))
            .where(col(WatchHitRow.entry_name) == col(WatchlistRow.name))
        )
        hit = int(session.scalar(own) or 0)
        watched = set(
            session.scalars(
                select(col(ChangeRow.id)).where(~col(ChangeRow.entry_key).like("other:%"))
            )
        )
    return len(watched), hit, len(watched & cursor.seen)


def _poll(engine: Engine, round_no: int) -> None:
    with Session(engine) as session, session.begin():
        listing(session, party(round_no, "poll"), f"poll:{round_no}")
        for n in range(UNRELATED):
            listing(session, f"Unrelated Listed Party {round_no}-{n}", f"other:{round_no}:{n}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    with postgres_schema() as url:
        if url is None:
            raise SystemExit("needs PostgreSQL")
        engine = create_db_engine(url)
        upgrade(engine)
        started = time.perf_counter()
        try:
            expected, hits, cursor_saw = run(engine, args.rounds)
        finally:
            engine.dispose()
    took = time.perf_counter() - started
    print(f"rounds: {args.rounds} (one late-committing import and one poll each), {took:.1f} s")
    print(f"monitoring (changes flagged read):   watched parties hit {hits} / {expected}")
    # The cursor reader screens nothing: a listing it never reads is a party never hit.
    print(f"baseline (cursor to the highest id): watched listings read {cursor_saw} / {expected}")


if __name__ == "__main__":
    main()
