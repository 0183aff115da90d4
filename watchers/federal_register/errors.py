"""Errors raised by the Federal Register parsers.

    ValueError
     └── watchers.errors.ParseError     has `source` and `where`
          ├── RuleXmlError                     full-text XML of a rule is unusable
          │    ├── BrokenXmlError               not a well-formed XML document at all
          │    │                                (empty, HTML, truncated): likely a bad
          │    │                                download, worth fetching again
          │    └── NoEntriesError               a well-formed rule with no list entries
          │                                     (a change of meaning, or other)
          └── ApiResponseError                 documents.json / public-inspection JSON is
                                               not JSON, or not the documented shape

The fetcher raises `watchers.errors.FetchError` when the bytes never arrive;
these are raised when they arrive but are not what the API documents.
"""

from __future__ import annotations

from watchers.errors import ParseError


class RuleXmlError(ParseError):
    """The full-text XML of a rule cannot be read as an Entity List amendment."""


class BrokenXmlError(RuleXmlError):
    """The bytes are not a well-formed XML rule document (a bad download, most likely)."""


class NoEntriesError(RuleXmlError):
    """The rule is well formed but adds, revises or removes no list entry."""


class ApiResponseError(ParseError):
    """A Federal Register API answer is not JSON of the documented shape."""
