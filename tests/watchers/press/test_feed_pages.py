"""A feed whose short items need their pages read: pages the poll has no time for wait for
the next poll, as a listing's do (review of issue 18, item 6).

Tried, with a local server and the real runner on both databases: a feed (with an ETag)
publishes three items whose summaries are too short to tell; the first item's page
stalls past the fetch's deadline, so the poll's time is spent. That item is kept with
its headline and the reason; the other two are not recorded, the feed's ETag is not
stored, and the next poll reads the feed again (no 304) and alerts both from their pages.
Once nothing is left over, the ETag is stored and the feed answers 304.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from storage.models import ChangeRow
from storage.source_state import load_source_state
from tests.fakes.source_replies import strong_etag
from tests.fakes.source_server import SourceServer
from watchers.http import HttpFetcher
from watchers.press.source import PressFeedSource
from watchers.runner import PollReport, poll_source
from watchers.source import SourceSchedule

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
DEADLINE = 1.0
FEED = "/press/feed.xml"
ITEMS = {
    "/press-release/stalls": ("Statement on Export Enforcement", None),
    "/press-release/harrowgate": ("Commerce Announces Action", "Harrowgate Rotor Works Ltd."),
    "/press-release/quintal": ("Department Update", "Quintal Sensor Systems Co."),
}


def feed(server: SourceServer, paths: list[str]) -> bytes:
    items = "".join(
        f"<item><title>{ITEMS[p][0]}</title><link>{server.url(p)}</link><guid>{p}</guid>"
        "<description>Read the release.</description></item>"
        for p in paths
    )
    return f"<?xml version='1.0'?><rss version='2.0'><channel>{items}</channel></rss>".encode()


def page(party: str) -> bytes:
    text = (
        f"The Bureau of Industry and Security today added {party} to the Entity List for"
        " supplying components to military end users."
    )
    return f"<html><body><main><h1>Release</h1><p>{text}</p></main></body></html>".encode()


def serve_feed(server: SourceServer, paths: list[str]) -> None:
    body = feed(server, paths)
    server.route(FEED, body=body, content_type="application/rss+xml", etag=strong_etag(body))


def poll(engine: Engine, source: PressFeedSource, minute: int) -> PollReport:
    fetcher = HttpFetcher(
        connect_timeout=2, read_timeout=2, retries=0, total_timeout=DEADLINE, sleep=lambda s: 0
    )
    now = T0 + timedelta(minutes=minute)
    return poll_source(source, engine=engine, fetcher=fetcher, now=now, down_after=3)


def recorded(engine: Engine, source: str) -> dict[str, ChangeRow]:
    with Session(engine) as session:
        rows = session.scalars(select(ChangeRow).where(ChangeRow.source == source))
        return {r.summary: r for r in rows if r.kind in ("announcement", "press_item")}


def test_pages_left_over_when_the_poll_runs_out_of_time_are_read_by_the_next_poll(
    engine: Engine, source_server: SourceServer
) -> None:
    source = PressFeedSource(
        url=source_server.url(FEED), name="press:feed-pages", schedule=SourceSchedule(900)
    )
    serve_feed(source_server, [])
    assert poll(engine, source, 0).ok  # the baseline: an empty feed
    serve_feed(source_server, list(ITEMS))
    source_server.route("/press-release/stalls", body=page("Nobody"), delay=DEADLINE + 2)
    for path in list(ITEMS)[1:]:
        source_server.route(path, body=page(str(ITEMS[path][1])), content_type="text/html")

    first = poll(engine, source, 15)
    assert first.ok, first.error
    (stalled,) = recorded(engine, source.name).values()
    assert stalled.summary == ITEMS["/press-release/stalls"][0]
    assert stalled.after and "timed out" in str(stalled.after["page_problem"])
    with Session(engine) as session:
        assert load_source_state(session, source.name).etag is None

    second = poll(engine, source, 30)
    assert second.ok and second.result and second.result.status == "changed"
    assert not source_server.requests(FEED)[-1].headers.get("if-none-match")
    now = recorded(engine, source.name)
    for path in list(ITEMS)[1:]:
        title, party = ITEMS[path]
        row = now[title]
        assert row.kind == "announcement" and row.after
        assert row.after["organisations"] == [party]
        assert row.after["page_problem"] is None
    assert source_server.hits("/press-release/stalls") == 1  # recorded for good: not again

    third = poll(engine, source, 45)
    assert third.result and third.result.status == "not_modified"
