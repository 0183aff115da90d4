"""Errors of the CSV input reader.

    ValueError
     └── CsvFileError     the file as a whole cannot be read: empty, no usable header,
                          a column asked for is missing or ambiguous

A bad line is never an exception: it is a `CsvRefusal` among the records, so the lines
after it are still read.
"""

from __future__ import annotations


class CsvFileError(ValueError):
    """The file as a whole cannot be read; the message says what to do."""
