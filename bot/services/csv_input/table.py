"""`read_csv`: a CSV file's encoding, delimiter and header, then its records one by one.

The delimiter is the one of , ; tab | that splits the header into the columns the
caller asks for (`wanted`), else the one the header line holds most of. A record
holding a NUL or bytes its encoding cannot read is refused with its line number and
column, so one damaged line never refuses the file (PostgreSQL refuses NUL in text).
"""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import BinaryIO

from bot.services.csv_input.delimiter import choose_delimiter
from bot.services.csv_input.encoding import TextEncoding, detect_encoding
from bot.services.csv_input.errors import CsvFileError
from bot.services.csv_input.records import (
    DELIMITER_NAMES,
    CsvRecord,
    CsvRefusal,
    Line,
    PhysicalLines,
    RowShape,
    split_records,
)

_BAD_TEXT = re.compile("[\x00\udc80-\udcff]")


@dataclass
class CsvInput:
    """An opened CSV file. `records()` streams: a file of any size never sits in memory."""

    encoding: TextEncoding
    delimiter: str
    header: tuple[str, ...]
    _lines: PhysicalLines

    def describe(self) -> str | None:
        """How the file was read, when that is not plain comma-separated UTF-8."""
        if self.encoding.is_utf8 and not self.encoding.mixed and self.delimiter == ",":
            return None
        label = self.encoding.label
        if self.encoding.mixed:
            label += " with some bytes in another encoding (their lines are refused)"
        return f"{label}, {DELIMITER_NAMES[self.delimiter]}-separated"

    def column(self, name: str) -> int:
        """The position of column `name`: its exact (trimmed) name, else the one column
        whose name matches ignoring case. A name the header holds twice is refused."""
        trimmed = [h.strip() for h in self.header]
        exact = [i for i, h in enumerate(trimmed) if h == name]
        folded = [i for i, h in enumerate(trimmed) if h.casefold() == name.casefold()]
        found = exact or folded
        if len(found) == 1:
            return found[0]
        shown = ", ".join(repr(h) for h in self.header[:20])
        if not found:
            raise CsvFileError(f"has no column {name!r}; its columns are: {shown}")
        raise CsvFileError(f"has {len(found)} columns named {name!r}: {shown}; rename one")

    def records(self, *, required: Sequence[str] | None = None) -> Iterator[CsvRecord | CsvRefusal]:
        """Every record or refusal. A row may leave off trailing cells after the last of the
        `required` columns (they read as empty); without `required`, every column is."""
        every = range(len(self.header))
        needed = every if required is None else [self.column(name) for name in required]
        shape = RowShape(header=self.header, required=frozenset(needed))
        for found in split_records(self._lines, delimiter=self.delimiter, shape=shape):
            yield found if isinstance(found, CsvRefusal) else self._checked(found)

    def _checked(self, record: CsvRecord) -> CsvRecord | CsvRefusal:
        if _BAD_TEXT.search("".join(record.cells)) is None:
            return record
        for position, cell in enumerate(record.cells):
            bad = _BAD_TEXT.search(cell)
            if bad is None:
                continue
            where = f"column {self.header[position].strip()!r}"
            if bad.group() == "\x00":
                return CsvRefusal(
                    record.line, f"a NUL character in {where}: the line is damaged, not text"
                )
            byte = ord(bad.group()) - 0xDC00
            advice = (
                "the file mixes encodings; save it as CSV UTF-8"
                if self.encoding.mixed
                else f"it is not {self.encoding.label} text; save the file as CSV UTF-8"
            )
            return CsvRefusal(record.line, f"byte 0x{byte:02x} in {where}: {advice}")
        return record


@contextlib.contextmanager
def read_csv(stream: BinaryIO, *, wanted: Sequence[str] = ()) -> Iterator[CsvInput]:
    """Open `stream` (binary, owned by the caller and left open) as a CSV file.

    Raises `CsvFileError` when the file is empty or its header cannot be read."""
    encoding, binary = detect_encoding(stream)
    text = io.TextIOWrapper(binary, encoding=encoding.codec, errors="surrogateescape", newline="")
    try:
        lines = PhysicalLines(iter(text))
        yield _opened(lines, encoding=encoding, wanted=wanted)
    finally:
        # The caller owns the stream: leave it open for them to close.
        text.detach()


def _opened(lines: PhysicalLines, *, encoding: TextEncoding, wanted: Sequence[str]) -> CsvInput:
    first = _first_nonblank(lines)
    if first is None:
        raise CsvFileError("is empty: it has no header row")
    delimiter = choose_delimiter(first.text, wanted=wanted)
    lines.push_back([first])
    header = next(split_records(lines, delimiter=delimiter, shape=None), None)
    if isinstance(header, CsvRefusal):
        raise CsvFileError(f"line {header.line} (the header): {header.reason}")
    assert header is not None
    if _BAD_TEXT.search("".join(header.cells)):
        raise CsvFileError(
            f"line {header.line} (the header) is not {encoding.label} text; "
            "save the file as CSV UTF-8"
        )
    return CsvInput(encoding=encoding, delimiter=delimiter, header=header.cells, _lines=lines)


def _first_nonblank(lines: PhysicalLines) -> Line | None:
    while (line := lines.next()) is not None:
        if line.text.strip():
            return line
    return None
