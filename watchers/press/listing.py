"""An HTML news listing (the BIS "News and Updates" page) -> `ListingItem` records.

Pure: the caller fetches the page. The page is read with BeautifulSoup, not
patterns over the markup. What we know of the live page (see
tests/fixtures/press/PROVENANCE.md): each item is an `li` with a `data-date`
attribute holding a link to the release, a heading with its title and a
`span.date` such as "February 6, 2025", under a label such as "Press Release".
If no such item is found, links to `/press-release/` pages, or to a page's plain
`/node/NNNN` address, are taken instead, so a changed layout still gives items;
a page with neither is an error, not an empty listing (an empty listing would
silently stop all press coverage).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup, Tag

from watchers.press.errors import ListingError

SOURCE = "press.listing"
_DATE_FORMATS = ("%Y-%m-%d", "%B %d, %Y", "%b %d, %Y", "%m/%d/%Y")
_RELEASE_PATHS = ("/press-release/", "/press-releases/")
# Drupal's own address for a page ("https://www.bis.gov/node/7008"): BIS links some releases so.
_NODE_PATH = re.compile(r"/node/\d+/?$")


@dataclass(frozen=True, slots=True)
class ListingItem:
    link: str  # absolute URL: the item's stable key
    title: str
    published: date | None
    label: str | None  # "Press Release", "Speech", ... when the page says


def parse_listing(data: bytes, *, base_url: str) -> tuple[ListingItem, ...]:
    """Items of a listing page, in page order, each link once."""
    if not data.strip():
        raise ListingError("empty body, expected an HTML news listing", source=SOURCE)
    soup = BeautifulSoup(data, "html.parser")
    if soup.find(["html", "body", "li", "a"]) is None:
        raise ListingError("not an HTML page", source=SOURCE)
    items = [_dated_item(node, base_url) for node in soup.select("li[data-date]")]
    found = [item for item in items if item is not None]
    if not found:
        found = [_linked_item(a, base_url) for a in soup.select("a[href]") if _is_release(a)]
    if not found:
        raise ListingError(
            "no news items found (neither li[data-date] items nor press-release links): "
            "the page layout may have changed",
            source=SOURCE,
        )
    return _unique(found)


def _dated_item(node: Tag, base_url: str) -> ListingItem | None:
    anchor = node.find("a", href=True)
    if not isinstance(anchor, Tag):
        return None
    heading = anchor.find(["h2", "h3", "h4"]) or node.find(["h2", "h3", "h4"])
    title = _text(heading if isinstance(heading, Tag) else anchor)
    if not title:
        return None
    date_span = node.find(class_="date")
    published = _date(str(node.get("data-date") or "")) or (
        _date(_text(date_span)) if isinstance(date_span, Tag) else None
    )
    label = node.find(class_="label")
    return ListingItem(
        link=urljoin(base_url, str(anchor["href"])),
        title=title,
        published=published,
        label=_text(label) if isinstance(label, Tag) else None,
    )


def _linked_item(anchor: Tag, base_url: str) -> ListingItem:
    return ListingItem(
        link=urljoin(base_url, str(anchor["href"])),
        title=_text(anchor),
        published=None,
        label=None,
    )


def _is_release(anchor: Tag) -> bool:
    path = urlsplit(str(anchor["href"])).path
    linked = any(part in path for part in _RELEASE_PATHS) or bool(_NODE_PATH.search(path))
    return linked and bool(_text(anchor))


def _text(node: Tag) -> str:
    return " ".join(node.get_text(" ").split())


def _date(text: str) -> date | None:
    text = " ".join(text.split()).strip()
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text[:40], fmt).date()
        except ValueError:
            continue
    if len(text) >= 10:
        try:
            return date.fromisoformat(text[:10])
        except ValueError:
            return None
    return None


def _unique(items: list[ListingItem]) -> tuple[ListingItem, ...]:
    seen: set[str] = set()
    out: list[ListingItem] = []
    for item in items:
        if item.link not in seen:
            seen.add(item.link)
            out.append(item)
    return tuple(out)
