"""BIS / Commerce press-release feeds (RSS or Atom), one source per feed URL.

New items are read for a list action (list, add/remove/revise, count, countries,
names). Items that announce one become "announcement" changes, which alert;
others (a trade mission, a speech) are kept as "press_item" and do not. The
first poll of a feed is a baseline: its items are recorded as seen, silently.
When an item's summary is too short to tell, the linked page is read instead, while the
poll is within one fetch's deadline; the items whose pages are left wait for the next poll.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from watchers.content_checks import reject_html
from watchers.press.announcement import Announcement, extract_announcement
from watchers.press.feed import PressItem, parse_feed
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

# A summary shorter than this rarely names the entities; read the linked page then.
SHORT_SUMMARY = 280


@dataclass
class PressFeedSource:
    url: str
    name: str
    schedule: SourceSchedule

    def poll(self, ctx: PollContext) -> PollResult:
        fetched = ctx.fetch_if_changed(
            self.url,
            source=self.name,
            accept="application/rss+xml, application/atom+xml, application/xml;q=0.9",
        )
        if fetched.not_modified:
            return PollResult(status="not_modified")
        items = parse_feed(reject_html(fetched, source=self.name))
        baseline = ctx.state.never_succeeded
        fresh = unseen(ctx, items)
        readings = self._readings(ctx, fresh, baseline=baseline)
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
            # Items left unread: no validators, so the next poll reads the feed again
            # instead of getting a 304, and reads their pages then.
            etag=fetched.etag if complete else None,
            last_modified=fetched.last_modified if complete else None,
            newest_item=newest_item(items),
        )

    def _readings(
        self, ctx: PollContext, items: list[PressItem], *, baseline: bool
    ) -> list[PressReading]:
        """Each item read from its summary, or from its page when the summary is too short
        to tell, while the poll has time: one page may take up to the fetcher's deadline,
        and a feed of slow pages must not hold the scheduler for all of them. An item whose
        page is left over stays unseen, to be read by the next poll, as on a listing."""
        started = time.monotonic()
        readings: list[PressReading] = []
        for item in items:
            found = extract_announcement(f"{item.title}. {item.summary}")
            if baseline or found.is_list_action or len(item.summary) >= SHORT_SUMMARY:
                readings.append(PressReading(item=item, found=found))
            elif time.monotonic() - started <= ctx.fetcher.total_timeout:
                readings.append(self._page_reading(ctx, item, fallback=found))
        if len(readings) < len(items):
            log.info(
                "press.pages_deferred source=%s items=%d", self.name, len(items) - len(readings)
            )
        return readings

    def _page_reading(
        self, ctx: PollContext, item: PressItem, *, fallback: Announcement
    ) -> PressReading:
        # A short summary: the same reading of the release page as the listing source gives.
        page = read_release_page(
            ctx, item, source=self.name, source_url=self.url, retries=0, fallback=fallback
        )
        return PressReading(item=item, found=page.found, page_problem=page.problem)


def feed_names(urls: tuple[str, ...]) -> list[str]:
    return source_names("press", urls, fallback_host="feed")


@register("press", settings=PressSettings)
def _factory(settings: PressSettings) -> list[Source]:
    return [
        PressFeedSource(
            url=url,
            name=name,
            schedule=SourceSchedule(
                interval_seconds=settings.press_poll_seconds, jitter_seconds=60
            ),
        )
        for url, name in zip(settings.press_feeds, feed_names(settings.press_feeds), strict=True)
    ]
