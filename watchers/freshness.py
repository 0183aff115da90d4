"""Whether a source has gone stale: it answers, but its newest item is old. Pure.

A feed can keep answering 200 with the same old items long after its publisher moved
on (Commerce's GovDelivery feed was seen five months behind the site): every poll
succeeds and nothing new ever arrives. Only the dates of the items tell. A source is
stale when its newest item is more than `stale_after_days` days before `today`; one
that dates no items is never called stale (nothing to judge it by).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

# What `SOURCE_STALE_AFTER_DAYS` defaults to.
DEFAULT_STALE_AFTER_DAYS = 30


@dataclass(frozen=True, slots=True)
class Freshness:
    newest: date | None  # the newest item's date, when the source dates its items
    age_days: int | None  # days from it to today
    stale: bool

    def describe(self) -> str:
        """'stale: newest item 2026-03-19, 260 days old' (or 'newest item ...' when fresh)."""
        if self.newest is None:
            return "no dated items"
        age = f"{self.age_days} day{'s' if self.age_days != 1 else ''} old"
        prefix = "stale: " if self.stale else ""
        return f"{prefix}newest item {self.newest.isoformat()}, {age}"


UNDATED = Freshness(newest=None, age_days=None, stale=False)


def freshness(newest: date | None, *, today: date, stale_after_days: int) -> Freshness:
    if newest is None:
        return UNDATED
    age = (today - newest).days
    return Freshness(newest=newest, age_days=age, stale=age > stale_after_days)
