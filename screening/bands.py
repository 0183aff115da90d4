"""Verdict bands and the thresholds that separate them.

Defaults were calibrated on the development set in
`tests/fixtures/screening/` (see `tests/screening/test_quality.py`); the app's
settings may pass other values. Re-checked with the persons' families added
(1,810 queries, 524 ordinary names): 0.88 is the lowest "match" threshold with
no ordinary name matched (0.86: 0.4%), and 0.70 keeps recall at 99.3% with
4.0% of ordinary names in review (0.65: 99.4% and 5.9%; 0.75: 99.0% and 2.7%).
"""

from __future__ import annotations

from dataclasses import dataclass

from screening.errors import InvalidThresholdsError

MATCH = "match"
REVIEW = "review"
NO_MATCH = "no match"

DEFAULT_MATCH_THRESHOLD = 0.88
DEFAULT_REVIEW_THRESHOLD = 0.70
# Results scoring below this are not reported at all, whatever the thresholds.
REPORT_FLOOR = 0.5


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Scores at or above `match` are "match"; at or above `review`, "review"."""

    match: float = DEFAULT_MATCH_THRESHOLD
    review: float = DEFAULT_REVIEW_THRESHOLD

    def __post_init__(self) -> None:
        if not 0.0 <= self.review <= self.match <= 1.0:
            raise InvalidThresholdsError(
                f"need 0 <= review <= match <= 1, got review={self.review}, match={self.match}"
            )

    def band(self, score: float) -> str:
        if score >= self.match:
            return MATCH
        if score >= self.review:
            return REVIEW
        return NO_MATCH


DEFAULT_THRESHOLDS = Thresholds()
