"""Bad input for press (issue 18, item 7, press part): a clear log line, a conservative
digest line, never a crash, never a silent drop.

A listing polled for real (local server, real SQL) announces six new items whose pages
are bad in six ways: a PDF, an HTML "Page Not Found" answered with 200, a 500, an empty
body, binary noise labelled text/html, and a page with no text. Every item is recorded,
with the reason its page was not read; the log names the source, the URL and the reason;
the digest lists each one for a person to read. Another item links to another port: not
followed, by design, so no fault and no digest line. A hostile text (NUL bytes, control characters, a very long line) reads
as no action instead of failing.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from bot.services.digest.data import collect_digest
from bot.slack.blocks.digest import digest_text
from storage.models import ChangeRow
from tests.fakes.source_server import SourceServer
from tests.watchers.recorded import LISTING, RecordedSites
from watchers.http import HttpFetcher
from watchers.press.announcement import extract_announcement
from watchers.registry import build_sources
from watchers.runner import poll_source

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
BAD_PAGES: dict[str, tuple[int, str, bytes]] = {
    "/press-release/pdf": (200, "application/pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>"),
    "/press-release/gone": (
        200,
        "text/html",
        b"<html><head><title>Page Not Found</title></head><body><h1>Page Not Found</h1>"
        b"<p>The page you requested could not be found on this server today.</p></body></html>",
    ),
    "/press-release/broken": (500, "text/plain", b"Internal Server Error"),
    "/press-release/empty": (200, "text/html", b""),
    "/press-release/noise": (200, "text/html", bytes(range(256)) * 8),
    "/press-release/shell": (200, "text/html", b"<html><body><main></main></body></html>"),
}
TITLES = {
    "/press-release/pdf": "Commerce Publishes a Guidance Note",
    "/press-release/gone": "Secretary Meets Counterparts",
    "/press-release/broken": "Commerce Adds Quenfield Rotor Co. Ltd. to the Entity List",
    "/press-release/empty": "Update on Export Licensing",
    "/press-release/noise": "Statement on Trade",
    "/press-release/shell": "BIS Announces New Measures",
    "http://127.0.0.1:1/press-release/elsewhere": "Off-site Item",
}
OLDER = {"/press-release/older": "An Item Seen at the Baseline"}


def listing(titles: dict[str, str]) -> bytes:
    items = "".join(
        f"<li data-date='2026-11-0{i % 9 + 1}'><a href='{path}'><h3>{title}</h3></a></li>"
        for i, (path, title) in enumerate(titles.items())
    )
    return f"<html><body><ul>{items}</ul></body></html>".encode()


def rows(engine: Engine) -> list[ChangeRow]:
    with Session(engine) as session:
        return list(session.scalars(select(ChangeRow).order_by(ChangeRow.id)))


def test_bad_item_pages_are_logged_kept_and_listed_in_the_digest(
    engine: Engine, source_server: SourceServer, caplog: pytest.LogCaptureFixture
) -> None:
    sites = RecordedSites(server=source_server)
    source_server.route(LISTING, body=listing(OLDER), content_type="text/html")
    (source,) = build_sources(sites.config(), only="press_page")
    fetcher = HttpFetcher(connect_timeout=2, read_timeout=2, retries=0, sleep=lambda s: None)
    assert poll_source(source, engine=engine, fetcher=fetcher, now=T0, down_after=3).ok

    for path, (status, kind, body) in BAD_PAGES.items():
        source_server.route(path, status=status, content_type=kind, body=body)
    source_server.route(LISTING, body=listing(TITLES | OLDER), content_type="text/html")
    with caplog.at_level(logging.WARNING, logger="watchers.press.release_page"):
        report = poll_source(
            source, engine=engine, fetcher=fetcher, now=T0 + timedelta(hours=1), down_after=3
        )
    assert report.ok, report.error

    recorded = {r.summary: r for r in rows(engine) if r.kind in ("announcement", "press_item")}
    assert set(recorded) == set(TITLES.values())
    # A link elsewhere is not followed by design: its headline stands, and it is no fault.
    off_site = recorded.pop(TITLES["http://127.0.0.1:1/press-release/elsewhere"])
    assert off_site.kind == "press_item" and off_site.after
    assert off_site.after["page_problem"] is None
    problems = {title: (r.after or {}).get("page_problem") for title, r in recorded.items()}
    assert all(problems.values()), problems
    assert "HTTP 500" in problems[TITLES["/press-release/broken"]]
    assert "error page" in problems[TITLES["/press-release/gone"]]
    assert "empty" in problems[TITLES["/press-release/empty"]]
    assert "not HTML (application/pdf)" in problems[TITLES["/press-release/pdf"]]
    assert "binary" in problems[TITLES["/press-release/noise"]]
    # The headline still reads as what it says: an addition is alerted from it.
    added = recorded[TITLES["/press-release/broken"]]
    assert added.kind == "announcement" and added.after
    assert added.after["organisations"] == ["Quenfield Rotor Co. Ltd."]

    logged = [r.getMessage() for r in caplog.records if "press.page_unreadable" in r.getMessage()]
    assert len(logged) == len(BAD_PAGES)
    assert all(f"source={source.name} url=http" in line and "reason=" in line for line in logged)

    with Session(engine) as session:
        digest = collect_digest(session, since=T0, until=T0 + timedelta(days=1))
    text = digest_text(digest)
    for title in recorded:
        (line,) = [line for line in text.splitlines() if title in line]
        assert "page not read" in line
    assert off_site.summary not in text
    assert "from the headline only" in text and "read it yourself" in text
    assert "1 press announcement, 5 press items not read" in text


@pytest.mark.parametrize(
    "text",
    [
        "Commerce adds\x00 Nul\x00 Ltd. to the \x00Entity List",
        "\x1b[31mBIS\x1b[0m added\u202e Reversed Co. Ltd.\u202c to the Entity List.",
        "Commerce Adds " + "Very " * 20000 + "Long Name Ltd. to the Entity List",
        "(((((((((( [[[[[ Co., Ltd., Co., Ltd., " * 500,
        "",
        "\ufeff\r\n\r\n\t",
    ],
    ids=["nul", "control-and-bidi", "very-long", "punctuation", "empty", "whitespace"],
)
def test_hostile_text_reads_without_failing(text: str) -> None:
    found = extract_announcement(text)
    assert found.category in ("list_action", "other", "enforcement", "speech", "event")
