"""Whether the stored lists can clear a name, and the date every answer carries. Pure.

A screening answer is only as good as the lists behind it. "No match" is said
only when the lists are *fresh*:

- the Consolidated Screening List is loaded (else state "not_loaded");
- its last refresh (a successful CSL poll, a 304 included, or a `lists import`)
  is at most `max_age` old (setting LISTS_MAX_AGE);
- its newest entry is at most `SNAPSHOT_MAX_AGE` old: a snapshot file from years
  ago imported today is refreshed, but it does not know today's lists;
- the Federal Register source is not failing for `FR_OUTAGE` or more (the CSL
  lags a new rule by days; the rule itself is the first legal signal).

Otherwise the state is "stale" and a "no match" becomes "cannot clear".
Candidates found are shown either way: a hit on stale lists is still a hit.

The CSL's "as of" date is its newest entry's start date (the date of the latest
listing the snapshot knows), not the download time or Last-Modified header:
those say when a file was copied, not what it knows, and a file on disk has none.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from storage.lists_facts import FrRuleRef, ListContents, ListRefreshes
from storage.source_state import SourceState

FRESH = "fresh"
STALE = "stale"
NOT_LOADED = "not_loaded"
CANNOT_CLEAR = "cannot clear"
DEFAULT_MAX_AGE = timedelta(days=3)
SNAPSHOT_MAX_AGE = timedelta(days=90)
FR_OUTAGE = timedelta(hours=24)


@dataclass(frozen=True, slots=True)
class ListsStatus:
    state: str  # FRESH | STALE | NOT_LOADED
    reasons: tuple[str, ...] = ()
    csl_as_of: date | None = None
    csl_refreshed_at: datetime | None = None
    fr_newest: FrRuleRef | None = None

    @property
    def can_clear(self) -> bool:
        return self.state == FRESH

    @property
    def reason(self) -> str | None:
        return "; ".join(self.reasons) or None

    def as_json(self) -> dict[str, Any]:
        fr = self.fr_newest
        return {
            "state": self.state,
            "reason": self.reason,
            "csl_as_of": self.csl_as_of.isoformat() if self.csl_as_of else None,
            "csl_refreshed_at": self.csl_refreshed_at.isoformat()
            if self.csl_refreshed_at
            else None,
            "fr_newest": {
                "document_number": fr.document_number,
                "publication_date": fr.publication_date.isoformat(),
                "citation": fr.citation,
            }
            if fr
            else None,
        }


# What an answer says when nobody checked the lists: it cannot clear anything.
UNCHECKED = ListsStatus(state=STALE, reasons=("the lists' age was not checked",))


def assess_lists(
    contents: ListContents, refreshes: ListRefreshes, *, now: datetime, max_age: timedelta
) -> ListsStatus:
    reasons: list[str] = []
    if contents.csl_entries == 0:
        reasons.append("lists not loaded: no Consolidated Screening List has been imported yet")
    else:
        reasons += _csl_reasons(contents, refreshes, now=now, max_age=max_age)
    outage = _fr_outage(refreshes.federal_register, now=now)
    if outage:
        reasons.append(outage)
    if contents.csl_entries == 0:
        state = NOT_LOADED
    else:
        state = STALE if reasons else FRESH
    return ListsStatus(
        state=state,
        reasons=tuple(reasons),
        csl_as_of=contents.csl_newest_entry,
        csl_refreshed_at=refreshes.csl_refreshed_at,
        fr_newest=contents.fr_newest,
    )


def _csl_reasons(
    contents: ListContents, refreshes: ListRefreshes, *, now: datetime, max_age: timedelta
) -> list[str]:
    reasons = []
    refreshed = refreshes.csl_refreshed_at
    if refreshed is None:
        reasons.append("lists were never refreshed")
    elif now - refreshed > max_age:
        failing = refreshes.csl.consecutive_failures
        detail = f" (the CSL download failed {failing} times in a row since)" if failing else ""
        reasons.append(
            f"lists are {_age(now - refreshed)} old: last refresh {refreshed.date().isoformat()}"
            f"{detail}"
        )
    newest = contents.csl_newest_entry
    if newest is not None and now.date() - newest > SNAPSHOT_MAX_AGE:
        reasons.append(
            f"the lists' newest entry is from {newest.isoformat()}: not a current snapshot"
        )
    return reasons


def _fr_outage(state: SourceState, *, now: datetime) -> str | None:
    if not state.consecutive_failures:
        return None
    if state.last_success_at is None:
        # Never reached: only a source already reported down counts, so that one failed
        # first poll on a new install does not hold every answer back.
        if not state.down:
            return None
        return f"Federal Register never reached ({state.consecutive_failures} failed polls)"
    if now - state.last_success_at < FR_OUTAGE:
        return None
    since = state.last_success_at.strftime("%Y-%m-%d %H:%M UTC")
    return f"Federal Register not reachable since {since}"


def _age(delta: timedelta) -> str:
    days = delta.days
    if days >= 2:
        return f"{days} days"
    hours = int(delta.total_seconds() // 3600)
    return f"{hours} hours"


def verdict(top_band: str, status: ListsStatus) -> str:
    """The answer's verdict: the top band, except that stale lists cannot clear a name."""
    if top_band == "no match" and not status.can_clear:
        return CANNOT_CLEAR
    return top_band


def dating(status: ListsStatus) -> str:
    """One line that dates an answer: what the lists know and when they were refreshed."""
    if status.csl_as_of:
        parts = [f"lists as of {status.csl_as_of.isoformat()} (newest CSL entry)"]
    elif status.state == NOT_LOADED:
        parts = ["no Consolidated Screening List loaded"]
    else:
        parts = ["lists of unknown date (the CSL snapshot carries no entry dates)"]
    if status.csl_refreshed_at:
        parts.append(f"refreshed {status.csl_refreshed_at.strftime('%Y-%m-%d %H:%M UTC')}")
    fr = status.fr_newest
    if fr:
        parts.append(
            f"newest Federal Register rule {fr.document_number} "
            f"of {fr.publication_date.isoformat()}"
        )
    else:
        parts.append("no Federal Register rule read")
    return "; ".join(parts)
