"""Pure name screening: normalize, index, score and explain matches against listed parties.

No I/O and no imports from the rest of entitywatch. Typical use::

    index = ScreeningIndex.build(entries)
    answer = index.screen("Hikvision", limit=5)
    for result in answer.results:
        print(result.band, result.score, result.matched_name, result.countries, result.why)
    print(answer.omitted)  # {"EL": 12}: candidates that did not fit in the limit, per list

The image runs this package compiled to C by mypyc (setup.py); `COMPILED` says which
one a process runs.
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
from screening.entries import INDIVIDUAL, ScreeningEntry
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
from screening.results import ScreeningAnswer, ScreeningResult

# A compiled module's file is its extension (.so), a source module's its .py.
COMPILED = not __file__.endswith(".py")

__all__ = [
    "COMPILED",
    "DEFAULT_MATCH_THRESHOLD",
    "DEFAULT_REVIEW_THRESHOLD",
    "DEFAULT_THRESHOLDS",
    "INDIVIDUAL",
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
    "ScreeningAnswer",
    "ScreeningEntry",
    "ScreeningError",
    "ScreeningIndex",
    "ScreeningResult",
    "Thresholds",
]
