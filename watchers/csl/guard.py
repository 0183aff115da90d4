"""Refuse snapshots that look wrong before they are diffed into mass removals.

In May 2024 the live CSL briefly dropped about 15,000 Treasury rows; a watcher
that trusted it would have announced thousands of removals. A snapshot that
would remove more than `max_removed_share` of any list is refused unless the
operator forces it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from watchers.diff import ListDiff

DEFAULT_MAX_REMOVED_SHARE = 0.10
# Small lists (FSE has 3 entries, NS-MBS 17) legitimately lose one entry at a time,
# which is already more than 10%: fewer removals than this never trip the guard,
# unless the whole list disappears.
MIN_SUSPICIOUS_REMOVALS = 3


@dataclass(frozen=True, slots=True)
class GuardViolation:
    list_code: str
    removed: int
    stored: int

    def describe(self) -> str:
        share = self.removed / self.stored if self.stored else 0.0
        return f"{self.list_code} would lose {self.removed} of {self.stored} entries ({share:.0%})"


def removal_violations(
    diffs: Mapping[str, ListDiff], *, max_removed_share: float
) -> list[GuardViolation]:
    return [
        GuardViolation(list_code=code, removed=len(d.removed), stored=d.stored_count)
        for code, d in sorted(diffs.items())
        if not d.baseline
        and d.removed_share > max_removed_share
        and (len(d.removed) >= MIN_SUSPICIOUS_REMOVALS or d.incoming_count == 0)
    ]
