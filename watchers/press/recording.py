"""Recording press items, shared by the feed and the listing-page sources.

An item read as a list action becomes an "announcement" change (it alerts);
any other item a "press_item" (kept, never alerted). On a source's first poll
every item is a silent "press_seen", plus one "baseline" summary. An item's
dedupe key does not depend on the source, so the same release seen through a
feed and a listing page is recorded once.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from storage.changes import change_dedupe_key, existing_dedupe_keys, record_event
from watchers.errors import FetchError
from watchers.fetch_scope import FetchScope
from watchers.press.announcement import Announcement, extract_announcement
from watchers.press.article import read_article
from watchers.press.feed import PressItem
from watchers.source import PollContext

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class PressReading:
    item: PressItem
    found: Announcement


def same_site(link: str, source_url: str) -> bool:
    """Whether a link from a feed or listing stays on the site of the source that publishes
    it: the same scheme and port, and the same registrable domain by the Public Suffix List
    ("media.bis.gov" for "www.bis.gov", "content.govdelivery.com" for
    "public.govdelivery.com"; not "evil.co.uk" for "news.example.co.uk"). Links elsewhere
    are not followed: a page is read only through the source the operator chose."""
    return FetchScope.link_of(source_url).refusal(link) is None


def source_names(kind: str, urls: tuple[str, ...], *, fallback_host: str) -> list[str]:
    """`<kind>:<host>`, with a short hash of the URL when two URLs share a host, so that a
    source keeps its name (and its stored state) when the list is reordered."""
    hosts = [urlsplit(url).hostname or fallback_host for url in urls]
    return [
        f"{kind}:{host}"
        if hosts.count(host) == 1
        else f"{kind}:{host}:{hashlib.sha256(url.encode()).hexdigest()[:6]}"
        for url, host in zip(urls, hosts, strict=True)
    ]


def read_release_page(
    ctx: PollContext,
    item: PressItem,
    *,
    source: str,
    source_url: str,
    retries: int,
    fallback: Announcement,
) -> Announcement:
    """The announcement read from the item's own page, or `fallback` when the page is on
    another site or cannot be fetched (the headline is still a reading, and a missing page
    must not block the source)."""
    if not item.link or not same_site(item.link, source_url):
        return fallback
    try:
        page = ctx.fetcher.get(
            item.link,
            source=source,
            accept="text/html",
            retries=retries,
            scope=FetchScope.link_of(source_url),  # every redirect hop stays on the site too
        )
    except FetchError as exc:
        log.warning("press.page_unavailable source=%s url=%s error=%s", source, item.link, exc)
        return fallback
    return extract_announcement(f"{item.title}\n{read_article(page.body or b'').body}")


def item_key(item: PressItem) -> str:
    return change_dedupe_key("press", item.key)


def unseen(ctx: PollContext, items: Sequence[PressItem]) -> list[PressItem]:
    with Session(ctx.engine) as session:
        known = existing_dedupe_keys(session, [item_key(i) for i in items])
    return [i for i in items if item_key(i) not in known]


def announcement_payload(item: PressItem, found: Announcement) -> dict[str, object]:
    return {
        "title": item.title,
        "link": item.link,
        "published": item.published.isoformat() if item.published else None,
        "summary": item.summary[:2000],
        "lists": list(found.lists),
        "action": found.action,
        "count": found.count,
        "countries": list(found.countries),
        "organisations": list(found.organisations),
        "removed": list(found.removed),
        "category": found.category,
    }


def record_readings(
    ctx: PollContext,
    *,
    source: str,
    url: str,
    readings: Sequence[PressReading],
    baseline: bool,
    total: int,
) -> list[str]:
    """Store the readings in one transaction; returns one line per new change."""
    changes: list[str] = []
    with Session(ctx.engine) as session, session.begin():
        for reading in readings:
            kind = _kind(reading.found, baseline=baseline)
            recorded = record_event(
                session,
                dedupe_key=item_key(reading.item),
                source=source,
                kind=kind,
                now=ctx.now,
                list_code=reading.found.lists[0] if reading.found.lists else None,
                after=announcement_payload(reading.item, reading.found),
                summary=reading.item.title,
            )
            if recorded and not baseline:
                changes.append(f"{kind}: {reading.item.title}")
        if baseline:
            record_event(
                session,
                dedupe_key=change_dedupe_key(source, "baseline", url),
                source=source,
                kind="baseline",
                now=ctx.now,
                summary=f"{source}: baseline of {total} press items",
            )
            changes.append(f"baseline: {total} items recorded")
    return changes


def _kind(found: Announcement, *, baseline: bool) -> str:
    if baseline:
        return "press_seen"
    return "announcement" if found.is_list_action else "press_item"
