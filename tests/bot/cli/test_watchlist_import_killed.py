"""`watchlist import --replace` killed after its commit, before its screening (issue 23.3).

A real `entitywatch watchlist import` process on PostgreSQL, with the CSL loaded. A
second connection holds the hit table locked, so the import commits its rows and then
waits inside its screening; the test kills it there (SIGKILL). The rows are active and
unscreened, and nothing was alerted. The leader's next round must screen them and
deliver their hits, once.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from storage.engine import create_db_engine
from storage.migrate import upgrade
from storage.models import WatchHitRow, WatchlistRow
from tests.bot.cli.test_cli_process import clean_env
from tests.bot.services.alerts.test_delivery import Clock, run_sources
from tests.bot.services.test_monitoring import (
    WATCH_CHANNEL,
    clock,
    counterparty_posts,
    deliver,
    monitoring,
)
from tests.fakes.slack_api import FakeSlackApi
from tests.watchers.recorded import RecordedSites

__all__ = ["clock"]  # a fixture shared with the module it comes from

WATCHLIST = "id,name,country\nC-32,32 Group China Limited,HK\nC-77,Harbourline Textile Traders,GB\n"
WAITING_FOR_LOCK = text(
    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
    "AND pid <> pg_backend_pid()"
)


def counts(engine: Engine) -> tuple[int, int, int]:
    """(active counterparties, of which unscreened, hits)."""
    active = WatchlistRow.retired_at.is_(None)  # type: ignore[union-attr]
    with Session(engine) as session:
        rows = session.scalar(select(func.count()).select_from(WatchlistRow).where(active))
        unscreened = session.scalar(
            select(func.count())
            .select_from(WatchlistRow)
            .where(active, WatchlistRow.screened_at.is_(None))  # type: ignore[union-attr]
        )
        hits = session.scalar(select(func.count()).select_from(WatchHitRow))
    return int(rows or 0), int(unscreened or 0), int(hits or 0)


@pytest.mark.postgres
def test_an_import_killed_after_its_commit_is_screened_and_alerted_by_the_leader(
    postgres_url: str,
    sites: RecordedSites,
    slack_api: FakeSlackApi,
    clock: Clock,
    tmp_path: Path,
) -> None:
    engine = create_db_engine(postgres_url)
    upgrade(engine)
    try:
        run_sources(engine, sites, "csl")
        path = tmp_path / "watchlist.csv"
        path.write_text(WATCHLIST, encoding="utf-8")
        env = clean_env(tmp_path, DATABASE_URL=postgres_url, PYTHONUNBUFFERED="1")
        with engine.connect() as blocker:
            blocker.execute(text("LOCK TABLE watch_hit IN EXCLUSIVE MODE"))
            process = subprocess.Popen(
                [sys.executable, "-m", "bot", "watchlist", "import", str(path),
                 "--name-column", "name", "--id-column", "id", "--country-column", "country",
                 "--replace"],
                env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                text=True,
            )  # fmt: skip
            try:
                assert process.stdout is not None
                committed = process.stdout.readline() + process.stdout.readline()
                assert "watchlist: 2 added" in committed, committed
                deadline = time.monotonic() + 60
                with engine.connect() as watcher:
                    while watcher.execute(WAITING_FOR_LOCK).scalar() == 0:
                        assert time.monotonic() < deadline, "the import never screened"
                        watcher.rollback()
                        time.sleep(0.05)
                process.send_signal(signal.SIGKILL)  # inside the screening, after the commit
                process.wait(timeout=30)
            finally:
                if process.poll() is None:
                    process.kill()
                process.wait()
                if process.stdout is not None:
                    process.stdout.close()
            blocker.rollback()
        assert counts(engine) == (2, 2, 0)
        deliver(engine, monitoring(engine, clock, channel=WATCH_CHANNEL), slack_api, clock)
        assert counts(engine) == (2, 0, 1)
        (hit,) = counterparty_posts(slack_api, WATCH_CHANNEL)
        assert "32 Group China Limited" in str(hit["text"])
        deliver(engine, monitoring(engine, clock, channel=WATCH_CHANNEL), slack_api, clock)
        assert len(counterparty_posts(slack_api, WATCH_CHANNEL)) == 1
    finally:
        engine.dispose()
