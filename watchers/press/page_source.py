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
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from datetime import time as time_of_day

from watchers.press.announcement import extract_announcement
from watchers.press.feed import PressItem
from watchers.press.listing import ListingItem, parse_listing
from watchers.press.recording import (
    PressReading,
    newest_item,
    record_readings,
    source_names,
    unseen,
)
from watchers.press.release_page import read_release_page
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
        readings = self._readings(ctx, now_read, baseline=baseline)
        changes = record_readings(
            ctx,
            source=self.name,
            url=self.url,
            readings=readings,
            baseline=baseline,
            total=len(items),
        )
        complete = len(readings) == len(fresh)
        return PollResult(
            status="baseline" if baseline else ("changed" if changes else "unchanged"),
            changes=tuple(changes),
            etag=fetched.etag if complete else None,
            last_modified=fetched.last_modified if complete else None,
            newest_item=newest_item(items),
        )

    def _readings(
        self, ctx: PollContext, items: list[PressItem], *, baseline: bool
    ) -> list[PressReading]:
        """Each item read from its page, while the poll has time: one fetch may take up to
        the fetcher's deadline, and 20 slow pages must not hold the scheduler for 20 of
        them. Items left over stay unseen and are read by the next poll."""
        started = time.monotonic()
        readings: list[PressReading] = []
        for item in items:
            if readings and not baseline and time.monotonic() - started > ctx.fetcher.total_timeout:
                log.info(
                    "press.pages_deferred source=%s items=%d", self.name, len(items) - len(readings)
                )
                break
            readings.append(self._read(ctx, item, baseline=baseline))
        return readings

    def _read(self, ctx: PollContext, item: PressItem, *, baseline: bool) -> PressReading:
        title_only = extract_announcement(item.title)
        if baseline:
            return PressReading(item=item, found=title_only)
        page = read_release_page(
            ctx, item, source=self.name, source_url=self.url, retries=1, fallback=title_only
        )
        return PressReading(item=item, found=page.found, page_problem=page.problem)


def press_item(item: ListingItem) -> PressItem:
    published = (
        datetime.combine(item.published, time_of_day(0), tzinfo=UTC) if item.published else None
    )
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
