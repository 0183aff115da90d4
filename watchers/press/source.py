"""BIS / Commerce press-release feeds (RSS or Atom), one source per feed URL.

New items are read for a list action (list, add/remove/revise, count, countries,
names). Items that announce one become "announcement" changes, which alert;
others (a trade mission, a speech) are kept as "press_item" and do not. The
first poll of a feed is a baseline: its items are recorded as seen, silently.
When an item's summary is too short to tell, the linked page is read instead.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from watchers.content_checks import reject_html
from watchers.press.announcement import extract_announcement
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
        started = time.monotonic()
        readings = [
            self._read(ctx, item, baseline=baseline, started=started) for item in unseen(ctx, items)
        ]
        changes = record_readings(
            ctx,
            source=self.name,
            url=self.url,
            readings=readings,
            baseline=baseline,
            total=len(items),
        )
        return PollResult(
            status="baseline" if baseline else ("changed" if changes else "unchanged"),
            changes=tuple(changes),
            etag=fetched.etag,
            last_modified=fetched.last_modified,
            newest_item=newest_item(items),
        )

    def _read(
        self, ctx: PollContext, item: PressItem, *, baseline: bool, started: float
    ) -> PressReading:
        text = f"{item.title}. {item.summary}"
        found = extract_announcement(text)
        if baseline or found.is_list_action or len(item.summary) >= SHORT_SUMMARY:
            return PressReading(item=item, found=found)
        if time.monotonic() - started > ctx.fetcher.total_timeout:
            # The poll has spent a whole fetch's deadline on pages already: the summary
            # stands, and the digest says the page was not read.
            return PressReading(
                item=item, found=found, page_problem="not read: the poll ran out of time"
            )
        # A short summary: the same reading of the release page as the listing source gives.
        page = read_release_page(
            ctx, item, source=self.name, source_url=self.url, retries=0, fallback=found
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
