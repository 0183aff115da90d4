"""Pure name screening: normalize, index, score and explain matches against listed parties.

No I/O and no imports from the rest of entitywatch. Typical use::

    index = ScreeningIndex.build(entries)
    for result in index.search("Hikvision", limit=5):
        print(result.band, result.score, result.matched_name, result.why)
"""

from screening.bands import (
    DEFAULT_MATCH_THRESHOLD,
    DEFAULT_REVIEW_THRESHOLD,
    DEFAULT_THRESHOLDS,
    MATCH,
    NO_MATCH,
    REVIEW,
    Thresholds,
)
from screening.entries import ScreeningEntry
from screening.errors import (
    EmptyQueryError,
    InvalidQueryError,
    InvalidThresholdsError,
    QueryTooLongError,
    QueryTooVagueError,
    ScreeningError,
)
from screening.explain import AgreedTokens, Explanation, IgnoredToken
from screening.index import ScreeningIndex
from screening.query import MAX_QUERY_CHARS
from screening.results import ScreeningResult

__all__ = [
    "DEFAULT_MATCH_THRESHOLD",
    "DEFAULT_REVIEW_THRESHOLD",
    "DEFAULT_THRESHOLDS",
    "MATCH",
    "MAX_QUERY_CHARS",
    "NO_MATCH",
    "REVIEW",
    "AgreedTokens",
    "EmptyQueryError",
    "Explanation",
    "IgnoredToken",
    "InvalidQueryError",
    "InvalidThresholdsError",
    "QueryTooLongError",
    "QueryTooVagueError",
    "ScreeningEntry",
    "ScreeningError",
    "ScreeningIndex",
    "ScreeningResult",
    "Thresholds",
]
