"""Diagnosing sources (pure, table-driven) and the one "never succeeded" alert (end to end).

Answers tried: 403 with a bot-detection page, a plain 403, 404, 410, 429, 503, an HTML
page where a feed or JSON was expected, a feed where a listing was expected, an unreadable
body, no items, timeouts, DNS and connection failures, an oversized body.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from storage.models import ChangeRow, SourceStateRow
from tests.fakes.source_replies import Reply, not_found
from tests.fakes.source_server import SourceServer
from tests.watchers.recorded import LISTING, RecordedSites
from watchers.diagnosis import Answer, diagnose, diagnose_failure
from watchers.errors import HttpStatusError, TransportError, UnexpectedContent
from watchers.http import HttpFetcher
from watchers.press.errors import FeedError
from watchers.registry import build_sources
from watchers.runner import poll_source

BOT_PAGE = (
    b"<!DOCTYPE html><html><head><title>Access Denied</title></head><body>"
    b"<h1>Checking your browser before accessing commerce.gov</h1>"
    b"<p>Please enable JavaScript and cookies to continue. Request blocked.</p></body></html>"
)
HTML_PAGE = b"<!DOCTYPE html><html><body><h1>News</h1><p>Latest news</p></body></html>"
FEED = b"<?xml version='1.0'?><rss version='2.0'><channel><title>t</title></channel></rss>"


@pytest.mark.parametrize(
    ("answer", "expected", "usable", "says"),
    [
        (Answer(status=403, content_type="text/html", head=BOT_PAGE), "feed", False,
         "403 with a bot-detection page: this site blocks automated clients; drop or replace"),
        (Answer(status=403, content_type="text/plain", head=b"Forbidden"), "feed", False,
         "403 Forbidden"),
        (Answer(status=404, content_type="text/html", head=HTML_PAGE), "feed", False,
         "404: the address moved"),
        (Answer(status=410), "listing", False, "410: the address moved"),
        (Answer(status=429), "json", False, "429: rate-limited"),
        (Answer(status=503), "csl", False, "503: server error"),
        (Answer(status=200, content_type="text/html", head=HTML_PAGE), "feed", False,
         "HTML where a feed was expected"),
        (Answer(status=200, content_type="application/octet-stream", head=HTML_PAGE), "json",
         False, "HTML where JSON was expected"),
        (Answer(status=200, content_type="application/rss+xml", head=FEED), "listing", False,
         "a feed where an HTML listing was expected"),
        (Answer(status=200, content_type="text/csv", head=b"x", parse_error="missing columns"),
         "csl", False, "the answer is not the CSL download (CSV or JSON): missing columns"),
        (Answer(status=200, content_type="application/rss+xml", head=FEED, items=0), "feed",
         True, "answers, but with no items"),
        (Answer(status=200, content_type="text/html", head=HTML_PAGE, items=12), "listing",
         True, "ok"),
        (Answer(failure="timeout"), "feed", False, "timed out"),
        (Answer(failure="dns"), "feed", False, "DNS lookup failed"),
        (Answer(failure="connection"), "json", False, "could not connect"),
        (Answer(failure="tls"), "json", False, "TLS error"),
        (Answer(failure="too_large"), "csl", False, "larger than HTTP_MAX_BYTES"),
    ],
)  # fmt: skip
def test_diagnose(answer: Answer, expected: str, usable: bool, says: str) -> None:
    diagnosis = diagnose(answer, expected=expected)  # type: ignore[arg-type]
    assert diagnosis.usable is usable
    assert says in diagnosis.text


@pytest.mark.parametrize(
    ("error", "says"),
    [
        (HttpStatusError(404, url="u"), "404: the address moved"),
        (HttpStatusError(403, url="u"), "403 Forbidden"),
        (TransportError("timed out (connect 10s, read 60s)", url="u"), "timed out"),
        (TransportError("could not connect (no network, DNS failure or refused)", url="u"),
         "could not connect"),
        (UnexpectedContent("got an HTML page instead of data", url="u"),
         "HTML where a feed was expected"),
        (FeedError("not an RSS or Atom feed", source="press.feed"), "the answer is not an RSS"),
    ],
)  # fmt: skip
def test_diagnose_failure(error: Exception, says: str) -> None:
    assert says in diagnose_failure(error, expected="feed").text


def test_a_source_that_never_succeeded_raises_one_alert_that_says_why(
    engine: Engine, source_server: SourceServer
) -> None:
    sites = RecordedSites(server=source_server)
    source_server.route_reply(
        LISTING, Reply(status=403, body=BOT_PAGE, content_type="text/html; charset=utf-8")
    )
    (page,) = build_sources(sites.config(), only="press_page")
    fetcher = HttpFetcher(connect_timeout=2, read_timeout=2, retries=0, sleep=lambda s: None)
    start = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    events = []
    for day in range(6):  # a week of daily polls against a source that never worked
        report = poll_source(
            page, engine=engine, fetcher=fetcher, now=start + timedelta(days=day), down_after=3
        )
        assert not report.ok and report.error
        assert "403 Forbidden" in report.error  # the runner's own diagnosis, kept in the state
        events += report.events
    assert events == ["source_never_succeeded"]
    with Session(engine) as session:
        rows = session.scalars(select(ChangeRow).where(ChangeRow.source == page.name)).all()
        state = session.get(SourceStateRow, page.name)
    assert [r.kind for r in rows] == ["source_never_succeeded"]
    assert rows[0].summary == (
        f"{page.name} never succeeded: 403 with a bot-detection page: this site blocks "
        "automated clients; drop or replace this source"
    )
    assert state and state.down and state.consecutive_failures == 6

    sites.serve_listing()
    recovered = poll_source(
        page, engine=engine, fetcher=fetcher, now=start + timedelta(days=7), down_after=3
    )
    assert recovered.ok and recovered.events == ("source_recovered",)


def test_a_source_that_worked_before_still_raises_source_down(
    engine: Engine, source_server: SourceServer
) -> None:
    sites = RecordedSites(server=source_server)
    sites.serve_listing()
    (page,) = build_sources(sites.config(), only="press_page")
    fetcher = HttpFetcher(connect_timeout=2, read_timeout=2, retries=0, sleep=lambda s: None)
    start = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    assert poll_source(page, engine=engine, fetcher=fetcher, now=start, down_after=2).ok
    source_server.route_reply(LISTING, not_found())
    events = []
    for hour in range(1, 4):
        now = start + timedelta(hours=hour)
        events += poll_source(page, engine=engine, fetcher=fetcher, now=now, down_after=2).events
    assert events == ["source_down"]
    with Session(engine) as session:
        (down,) = session.scalars(select(ChangeRow).where(ChangeRow.kind == "source_down")).all()
    assert down.summary and "404: the address moved" in down.summary
