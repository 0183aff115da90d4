"""Errors raised by the press parsers.

    ValueError
     └── watchers.errors.ParseError     has `source` and `where`
          ├── FeedError                        the bytes are not an RSS or Atom feed
          └── ListingError                     an HTML news listing with no items we can read

`extract_announcement` never raises: any text is a valid (possibly empty)
announcement, so only the feed layer can fail.
"""

from __future__ import annotations

from watchers.errors import ParseError


class FeedError(ParseError):
    """The bytes are not an RSS or Atom feed (empty, an HTML page, broken XML)."""


class ListingError(ParseError):
    """The bytes are not a news listing we can read (no items found, not HTML)."""
