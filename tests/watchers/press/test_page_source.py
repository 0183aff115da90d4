"""The listing-page source end to end: local server, real HTTP, real SQL, the real runner.

Tried here: the first poll is a silent baseline; new items are read from their own pages
(a penalty kept as a press item, an addition announced); an unchanged listing is a 304;
an item page that answers 404 falls back to the headline; a link to another site is not
followed; a listing that is not a listing fails the source and records nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from storage.models import ChangeRow
from tests.conftest import fixture_bytes
from tests.fakes.hostile_server import HostileServer
from tests.fakes.source_replies import html_error_page, not_found
from tests.fakes.source_server import SourceServer
from tests.watchers.recorded import LISTING, RecordedSites
from watchers.fetch_scope import FetchScope
from watchers.http import HttpFetcher
from watchers.registry import build_sources
from watchers.runner import PollReport, poll_source
from watchers.source import Source

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
STOLEN = b"<html><body><main><p>Commerce adds Stolen Secrets Ltd. to the Entity List.</p></main></body></html>"
HAAS = "/press-release/haas-automation-pay-over-25-million-combined-civil-penalties-bis-and-ofac-prohibited-transactions"
ELEVEN = (
    "/press-release/commerce-adds-11-entities-entity-list-supporting-prc-military-modernization-and"
)


def listing_source(sites: RecordedSites) -> Source:
    (source,) = build_sources(sites.config(), only="press_page")
    return source


def run(engine: Engine, source: Source, minute: int) -> PollReport:
    fetcher = HttpFetcher(connect_timeout=2.0, read_timeout=2.0, retries=0, sleep=lambda s: None)
    now = T0 + timedelta(minutes=minute)
    return poll_source(source, engine=engine, fetcher=fetcher, now=now, down_after=3)


def rows(engine: Engine, source: str) -> list[ChangeRow]:
    with Session(engine) as session:
        stmt = select(ChangeRow).where(ChangeRow.source == source).order_by(ChangeRow.id)
        return list(session.scalars(stmt))


def test_baseline_then_new_items_read_from_their_pages(
    engine: Engine, source_server: SourceServer
) -> None:
    sites = RecordedSites(server=source_server)
    sites.serve_listing("news-updates-before.html")
    source = listing_source(sites)
    assert source.name == "press_page:127.0.0.1"

    first = run(engine, source, 0)
    assert first.ok and first.result and first.result.status == "baseline"
    assert sorted(r.kind for r in rows(engine, source.name)) == [
        "baseline",
        "press_seen",
        "press_seen",
    ]
    assert source_server.hits(HAAS) == 0  # a baseline reads no item pages

    sites.serve_listing("news-updates-after.html")
    second = run(engine, source, 15)
    assert second.ok and second.result and second.result.status == "changed"
    new = {
        r.summary: r for r in rows(engine, source.name) if r.kind in ("announcement", "press_item")
    }
    assert len(new) == 2
    (eleven,) = [r for r in new.values() if r.kind == "announcement"]
    assert eleven.after and eleven.after["lists"] == ["EL"] and eleven.after["action"] == "add"
    assert eleven.after["countries"] == ["CN", "RU", "AE"]
    assert eleven.after["link"] == source_server.url(ELEVEN)
    assert eleven.after["published"] == "2024-04-11T00:00:00+00:00"
    (haas,) = [r for r in new.values() if r.kind == "press_item"]
    assert haas.after and haas.after["category"] == "enforcement"

    third = run(engine, source, 30)
    assert third.result and third.result.status == "not_modified"
    assert source_server.requests(LISTING)[-1].headers.get("if-none-match")
    assert len(rows(engine, source.name)) == 5


def test_an_item_page_that_fails_falls_back_to_the_headline(
    engine: Engine, source_server: SourceServer
) -> None:
    sites = RecordedSites(server=source_server)
    sites.serve_listing("news-updates-before.html")
    source = listing_source(sites)
    run(engine, source, 0)
    sites.serve_listing("news-updates-after.html")
    source_server.route_reply(ELEVEN, not_found())
    report = run(engine, source, 15)
    assert report.ok
    (eleven,) = [r for r in rows(engine, source.name) if r.kind == "announcement"]
    # the headline alone still says "Adds 11 Entities to the Entity List"
    assert eleven.after and eleven.after["action"] == "add"


def test_links_to_other_sites_are_not_followed(engine: Engine, source_server: SourceServer) -> None:
    sites = RecordedSites(server=source_server)
    sites.serve_listing("news-updates-before.html")
    source = listing_source(sites)
    run(engine, source, 0)
    page = fixture_bytes("press", "site/news-updates-after.html").replace(
        HAAS.encode(), b"http://elsewhere.invalid" + HAAS.encode()
    )
    source_server.route(LISTING, body=page, content_type="text/html")
    assert run(engine, source, 15).ok
    assert source_server.hits(HAAS) == 0
    items = [r for r in rows(engine, source.name) if r.kind in ("announcement", "press_item")]
    assert {r.after["link"] for r in items if r.after} >= {"http://elsewhere.invalid" + HAAS}


def test_a_page_that_is_no_listing_fails_and_records_nothing(
    engine: Engine, source_server: SourceServer
) -> None:
    sites = RecordedSites(server=source_server)
    source_server.route_reply(LISTING, html_error_page(title="Access Denied"))
    source = listing_source(sites)
    report = run(engine, source, 0)
    assert not report.ok and report.error and "no news items found" in report.error
    assert rows(engine, source.name) == []


def test_a_listing_cannot_steer_a_fetch_to_another_port_or_host(
    engine: Engine, source_server: SourceServer
) -> None:
    """Issue 23 item 6: a link to another port of the listing's host, and a link on the
    listing's own origin that redirects to another port and to another host name. None is
    fetched; the items are kept from their headlines; nothing of the other server is
    stored."""
    sites = RecordedSites(server=source_server)
    sites.serve_listing("news-updates-before.html")
    source = listing_source(sites)
    run(engine, source, 0)
    with HostileServer() as database_port:
        database_port.serve("/", body=STOLEN)
        database_port.serve("/stolen", body=STOLEN)
        page = fixture_bytes("press", "site/news-updates-after.html")
        page = page.replace(HAAS.encode(), database_port.url("/").encode())
        page = page.replace(ELEVEN.encode(), b"/press-release/moved")
        source_server.route(LISTING, body=page, content_type="text/html")
        redirect = {"Location": database_port.url("/stolen", host="localhost")}
        source_server.route("/press-release/moved", status=302, headers=redirect)
        assert run(engine, source, 15).ok
        assert database_port.hits() == 0
    assert source_server.hits("/press-release/moved") == 1
    items = [r for r in rows(engine, source.name) if r.kind in ("announcement", "press_item")]
    assert len(items) == 2
    assert all("Stolen" not in str(r.after) for r in items)


@pytest.mark.parametrize(
    ("link", "source", "same"),
    [
        ("https://media.bis.gov/press-release/x", "https://www.bis.gov/news-updates", True),
        ("https://content.govdelivery.com/accounts/USDOC/bulletins/1", "https://public.govdelivery.com/accounts/USDOC/feed.rss", True),
        ("https://evil.example/press-release/x", "https://www.bis.gov/news-updates", False),
        ("https://bis.gov.evil.example/x", "https://www.bis.gov/news-updates", False),
        ("http://10.0.0.1/x", "http://127.0.0.1/news-updates", False),
        ("javascript:alert(1)", "https://www.bis.gov/news-updates", False),
        ("https://evil.co.uk/x", "https://news.example.co.uk/news", False),
        ("http://127.0.0.1:5432/", "http://127.0.0.1:8080/news-updates", False),
        ("https://www.bis.gov:8443/x", "https://www.bis.gov/news-updates", False),
    ],
)  # fmt: skip
def test_same_site(link: str, source: str, same: bool) -> None:
    assert (FetchScope.link_of(source).refusal(link) is None) is same
