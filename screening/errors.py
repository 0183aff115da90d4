"""Errors raised by the screening package.

    ValueError
     └── ScreeningError              anything the screening engine refuses
          ├── InvalidQueryError      the query cannot be screened as typed
          │    ├── EmptyQueryError       nothing left after cleaning (blank, punctuation, emoji)
          │    ├── QueryTooLongError     longer than `MAX_QUERY_CHARS`
          │    └── QueryTooVagueError    only legal forms or filler words ("CORP", "Co., Ltd.")
          └── InvalidThresholdsError  band thresholds outside 0..1 or review above match

Every error is a `ValueError`, so a caller that validates user input can catch
one type. The message is safe to show to the person who typed the query.
"""

from __future__ import annotations


class ScreeningError(ValueError):
    """Base class of every error the screening package raises."""


class InvalidQueryError(ScreeningError):
    """The query cannot be screened as typed."""


class EmptyQueryError(InvalidQueryError):
    """Nothing to screen once spaces, punctuation and symbols are removed."""


class QueryTooLongError(InvalidQueryError):
    """The query is longer than a counterparty name can reasonably be."""


class QueryTooVagueError(InvalidQueryError):
    """The query holds only legal forms or filler words, which match everything."""


class InvalidThresholdsError(ScreeningError):
    """Band thresholds must satisfy 0 <= review <= match <= 1."""
