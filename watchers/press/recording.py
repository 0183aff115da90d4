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
from datetime import date
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from storage.changes import change_dedupe_key, existing_dedupe_keys, record_event
from watchers.press.announcement import Announcement
from watchers.press.feed import PressItem
from watchers.source import PollContext

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class PressReading:
    item: PressItem
    found: Announcement
    page_problem: str | None = None  # why the item's page was not read, when it was not


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


def newest_item(items: Sequence[PressItem]) -> date | None:
    """The date of the newest dated item, to tell a source that stopped publishing."""
    return max((i.published.date() for i in items if i.published), default=None)


def item_key(item: PressItem) -> str:
    return change_dedupe_key("press", item.key)


def unseen(ctx: PollContext, items: Sequence[PressItem]) -> list[PressItem]:
    with Session(ctx.engine) as session:
        known = existing_dedupe_keys(session, [item_key(i) for i in items])
    return [i for i in items if item_key(i) not in known]


def announcement_payload(
    item: PressItem, found: Announcement, *, page_problem: str | None = None
) -> dict[str, object]:
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
        # Set when the item's page could not be read: the reading is the headline's alone.
        "page_problem": page_problem,
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
                after=announcement_payload(
                    reading.item, reading.found, page_problem=reading.page_problem
                ),
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
