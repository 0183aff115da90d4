"""Physical lines into CSV records, each with its first line number; a bad line is
refused on its own and never takes the lines after it with it.

A quoted cell may hold line breaks, so a record can span lines. When a quote is
opened and the record it starts cannot be closed into a well-formed row of the
header's width within `MAX_RECORD_LINES` lines (or before the file ends), the quote
was broken: that one line is refused and the lines after it are read again, each
on its own. A quoted cell that would swallow a line that reads as a complete row
is refused whole (every line of it): it cannot be told from two broken quotes.
Which lines count: a line strictly inside the cell that parses on its own, strictly,
into exactly the header's width (an address line with a comma or two does not; the
line that closes the cell never does, as it holds the closing quote); and, when the
cell is in a column the caller requires (a name or an id, never more than one line),
any line after the first that splits into a row.
A row with more cells than the header (unless the extra ones are empty) is refused:
its cells would land in the wrong columns. A row may leave off trailing cells after
the last column the caller requires, as spreadsheets and CRMs write them: those
cells read as empty. A row that ends before a required column is refused.
"""

from __future__ import annotations

import csv
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass

# More lines than any real cell holds (an address with line breaks), few enough that
# a broken quote costs little to re-read.
MAX_RECORD_LINES = 50
# Larger than any cell we accept, so an oversized cell is refused as one line instead
# of stopping the reader (the csv module's default limit is 128 KiB).
FIELD_LIMIT = 64 * 1024 * 1024
BROKEN_QUOTE = 'broken quote: a " opened on this line is never closed'
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"}


@dataclass(frozen=True, slots=True)
class CsvRecord:
    line: int  # the physical line it starts on, counted from 1 (the header is usually 1)
    end_line: int  # the physical line it ends on: more than `line` when a cell holds breaks
    cells: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CsvRefusal:
    line: int
    reason: str


@dataclass(frozen=True, slots=True)
class RowShape:
    """The cells a record may have: the header's width, or fewer when only trailing
    cells after the last required column are left off."""

    header: tuple[str, ...]
    required: frozenset[int]  # positions of the columns the caller needs

    @property
    def width(self) -> int:
        return len(self.header)

    @property
    def least(self) -> int:
        return max(self.required, default=-1) + 1

    def fitted(self, cells: list[str]) -> tuple[str, ...] | None:
        """The cells at the header's width (left-off trailing cells empty), or None."""
        cells = _trim_empty_extras(cells, self.width)
        if not self.least <= len(cells) <= self.width:
            return None
        return (*cells, *[""] * (self.width - len(cells)))

    def misfit(self, cells: list[str], delimiter: str) -> str:
        found = len(_trim_empty_extras(cells, self.width))
        if found > self.width or self.least == self.width:
            return _ragged(found, self.width, delimiter)
        missing = self.header[self.least - 1].strip()
        return f"{_cells(found)} where the header has {self.width}: no cell for column {missing!r}"


@dataclass(frozen=True, slots=True)
class Line:
    number: int
    text: str


class _Unclosed(Exception):
    """The quote of a record's first line is still open when the input (or patience) ends."""


class PhysicalLines:
    """Numbered lines of a text stream, with lines pushed back to be read again."""

    def __init__(self, lines: Iterator[str]) -> None:
        self._lines = lines
        self._number = 0
        self._again: deque[Line] = deque()

    def next(self) -> Line | None:
        if self._again:
            return self._again.popleft()
        text = next(self._lines, None)
        if text is None:
            return None
        self._number += 1
        return Line(self._number, text)

    def push_back(self, lines: list[Line]) -> None:
        self._again.extendleft(reversed(lines))


def split_records(
    lines: PhysicalLines, *, delimiter: str, shape: RowShape | None
) -> Iterator[CsvRecord | CsvRefusal]:
    """Every non-blank record or refusal, in order. `shape` None: any number of cells."""
    if csv.field_size_limit() < FIELD_LIMIT:
        csv.field_size_limit(FIELD_LIMIT)
    splitter = _Splitter(lines, delimiter=delimiter, shape=shape)
    while (first := lines.next()) is not None:
        found = splitter.record(first)
        if found is not None:
            yield found


class _Splitter:
    """One csv reader for the whole file, fed the lines of one record at a time (it is
    its own input: `__next__` hands over the record's first line, then pulls more
    while a quote is open)."""

    def __init__(self, lines: PhysicalLines, *, delimiter: str, shape: RowShape | None) -> None:
        self._lines = lines
        self._delimiter = delimiter
        self._shape = shape
        self._taken: list[Line] = []
        self._unread: Line | None = None
        self._reader = csv.reader(self, delimiter=delimiter, strict=True)

    def __iter__(self) -> _Splitter:
        return self

    def __next__(self) -> str:
        if self._unread is not None:
            line, self._unread = self._unread, None
            return line.text
        following = self._lines.next() if len(self._taken) < MAX_RECORD_LINES else None
        if following is None:
            raise _Unclosed
        self._taken.append(following)
        return following.text

    def record(self, first: Line) -> CsvRecord | CsvRefusal | None:
        if '"' not in first.text:
            # No quote, no surprise: the common line is split without the csv machinery.
            cells = first.text.rstrip("\r\n").split(self._delimiter)
            return self._shaped(cells, [first])
        self._taken, self._unread = [first], first
        try:
            cells = next(self._reader)
        except _Unclosed:
            return _broken_quote(self._lines, self._taken)
        except csv.Error as exc:
            if len(self._taken) > 1:
                return _broken_quote(self._lines, self._taken)
            return CsvRefusal(first.number, f"not a readable CSV line ({exc})")
        return self._shaped(cells, self._taken)

    def _shaped(self, cells: list[str], taken: list[Line]) -> CsvRecord | CsvRefusal | None:
        first, last = taken[0].number, taken[-1].number
        if len(taken) == 1 and not taken[0].text.strip():
            return None  # a blank line ("," or '""' are records: their cells are empty)
        if self._shape is None:
            return CsvRecord(line=first, end_line=last, cells=tuple(cells))
        fitted = self._shape.fitted(cells)
        if fitted is None:
            if len(taken) > 1:
                return _broken_quote(self._lines, taken)
            return CsvRefusal(first, self._shape.misfit(cells, self._delimiter))
        if len(taken) > 1 and (inside := self._row_inside(fitted, taken)):
            return CsvRefusal(
                first,
                f'broken quotes? a " opened on this line closes on line {last}, and line '
                f"{inside} reads as a row of its own: lines {first}-{last} refused",
            )
        return CsvRecord(line=first, end_line=last, cells=fitted)

    def _row_inside(self, cells: tuple[str, ...], taken: list[Line]) -> int | None:
        """A line the quoted cell swallows that reads as a complete row on its own: then a
        line break in a cell and two broken quotes cannot be told apart."""
        assert self._shape is not None
        shape = self._shape
        if any("\n" in cells[p] or "\r" in cells[p] for p in shape.required):
            # A required cell is one line: any following line that splits into a row
            # is more likely a row than part of that cell.
            for line in taken[1:]:
                alone = _alone(line, self._delimiter, strict=False)
                if alone is not None and shape.fitted(alone) is not None:
                    return line.number
            return None
        for line in taken[1:-1]:
            alone = _alone(line, self._delimiter, strict=True)
            if alone is not None and len(_trim_empty_extras(alone, shape.width)) == shape.width:
                return line.number
        return None


def _alone(line: Line, delimiter: str, *, strict: bool) -> list[str] | None:
    """The cells of one line read on its own, or None if it is not a CSV line alone."""
    try:
        return next(csv.reader([line.text], delimiter=delimiter, strict=strict), [])
    except csv.Error:
        return None


def _broken_quote(lines: PhysicalLines, taken: list[Line]) -> CsvRefusal:
    # The lines it would have swallowed are read again, each on its own.
    lines.push_back(taken[1:])
    return CsvRefusal(taken[0].number, BROKEN_QUOTE)


def _trim_empty_extras(cells: list[str], width: int) -> list[str]:
    # "a,b,c," under a 3-column header: a trailing delimiter adds an empty cell, not data.
    while len(cells) > width and not cells[-1].strip():
        cells = cells[:-1]
    return cells


def _ragged(found: int, width: int, delimiter: str) -> str:
    name = DELIMITER_NAMES.get(delimiter, repr(delimiter))
    if found > width:
        return (
            f"{found} cells where the header has {width}: a cell that holds a {name} "
            "must be in double quotes"
        )
    return f"{_cells(found)} where the header has {width}"


def _cells(count: int) -> str:
    return "1 cell" if count == 1 else f"{count} cells"
