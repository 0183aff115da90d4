"""RSS / Atom bytes -> `PressItem` records, with feedparser.

Pure: the caller fetches the bytes with our own HTTP session (timeouts, size
cap) and hands them over; feedparser never touches the network here.
"""

from __future__ import annotations

import calendar
import hashlib
import io
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import feedparser

from watchers.press.errors import FeedError
from watchers.press.html_text import html_to_text

SOURCE = "press.feed"


@dataclass(frozen=True, slots=True)
class PressItem:
    key: str  # stable across polls: the GUID, else the link, else a content hash
    title: str
    link: str | None
    published: datetime | None  # UTC
    summary: str  # plain text, HTML stripped
    guid: str | None


def parse_feed(data: bytes) -> tuple[PressItem, ...]:
    """Parse feed bytes; an empty but valid feed gives ()."""
    if not data.strip():
        raise FeedError("empty body, expected an RSS or Atom feed", source=SOURCE)
    # A BytesIO, not the bytes themselves: feedparser treats a string that
    # looks like a URL or a path as one to open, and a parser must not do I/O.
    parsed = feedparser.parse(io.BytesIO(data))
    if not parsed.get("version"):
        reason = parsed.get("bozo_exception") or "no RSS or Atom root element (an HTML page?)"
        raise FeedError(f"not an RSS or Atom feed: {reason}", source=SOURCE)
    if parsed.get("bozo") and not parsed.entries:
        raise FeedError(f"broken feed: {parsed.get('bozo_exception')}", source=SOURCE)
    return tuple(_item(entry) for entry in parsed.entries)


def _item(entry: Any) -> PressItem:
    title = html_to_text(entry.get("title", ""))
    link = entry.get("link") or None
    summary = html_to_text(entry.get("summary", ""))
    guid = entry.get("id") or None
    return PressItem(
        key=guid or link or _content_key(title, summary),
        title=title,
        link=link,
        published=_published(entry),
        summary=summary,
        guid=guid,
    )


def _published(entry: Any) -> datetime | None:
    # feedparser normalises every date format it knows to a UTC struct_time.
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if parsed is None:
        return None
    return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)


def _content_key(title: str, summary: str) -> str:
    digest = hashlib.sha256(f"{title}\x1f{summary}".encode()).hexdigest()
    return f"sha256:{digest[:32]}"
