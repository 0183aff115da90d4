"""The digest as frozen data: built by `data.collect_digest`, read by the renderers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from watchers.freshness import UNDATED, Freshness

# Shown for an action whose entry names no country.
UNKNOWN_COUNTRY = "??"


@dataclass(frozen=True, slots=True, kw_only=True)
class ActionTally:
    """Additions, removals and modifications counted under one key (a list or a country)."""

    key: str
    added: int = 0
    removed: int = 0
    modified: int = 0

    @property
    def total(self) -> int:
        return self.added + self.removed + self.modified


@dataclass(frozen=True, slots=True, kw_only=True)
class NewNames:
    """Names added to one list; `more` counts the ones left out of `names`."""

    list_code: str
    names: tuple[str, ...]
    more: int = 0

    @property
    def total(self) -> int:
        return len(self.names) + self.more


@dataclass(frozen=True, slots=True, kw_only=True)
class RuleNotice:
    """A Federal Register rule published (first seen) in the window."""

    document_number: str
    title: str
    citation: str | None
    url: str | None
    publication_date: date | None
    effective_on: date | None
    entries: int | None


@dataclass(frozen=True, slots=True, kw_only=True)
class InspectionFiling:
    """A document on the Federal Register's public inspection desk."""

    document_number: str
    title: str
    filing_type: str | None
    publication_date: date | None
    url: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class PressAnnouncement:
    """A press release that announces a list action, or one whose page could not be read."""

    source: str
    title: str
    link: str | None
    lists: tuple[str, ...]
    action: str | None
    count: int | None
    countries: tuple[str, ...]
    # Why the release's page was not read (the reading is its headline's alone), if so.
    unread: str | None = None
    is_action: bool = True  # False: a release not known to announce anything (unread)


@dataclass(frozen=True, slots=True, kw_only=True)
class SourceHealth:
    """One source's state at the end of the window."""

    source: str
    last_success_at: datetime | None
    # Time from the last success to the end of the window; None when it never succeeded.
    age: timedelta | None
    consecutive_failures: int
    down: bool
    last_error: str | None
    # Outages that began / ended inside the window.
    went_down: int = 0
    recovered: int = 0
    # The newest item it showed, and whether that is too old (a stale press source).
    freshness: Freshness = UNDATED


@dataclass(frozen=True, slots=True, kw_only=True)
class Digest:
    since: datetime
    until: datetime
    by_list: tuple[ActionTally, ...] = ()
    by_country: tuple[ActionTally, ...] = ()
    new_names: tuple[NewNames, ...] = ()
    rules: tuple[RuleNotice, ...] = ()
    filings: tuple[InspectionFiling, ...] = ()
    press: tuple[PressAnnouncement, ...] = ()
    sources: tuple[SourceHealth, ...] = ()
    # Counterparties confirmed as listed parties and not resolved yet (plain text lines).
    confirmed_matches: tuple[str, ...] = ()
    # Rules that change what a listing means, as they stand at the end of the window
    # (bot.services.rules_calendar), one plain line each.
    rule_states: tuple[str, ...] = ()
    # Counterparties 50 % or more owned by listed parties, as last evaluated.
    covered_counterparties: int = 0
    # The change rows read, flagged reported once the scheduled digest is posted.
    change_ids: tuple[int, ...] = ()

    @property
    def total_actions(self) -> int:
        return sum(t.total for t in self.by_list)

    @property
    def is_quiet(self) -> bool:
        """Nothing happened on the lists: no actions, rules, filings or announcements."""
        return not (self.total_actions or self.rules or self.filings or self.press)
