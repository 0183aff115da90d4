"""What the outbox knows about an attempt whose outcome is unknown.

An outbox row carries a window of Slack time (`outcome_unknown_since` ..
`outcome_unknown_until`) while Slack may hold its message without us knowing the
`ts`; these helpers read, build and describe that window.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from storage.models import OutboxRow


@dataclass(frozen=True, slots=True)
class OutcomeWindow:
    """Slack times between which an attempt whose outcome is unknown may have posted."""

    since: datetime
    until: datetime

    def merge(self, other: OutcomeWindow | None) -> OutcomeWindow:
        if other is None:
            return self
        return OutcomeWindow(since=min(self.since, other.since), until=max(self.until, other.until))


def window_of(row: OutboxRow) -> OutcomeWindow | None:
    if row.outcome_unknown_since is None or row.outcome_unknown_until is None:
        return None
    return OutcomeWindow(since=row.outcome_unknown_since, until=row.outcome_unknown_until)


def lapsed_claim(row: OutboxRow, *, lease: timedelta, margin: timedelta) -> OutcomeWindow | None:
    """The window of a claim whose sender never reported back (it may have posted)."""
    if row.claimed_until is None:
        return None
    started = row.claimed_at or row.claimed_until - lease
    return OutcomeWindow(since=started - margin, until=row.claimed_until + margin)


def may_have_been_posted(row: OutboxRow) -> bool:
    return row.outcome_unknown_since is not None


def failure_reason(row: OutboxRow) -> str:
    """Why a failed alert failed, saying when Slack may hold it anyway."""
    reason = row.last_error or "unknown"
    if not may_have_been_posted(row):
        return reason
    return (
        f"may have been posted (an earlier attempt's answer was lost and no lookup "
        f"could confirm it; check the channel): {reason}"
    )
