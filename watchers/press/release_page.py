"""Reading a press item's own page, and saying why when it cannot be read.

A listing item is a headline; a feed item may be a short summary. The item's page says
what the release announces, so it is read when it is on the source's own site (a link
elsewhere is not followed, by design, and is no fault). When it
cannot be (an off-site link, a 404, a timeout, a PDF, an HTML error page, a page with no
text), the headline is still a reading, and the item is recorded with the reason
(`PageReading.problem`): the digest lists such items, conservatively, for a person to
read, and the log says what and where (`press.page_unreadable`). Nothing here raises: a
page that cannot be read must not block the source or lose the other items.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from watchers.errors import FetchError, FetchRefused, HttpStatusError
from watchers.fetch_scope import FetchScope
from watchers.http import FetchResult
from watchers.press.announcement import Announcement, extract_announcement
from watchers.press.article import read_article
from watchers.press.feed import PressItem
from watchers.source import PollContext

log = logging.getLogger(__name__)

# Fewer letters than this in a page's text: a shell or an error page, not a release.
_MIN_TEXT = 80
# How error and block pages title themselves (at the start of the title or heading).
_ERROR_TITLE = re.compile(
    r"^\s*(?:error\b|\d{3}\b|page\s+not\s+found|not\s+found|access\s+denied|forbidden|"
    r"service\s+unavailable|site\s+maintenance|under\s+maintenance|just\s+a\s+moment|"
    r"are\s+you\s+a\s+robot|attention\s+required)",
    re.I,
)
_HTML = re.compile(rb"^\s*(?:<!doctype html|<html|<head|<body)", re.I)
_TITLE = re.compile(rb"<title[^>]*>(?P<title>.{0,200}?)</title>", re.I | re.S)


@dataclass(frozen=True, slots=True)
class PageReading:
    found: Announcement
    problem: str | None = None  # why the page was not read; None when it was


def read_release_page(
    ctx: PollContext,
    item: PressItem,
    *,
    source: str,
    source_url: str,
    retries: int,
    fallback: Announcement,
) -> PageReading:
    """The announcement read from the item's own page, or `fallback` with the reason the
    page was not read."""
    if not item.link:
        return PageReading(fallback)
    scope = FetchScope.link_of(source_url)  # every redirect hop stays on the site too
    refusal = scope.refusal(item.link)
    if refusal is not None:
        # Not read by design, not a fault: a feed often links elsewhere (a bulletin to an
        # agency's site), and its text is what the operator chose to trust.
        log.info("press.page_not_followed source=%s url=%s reason=%s", source, item.link, refusal)
        return PageReading(fallback)
    try:
        page = ctx.fetcher.get(
            item.link, source=source, accept="text/html", retries=retries, scope=scope
        )
    except FetchError as exc:
        return _unread(fallback, source=source, url=item.link, problem=_fetch_problem(exc))
    problem = page_problem(page)
    if problem is not None:
        return _unread(fallback, source=source, url=item.link, problem=problem)
    return _read(page, item, source=source, fallback=fallback)


def page_problem(page: FetchResult) -> str | None:
    """Why a fetched page is no release page to read (pure), or None."""
    body = page.body or b""
    kind = page.content_type.split(";")[0].strip().lower()
    if not body.strip():
        return "the page is empty"
    if kind and "html" not in kind and not _HTML.match(body[:512]):
        return f"the page is not HTML ({kind})"
    if b"\x00" in body[:4096]:
        return "the page holds binary data, not text"
    article = read_article(body)
    title = _TITLE.search(body[:4096])
    titles = [article.headline, title["title"].decode("utf-8", "replace") if title else ""]
    if any(_ERROR_TITLE.match(" ".join(t.split())) for t in titles):
        return f"an error page answered ({' '.join(next(t for t in titles if t).split())[:80]})"
    if len(article.body) < _MIN_TEXT:
        return "the page holds no text to read"
    if sum(c.isalpha() for c in article.body) < len(article.body) / 2:
        return "the page's text is garbled (not mostly letters)"
    return None


def _read(
    page: FetchResult, item: PressItem, *, source: str, fallback: Announcement
) -> PageReading:
    try:
        text = read_article(page.body or b"").body
        return PageReading(extract_announcement(f"{item.title}\n{text}"))
    # A broad catch is right here: one page that trips the reader must not fail the poll
    # and lose every other item; the headline still stands, and the log has the traceback.
    except Exception as exc:
        log.warning(
            "press.page_unreadable source=%s url=%s reason=%s",
            source,
            item.link,
            type(exc).__name__,
            exc_info=True,
        )
        return PageReading(fallback, f"the page could not be read ({type(exc).__name__})")


def _unread(fallback: Announcement, *, source: str, url: str, problem: str) -> PageReading:
    log.warning("press.page_unreadable source=%s url=%s reason=%s", source, url, problem)
    return PageReading(fallback, problem)


def _fetch_problem(exc: FetchError) -> str:
    if isinstance(exc, HttpStatusError):
        return f"the page answered HTTP {exc.status}"
    if isinstance(exc, FetchRefused):
        return f"not read: {exc}"
    return f"the page could not be fetched: {exc}"
