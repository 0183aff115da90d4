"""One fetch ends by its deadline whatever the server does (issue 23, item 7).

Tried, against a local server that misbehaves on purpose: a body trickled a byte at a
time, headers trickled a byte at a time, a server that reads the request and never
answers, and a redirect to such a server; then a whole press poll against a trickling
feed, which must fail by the deadline and leave the source's stored state as it was.
The bounds below are the deadline plus a margin for a loaded machine; the server would
hold each request for 20 s or more.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from storage.source_state import load_source_state
from tests.conftest import fixture_bytes
from tests.fakes.hostile_server import HostileServer
from watchers.errors import TransportError
from watchers.fetch_scope import FetchScope, Origin
from watchers.http import HttpFetcher
from watchers.http_guard import FetchGuard, guarding
from watchers.press.source import PressFeedSource
from watchers.runner import poll_source
from watchers.source import SourceSchedule

DEADLINE = 1.5
MARGIN = 2.5
FEED = fixture_bytes("press", "press-feed.rss.xml")


def fetcher(**options: float) -> HttpFetcher:
    settings: dict[str, float] = {"connect_timeout": 5, "read_timeout": 5, "retries": 2}
    settings |= options
    return HttpFetcher(total_timeout=DEADLINE, sleep=time.sleep, **settings)  # type: ignore[arg-type]


def timed_failure(fetch: HttpFetcher, url: str) -> tuple[float, str]:
    started = time.monotonic()
    with pytest.raises(TransportError) as failure:
        fetch.get(url)
    return time.monotonic() - started, str(failure.value)


@pytest.fixture
def hostile() -> HostileServer:
    with HostileServer() as server:
        yield server


def test_a_body_trickled_a_byte_at_a_time_ends_at_the_deadline(hostile: HostileServer) -> None:
    hostile.trickle_body("/feed", body=FEED[:200], every=0.1)  # 20 s of trickle
    took, message = timed_failure(fetcher(), hostile.url("/feed"))
    assert took < DEADLINE + MARGIN
    assert "deadline of 1.5s (HTTP_TOTAL_TIMEOUT)" in message
    assert hostile.hits("/feed") == 1  # the deadline is for the whole fetch: no retry after it


def test_headers_trickled_a_byte_at_a_time_end_at_the_deadline(hostile: HostileServer) -> None:
    hostile.trickle_headers("/feed", every=0.1)
    took, message = timed_failure(fetcher(), hostile.url("/feed"))
    assert took < DEADLINE + MARGIN
    assert "deadline" in message


def test_a_server_that_never_answers_ends_at_the_deadline_not_the_read_timeout(
    hostile: HostileServer,
) -> None:
    hostile.stall("/feed")
    took, _ = timed_failure(fetcher(read_timeout=30), hostile.url("/feed"))
    assert took < DEADLINE + MARGIN


def test_the_deadline_covers_every_hop_of_a_redirect(hostile: HostileServer) -> None:
    hostile.redirect("/start", to="/feed")
    hostile.trickle_body("/feed", body=FEED[:200], every=0.1)
    took, _ = timed_failure(fetcher(), hostile.url("/start"))
    assert took < DEADLINE + MARGIN
    assert hostile.hits("/feed") == 1


def test_a_fast_answer_is_not_cut(hostile: HostileServer) -> None:
    hostile.serve("/feed", body=FEED, content_type="application/rss+xml")
    result = fetcher().get(hostile.url("/feed"))
    assert result.body == FEED


def test_a_deadline_longer_than_a_timer_can_wait_still_arms_the_guard(
    monkeypatch: pytest.MonkeyPatch, hostile: HostileServer
) -> None:
    """A deadline beyond the platform's longest wait (settings cap it at a day; a library
    user may not) must not kill the guard's timer thread with an OverflowError."""
    died: list[BaseException | None] = []
    monkeypatch.setattr(threading, "excepthook", lambda args: died.append(args.exc_value))
    guard = FetchGuard(
        scope=FetchScope.configured(hostile.url("/")),
        target=Origin("http", "127.0.0.1", hostile.port),
        seconds=1e12,
    )
    with guarding(guard):
        time.sleep(0.2)  # the timer starts waiting at once: a wait it cannot make fails now
    assert died == []


def test_a_poll_of_a_trickling_feed_fails_by_the_deadline_and_keeps_its_state(
    engine: Engine, hostile: HostileServer
) -> None:
    hostile.serve("/feed", body=FEED, content_type="application/rss+xml")
    source = PressFeedSource(
        url=hostile.url("/feed"), name="press:hostile", schedule=SourceSchedule(900)
    )
    now = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    assert poll_source(source, engine=engine, fetcher=fetcher(), now=now, down_after=3).ok
    with Session(engine) as session:
        before = load_source_state(session, source.name)

    hostile.trickle_body("/feed", body=FEED, every=0.1)
    started = time.monotonic()
    report = poll_source(source, engine=engine, fetcher=fetcher(), now=now, down_after=3)
    assert time.monotonic() - started < DEADLINE + MARGIN
    assert not report.ok and report.error and "deadline" in report.error
    with Session(engine) as session:
        after = load_source_state(session, source.name)
    assert (after.etag, after.last_success_at) == (before.etag, before.last_success_at)
    assert after.consecutive_failures == 1
