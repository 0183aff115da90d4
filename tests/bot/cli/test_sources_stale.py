"""`entitywatch sources check` as a real process: a stale feed (issue 18 item 6) and a
trickling one (issue 23 item 7).

Stale: a feed that answers 200 with items whose newest is months old is reported
"STALE" with the date and its age, and fails the command; the same feed with an item
from today is "ok". Trickling: a feed that sends its body a byte at a time ends at
HTTP_TOTAL_TIMEOUT, with a line that says so, while the server would go on for a minute.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

from tests.fakes.hostile_server import HostileServer
from tests.fakes.source_server import SourceServer


def feed(*published: datetime) -> bytes:
    items = "".join(
        f"<item><title>Item {n}</title><link>https://example.invalid/{n}</link>"
        f"<guid>item-{n}</guid><pubDate>{format_datetime(when)}</pubDate></item>"
        for n, when in enumerate(published)
    )
    return (
        "<?xml version='1.0'?><rss version='2.0'><channel><title>News</title>"
        f"{items}</channel></rss>"
    ).encode()


def check(tmp_path: Path, *, feeds: list[str], **settings: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_"))}
    env |= {"PRESS_FEEDS": ",".join(feeds), "PRESS_PAGES": "none", **settings}
    database = f"sqlite:///{tmp_path / 'check.db'}"
    return subprocess.run(
        [sys.executable, "-m", "bot", "sources", "check", "--source", "press",
         "--database-url", database],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def test_a_feed_whose_newest_item_is_old_is_stale_with_its_date(
    source_server: SourceServer, tmp_path: Path
) -> None:
    today = datetime.now(UTC)
    old = today - timedelta(days=150)
    source_server.route("/old.rss", body=feed(old, old - timedelta(days=3)),
                        content_type="application/rss+xml")  # fmt: skip
    source_server.route("/new.rss", body=feed(old, today - timedelta(hours=2)),
                        content_type="application/rss+xml")  # fmt: skip
    done = check(tmp_path, feeds=[source_server.url("/old.rss"), source_server.url("/new.rss")])
    assert done.returncode == 1, done.stdout + done.stderr
    stale, fresh = sorted(done.stdout.splitlines(), key=lambda line: "/new.rss" in line)
    assert f"STALE: newest item {old.date().isoformat()}, 150 days old: it answers" in stale
    assert "SOURCE_STALE_AFTER_DAYS" in stale
    assert ": ok: ok |" in fresh

    relaxed = check(tmp_path, feeds=[source_server.url("/old.rss")], SOURCE_STALE_AFTER_DAYS="200")
    assert relaxed.returncode == 0, relaxed.stdout + relaxed.stderr


def test_a_bad_stale_setting_is_one_clear_line(tmp_path: Path) -> None:
    done = check(tmp_path, feeds=[], SOURCE_STALE_AFTER_DAYS="a month")
    assert done.returncode != 0
    assert done.stderr.strip() == (
        "entitywatch: error: setting SOURCE_STALE_AFTER_DAYS: 'a month' is not a whole number "
        "of days, 1 or more; use e.g. 30"
    )


def test_a_trickling_feed_ends_at_the_total_timeout(tmp_path: Path) -> None:
    with HostileServer() as hostile:
        hostile.trickle_body("/feed.rss", body=feed(datetime.now(UTC)) * 2, every=0.1)
        started = time.monotonic()
        done = check(tmp_path, feeds=[hostile.url("/feed.rss")], HTTP_TOTAL_TIMEOUT="2",
                     HTTP_READ_TIMEOUT="5")  # fmt: skip
        took = time.monotonic() - started
    assert done.returncode == 1, done.stdout + done.stderr
    assert "UNUSABLE: timed out" in done.stdout
    assert "no answer (timeout)" in done.stdout
    # 2 s of deadline, plus the interpreter's start on a loaded machine; the feed would
    # have trickled for over a minute.
    assert took < 30
