"""HTML news-listing pages (the BIS "News and Updates" page), one source per page URL.

BIS publishes no press feed any more; its listing page is HTML. A poll is a
conditional GET of the listing; items are keyed by their link. Each new item's
own page is fetched (on the publisher's own domain only) and read with the same
extraction as feed items, so a listing and a feed record the same kind of changes. The first poll
is a silent baseline. At most `PAGES_PER_POLL` item pages are read per poll; when
more are waiting, the listing's validators are not stored, so the next poll reads
the listing again and continues instead of getting a 304.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, time

from watchers.press.announcement import Announcement, extract_announcement
from watchers.press.feed import PressItem
from watchers.press.listing import ListingItem, parse_listing
from watchers.press.recording import (
    PressReading,
    read_release_page,
    record_readings,
    source_names,
    unseen,
)
from watchers.press.settings import PressSettings
from watchers.registry import register
from watchers.source import PollContext, PollResult, Source, SourceSchedule

log = logging.getLogger(__name__)

PAGES_PER_POLL = 20
KIND = "press_page"


@dataclass
class PressPageSource:
    url: str
    name: str
    schedule: SourceSchedule

    def poll(self, ctx: PollContext) -> PollResult:
        fetched = ctx.fetch_if_changed(
            self.url, source=self.name, accept="text/html,application/xhtml+xml"
        )
        if fetched.not_modified:
            return PollResult(status="not_modified")
        items = [press_item(i) for i in parse_listing(fetched.body or b"", base_url=fetched.url)]
        baseline = ctx.state.never_succeeded
        fresh = unseen(ctx, items)
        now_read = fresh if baseline else fresh[:PAGES_PER_POLL]
        readings = [
            PressReading(item=item, found=self._read(ctx, item, baseline=baseline))
            for item in now_read
        ]
        changes = record_readings(
            ctx,
            source=self.name,
            url=self.url,
            readings=readings,
            baseline=baseline,
            total=len(items),
        )
        complete = len(now_read) == len(fresh)
        return PollResult(
            status="baseline" if baseline else ("changed" if changes else "unchanged"),
            changes=tuple(changes),
            etag=fetched.etag if complete else None,
            last_modified=fetched.last_modified if complete else None,
        )

    def _read(self, ctx: PollContext, item: PressItem, *, baseline: bool) -> Announcement:
        title_only = extract_announcement(item.title)
        if baseline:
            return title_only
        return read_release_page(
            ctx, item, source=self.name, source_url=self.url, retries=1, fallback=title_only
        )


def press_item(item: ListingItem) -> PressItem:
    published = datetime.combine(item.published, time(0), tzinfo=UTC) if item.published else None
    return PressItem(
        key=item.link,
        title=item.title,
        link=item.link,
        published=published,
        summary=item.label or "",
        guid=None,
    )


def page_names(urls: tuple[str, ...]) -> list[str]:
    return source_names(KIND, urls, fallback_host="page")


@register(KIND, settings=PressSettings)
def _factory(settings: PressSettings) -> list[Source]:
    return [
        PressPageSource(
            url=url,
            name=name,
            schedule=SourceSchedule(
                interval_seconds=settings.press_poll_seconds, jitter_seconds=60
            ),
        )
        for url, name in zip(settings.press_pages, page_names(settings.press_pages), strict=True)
    ]
