"""Errors raised by the eCFR parsers.

    ValueError
     └── watchers.errors.ParseError     has `source` and `where`
          ├── VersionsAnswerError          the versioner's `versions` answer is not JSON
          │                                of the documented shape, or holds a bad date
          └── RegulationTextError          the title XML (GPO bulk eCFR) is unusable
               ├── PartTextMissing          well-formed, but part 744 or one of the
               │                            watched sections / supplements is not in it
               ├── ListTextError            § 744.22(f)(2) or a supplement's table
               │                            cannot be read as a list of entries
               └── SuspiciousText           readable, but it would remove much of a
                                            list at once: refused, as a CSL snapshot is

The fetcher raises `watchers.errors.FetchError` when the bytes never arrive; these
are raised when they arrive but are not what the eCFR or the GPO documents. A
parser never logs: the source's poll fails with `str(error)`, which names the
source and where, and stored state stays as it was.
"""

from __future__ import annotations

from watchers.errors import ParseError


class VersionsAnswerError(ParseError):
    """An answer of the eCFR versioner's `versions` endpoint is not the documented shape."""


class RegulationTextError(ParseError):
    """The GPO bulk eCFR XML of a title cannot be read."""


class PartTextMissing(RegulationTextError):
    """The title XML is readable but lacks part 744 or a watched section or supplement."""


class ListTextError(RegulationTextError):
    """A list in the regulation text (§ 744.22(f)(2), a supplement's table) cannot be read."""


class SuspiciousText(RegulationTextError):
    """The text would remove much of a list at once: refused, not recorded."""
