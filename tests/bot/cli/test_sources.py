"""`entitywatch sources check` as a real process against the local fake source server.

Sources tried: a good feed, a good listing page, the recorded Federal Register and CSL,
a feed answering 403 with a bot-detection page, one answering 404, one serving an HTML
page, one too slow to answer, and one on a host name that does not resolve.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import fixture_bytes
from tests.fakes.source_replies import Reply
from tests.fakes.source_server import SourceServer
from tests.watchers.recorded import RecordedSites

BOT_PAGE = (
    b"<!DOCTYPE html><html><head><title>Access Denied</title></head><body>"
    b"<p>Your request was blocked by bot detection. Please enable JavaScript.</p></body></html>"
)


def run_check(env: dict[str, str], tmp_path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    database = f"sqlite:///{tmp_path / 'check.db'}"
    return subprocess.run(
        [sys.executable, "-m", "bot", "sources", "check", "--database-url", database, *extra],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def base_env(sites: RecordedSites, *, feeds: list[str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_"))}
    env.update(sites.environment())
    env.update(
        {
            "PRESS_FEEDS": ",".join(feeds),
            "HTTP_READ_TIMEOUT": "1",
            "HTTP_CONNECT_TIMEOUT": "2",
            # The recorded feeds date from 2019-2024: staleness is tried in test_sources_stale.
            "SOURCE_STALE_AFTER_DAYS": "100000",
        }
    )
    return env


def lines_by_source(output: str) -> dict[str, str]:
    return {line.split(": ", 1)[0]: line for line in output.splitlines() if line}


def test_every_source_gets_a_line_and_unusable_ones_fail_the_command(
    source_server: SourceServer, tmp_path: Path
) -> None:
    sites = RecordedSites(server=source_server)
    sites.serve_everything()
    source_server.route("/blocked/feed", status=403, body=BOT_PAGE, content_type="text/html")
    source_server.route("/moved/rss.xml", status=404, body=b"Not Found", content_type="text/html")
    source_server.route(
        "/page/news",
        body=b"<!DOCTYPE html><html><body><p>News</p></body></html>",
        content_type="text/html; charset=utf-8",
    )
    slow = fixture_bytes("press", "press-feed.rss.xml")
    source_server.route_reply(
        "/slow/feed", Reply(body=slow, content_type="application/rss+xml", delay=3.0)
    )
    feeds = [
        sites.server.url("/press/rss.xml"),
        sites.server.url("/blocked/feed"),
        sites.server.url("/moved/rss.xml"),
        sites.server.url("/page/news"),
        sites.server.url("/slow/feed"),
        "http://no-such-host.invalid/feed.xml",
    ]
    done = run_check(base_env(sites, feeds=feeds), tmp_path)
    assert done.returncode == 1, done.stderr
    lines = list(lines_by_source(done.stdout).values())
    # csl, federal_register, public_inspection, page, ecfr, ecfr_text
    assert len(lines) == 6 + len(feeds)

    def line_for(url_part: str) -> str:
        (line,) = [line for line in lines if line.endswith(url_part) or url_part in line]
        return line

    good = line_for("/press/rss.xml")
    assert ": ok: ok | answered 200 application/rss+xml; items 3; newest 2019-10-10;" in good
    assert "last success never" in good
    assert (
        "UNUSABLE: 403 with a bot-detection page: this site blocks automated clients; "
        "drop or replace this source | answered 403 text/html" in line_for("/blocked/feed")
    )
    assert "UNUSABLE: 404: the address moved" in line_for("/moved/rss.xml")
    assert "UNUSABLE: HTML where a feed was expected" in line_for("/page/news")
    assert "UNUSABLE: timed out" in line_for("/slow/feed")
    assert "UNUSABLE: DNS lookup failed" in line_for("no-such-host.invalid")
    listing = line_for("/news-updates")
    assert listing.startswith("press_page:127.0.0.1: ok: ok | answered 200 text/html; items 2;")
    assert "newest 2024-03-28" in listing
    assert ": ok: ok | answered 200 application/json; items 1;" in line_for("documents.json")
    assert "csl: ok: ok | answered 200 text/csv; items " in done.stdout
    assert "ecfr: ok: ok | answered 200 application/json; items 8; newest 2023-02-24" in (
        done.stdout
    )
    assert "ecfr_text: ok: ok | answered 200 text/xml; items 32; newest 2023-03-01" in (done.stdout)


def test_all_good_sources_exit_zero_and_show_the_last_success(
    source_server: SourceServer, tmp_path: Path
) -> None:
    sites = RecordedSites(server=source_server)
    sites.serve_everything()
    env = base_env(sites, feeds=[sites.server.url("/press/rss.xml")])
    database = f"sqlite:///{tmp_path / 'check.db'}"
    polled = subprocess.run(
        [sys.executable, "-m", "bot", "poll", "--once", "--source", "press_page",
         "--database-url", database],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert polled.returncode == 0, polled.stdout + polled.stderr
    done = run_check(env, tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    by_source = lines_by_source(done.stdout)
    assert set(by_source) == {
        "csl", "federal_register", "public_inspection", "press:127.0.0.1", "press_page:127.0.0.1",
        "ecfr", "ecfr_text",
    }  # fmt: skip
    assert "last success never" not in by_source["press_page:127.0.0.1"]
    assert "last success never" in by_source["csl"]


def test_an_unknown_source_is_a_one_line_error(source_server: SourceServer, tmp_path: Path) -> None:
    sites = RecordedSites(server=source_server)
    done = run_check(base_env(sites, feeds=[]), tmp_path, "--source", "nope")
    assert done.returncode == 1
    assert done.stderr.startswith("entitywatch: error: unknown source 'nope'; known: ")
