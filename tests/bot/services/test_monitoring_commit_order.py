"""Changes committed out of id order are still screened against the watchlist (issue 23.1).

On PostgreSQL a change row takes its id when it is inserted and becomes visible when
its transaction commits. Here one connection inserts a listed party and holds its
transaction open while another inserts and commits a second one (a CSL import still
running while a press poll commits); monitoring runs in between, then the first
commits. Both watched parties must get their hit, once. On SQLite writers take turns,
so the same scenario runs in order there.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from bot.routing import Routing
from bot.services.monitoring.csv_rows import Columns
from bot.services.monitoring.importer import import_watchlist
from bot.services.monitoring.service import MonitoringService
from bot.services.screening import ScreeningService
from bot.slack.blocks.monitoring import BlockKitHitMessages
from screening import Thresholds
from storage.changes import change_dedupe_key, record_event
from storage.models import WatchHitRow

NOW = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)
WATCHLIST = "id,name,country\nc1,Boreal Lumen Photonics Ltd,CN\nc2,Quillfeather Avionics GmbH,DE\n"


def record_listing(session: Session, name: str, key: str) -> None:
    record_event(
        session,
        dedupe_key=change_dedupe_key("test", key),
        source="csl",
        kind="added",
        now=NOW,
        summary=f"added {name}",
        list_code="EL",
        entry_key=key,
        entry_name=name,
        after={"name": name, "aliases": [], "addresses": [], "countries": ["CN"]},
    )


def monitoring_service(engine: Engine) -> MonitoringService:
    """Hits go to a watchlist channel; no routes, so changes need no planning first."""
    thresholds = Thresholds()
    return MonitoringService(
        engine=engine,
        screening=ScreeningService(engine=engine, thresholds=thresholds),
        routing=Routing(default_channel=None),
        thresholds=thresholds,
        messages=BlockKitHitMessages(),
        watchlist_channel="C0WATCH",
        clock=lambda: NOW,
    )


def hits(engine: Engine) -> list[int]:
    with Session(engine) as session:
        stmt = select(WatchHitRow.counterparty_id, func.count()).group_by(
            WatchHitRow.counterparty_id
        )
        return sorted(n for _, n in session.execute(stmt))


@pytest.mark.postgres
def test_a_change_committed_after_a_later_one_is_still_screened(postgres_url: str) -> None:
    from storage.engine import create_db_engine
    from storage.migrate import upgrade

    engine = create_db_engine(postgres_url)
    upgrade(engine)
    try:
        import_watchlist(
            engine,
            io.BytesIO(WATCHLIST.encode()),
            columns=Columns(name="name", id="id", country="country"),
            added_by="test",
            now=NOW,
        )
        service = monitoring_service(engine)
        slow = Session(engine)
        slow.begin()
        # Takes the lower id, and stays invisible until it commits.
        record_listing(slow, "Boreal Lumen Photonics Ltd", "el:boreal")
        with Session(engine) as fast, fast.begin():
            record_listing(fast, "Quillfeather Avionics GmbH", "el:quill")
        assert service.process_changes() == (1, 1)
        slow.commit()
        slow.close()
        assert service.process_changes() == (1, 1)
        assert service.process_changes() == (0, 0)
        assert hits(engine) == [1, 1]
    finally:
        engine.dispose()
