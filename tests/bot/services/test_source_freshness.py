"""A stale press source in the App Home and the digest (issue 18, item 6).

A real poll of a recorded feed (local server, real SQL on SQLite and PostgreSQL) stores
the date of the newest item it showed; the App Home and the digest then call the source
stale, with that date, once it is older than SOURCE_STALE_AFTER_DAYS, and say nothing of
staleness while it is not. A 304 keeps the date; a failed poll does not touch it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bot.services.digest.data import collect_digest
from bot.services.lists_status import UNCHECKED
from bot.slack.blocks.digest import digest_text
from bot.slack.home import build_home_view
from storage.source_state import load_source_state
from tests.fakes.source_replies import server_error
from tests.fakes.source_server import SourceServer
from tests.watchers.recorded import FEED, RecordedSites
from watchers.freshness import freshness
from watchers.http import HttpFetcher
from watchers.registry import build_sources
from watchers.runner import PollReport, poll_source

NEWEST = date(2019, 10, 10)  # the recorded feed's newest item
NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("newest", "stale", "text"),
    [
        (date(2026, 11, 1), False, "newest item 2026-11-01, 1 day old"),
        (date(2026, 10, 3), False, "newest item 2026-10-03, 30 days old"),
        (date(2026, 10, 2), True, "stale: newest item 2026-10-02, 31 days old"),
        (None, False, "no dated items"),
    ],
)
def test_freshness_by_the_newest_item(newest: date | None, stale: bool, text: str) -> None:
    found = freshness(newest, today=date(2026, 11, 2), stale_after_days=30)
    assert (found.stale, found.describe()) == (stale, text)


def home_text(engine: Engine, *, now: datetime, days: int) -> str:
    view = build_home_view(engine, now=now, lists=UNCHECKED, stale_after_days=days)
    return json.dumps(view, ensure_ascii=False)


def poll_feed(engine: Engine, source_server: SourceServer) -> Callable[[], PollReport]:
    """A poll, now, of the recorded feed (its newest item from 2019) as the press source."""
    sites = RecordedSites(server=source_server)
    sites.serve_feed()
    (source,) = build_sources(sites.config(), only="press")
    fetcher = HttpFetcher(connect_timeout=2, read_timeout=2, retries=0, sleep=lambda s: None)
    return lambda: poll_source(source, engine=engine, fetcher=fetcher, now=NOW, down_after=3)


def test_a_stale_feed_is_shown_stale_in_the_home_and_the_digest(
    engine: Engine, source_server: SourceServer
) -> None:
    poll, now = poll_feed(engine, source_server), NOW
    first = poll()
    assert first.ok
    source = first.source
    assert poll().ok  # a 304 keeps the date
    source_server.route_reply(FEED, server_error(500))
    assert not poll().ok  # and so does a failure
    with Session(engine) as session:
        assert load_source_state(session, source).newest_item_on == NEWEST

    age = (now.date() - NEWEST).days
    home = home_text(engine, now=now, days=30)
    assert f"🟠 stale *{source}*" not in home  # failing outranks stale in the status
    assert f"stale: newest item 2019-10-10, {age} days old" in home
    with Session(engine) as session:
        digest = collect_digest(
            session, since=now - timedelta(days=7), until=now, stale_after_days=30
        )
    (line,) = [line for line in digest_text(digest).splitlines() if source in line]
    assert f"stale: newest item 2019-10-10, {age} days old" in line

    with Session(engine) as session:
        relaxed = collect_digest(
            session, since=now - timedelta(days=7), until=now, stale_after_days=age + 1
        )
    assert "stale" not in digest_text(relaxed)
    assert "stale" not in home_text(engine, now=now, days=age + 1)


def test_a_stale_source_that_polls_fine_is_marked_stale_in_the_home(
    engine: Engine, source_server: SourceServer
) -> None:
    report = poll_feed(engine, source_server)()
    assert report.ok
    assert f"🟠 stale *{report.source}*" in home_text(engine, now=NOW, days=30)
