"""`entitywatch sources check`: ask each configured source once and say what it answered.

I/O at the edge: one plain GET per source (no validators, so the body comes back),
through the fetcher the pollers use (timeouts, the deadline, the size cap, the scope and
its redirect checks, the User-Agent), never raising for a status. The source's own
parser counts the items and finds the newest date; `watchers.diagnosis` turns the
answer into a line a person can act on. Nothing is stored.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from watchers.csl.parse import parse_csl
from watchers.csl.source import CslSource
from watchers.diagnosis import Answer, Diagnosis, Expected, diagnose, transport_failure
from watchers.ecfr.regulation import read_regulation_lists
from watchers.ecfr.source import EcfrSource, window_start
from watchers.ecfr.text_source import EcfrTextSource
from watchers.ecfr.versions import parse_versions, versions_request
from watchers.errors import BodyTooLarge, FetchError, FetchRefused, ParseError
from watchers.federal_register.documents import documents_request, parse_documents_page
from watchers.federal_register.inspection_json import parse_public_inspection
from watchers.federal_register.inspection_source import PublicInspectionSource
from watchers.federal_register.source import FederalRegisterSource
from watchers.freshness import DEFAULT_STALE_AFTER_DAYS, UNDATED, Freshness, freshness
from watchers.http import HttpFetcher
from watchers.press.feed import parse_feed
from watchers.press.listing import parse_listing
from watchers.press.page_source import PressPageSource
from watchers.press.source import PressFeedSource
from watchers.source import Source

# Items found and the newest item's date; raises ParseError when the body is not readable.
Counter = Callable[[bytes, str], tuple[int, date | None]]
HEAD_BYTES = 4096


@dataclass(frozen=True, slots=True)
class Target:
    url: str
    expected: Expected
    count: Counter
    # Whether an old newest item means the source has gone stale: a press feed or listing
    # publishes every few days; months without an Entity List rule are normal, and the
    # CSL dates no items.
    may_go_stale: bool = False


@dataclass(frozen=True, slots=True)
class SourceCheck:
    source: str
    url: str
    answer: Answer
    newest: date | None
    diagnosis: Diagnosis
    freshness: Freshness = UNDATED

    @property
    def stale(self) -> bool:
        return self.diagnosis.usable and self.freshness.stale


def target_of(source: Source) -> Target | None:
    """Where a source is asked and how its answer is read (None: a kind we cannot probe)."""
    if isinstance(source, PressPageSource):
        return Target(source.url, "listing", _count_listing, may_go_stale=True)
    if isinstance(source, PressFeedSource):
        return Target(source.url, "feed", _count_feed, may_go_stale=True)
    if isinstance(source, FederalRegisterSource):
        return Target(documents_request(source.api_url, per_page=20), "json", _count_documents)
    if isinstance(source, PublicInspectionSource):
        url = f"{source.api_url.rstrip('/')}/public-inspection-documents/current.json"
        return Target(url, "json", _count_filings)
    if isinstance(source, CslSource):
        return Target(source.url, "csl", _count_csl)
    if isinstance(source, EcfrSource):
        since = window_start(date.today(), history_days=source.history_days)
        return Target(versions_request(source.api_url, since=since), "json", _count_versions)
    if isinstance(source, EcfrTextSource):
        return Target(source.url, "xml", _count_regulation)
    return None


def check_source(
    source: Source,
    *,
    fetcher: HttpFetcher,
    today: date | None = None,
    stale_after_days: int = DEFAULT_STALE_AFTER_DAYS,
) -> SourceCheck:
    """Ask `source` once; a press feed or listing whose newest item is more than
    `stale_after_days` before `today` (default: the UTC date) is also called stale."""
    target = target_of(source)
    if target is None:
        answer = Answer(failure="other", failure_detail="this kind of source cannot be checked")
        return SourceCheck(source.name, "", answer, None, Diagnosis(True, "not checked"))
    answer, body = _ask(target.url, fetcher=fetcher)
    newest: date | None = None
    if body is not None and answer.status is not None and answer.status < 400:
        try:
            items, newest = target.count(body, answer.content_type)
            answer = _with(answer, items=items)
        except ParseError as exc:
            answer = _with(answer, parse_error=exc.message)
    diagnosis = diagnose(answer, expected=target.expected)
    judged = newest if target.may_go_stale else None
    today = today or datetime.now(UTC).date()
    fresh = freshness(judged, today=today, stale_after_days=stale_after_days)
    return SourceCheck(source.name, target.url, answer, newest, diagnosis, fresh)


def _ask(url: str, *, fetcher: HttpFetcher) -> tuple[Answer, bytes | None]:
    try:
        answer = fetcher.ask(url)
    except BodyTooLarge:
        return Answer(failure="too_large"), None
    except FetchRefused as exc:
        return Answer(failure="other", failure_detail=str(exc)), None
    except FetchError as exc:
        detail = str(exc)
        failure = "tls" if "TLS failed" in detail else transport_failure(detail)
        return Answer(failure=failure, failure_detail=detail), None
    body = answer.body or b""
    content_type = answer.headers.get("Content-Type", "")
    return Answer(status=answer.status, content_type=content_type, head=body[:HEAD_BYTES]), body


def _with(answer: Answer, *, items: int | None = None, parse_error: str | None = None) -> Answer:
    return Answer(
        status=answer.status,
        content_type=answer.content_type,
        head=answer.head,
        items=items,
        parse_error=parse_error,
    )


def _count_feed(body: bytes, content_type: str) -> tuple[int, date | None]:
    items = parse_feed(body)
    dates = [i.published.date() for i in items if i.published]
    return len(items), max(dates, default=None)


def _count_listing(body: bytes, content_type: str) -> tuple[int, date | None]:
    items = parse_listing(body, base_url="http://listing.invalid/")
    return len(items), max((i.published for i in items if i.published), default=None)


def _count_documents(body: bytes, content_type: str) -> tuple[int, date | None]:
    page = parse_documents_page(body)
    return len(page.documents), max((d.publication_date for d in page.documents), default=None)


def _count_filings(body: bytes, content_type: str) -> tuple[int, date | None]:
    page = parse_public_inspection(body)
    dates = [d.filed_at.date() for d in page.documents if d.filed_at]
    return len(page.documents), max(dates, default=None)


def _count_versions(body: bytes, content_type: str) -> tuple[int, date | None]:
    page = parse_versions(body)
    return len(page.amendments), max((a.amendment_date for a in page.amendments), default=None)


def _count_regulation(body: bytes, content_type: str) -> tuple[int, date | None]:
    lists = read_regulation_lists(body)
    return len(lists.entries), lists.amended_on


def _count_csl(body: bytes, content_type: str) -> tuple[int, date | None]:
    fmt = "json" if "json" in content_type else None
    return parse_csl(body, fmt=fmt).row_count, None
