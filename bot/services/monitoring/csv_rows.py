"""Read a watchlist CSV as a stream of accepted counterparties and refused lines.

Pure apart from reading the stream it is given, through the shared CSV reader
(`bot.services.csv_input`): encoding and delimiter detected, one record at a time,
so a file of any size never sits in memory, and a bad line (a broken quote, a
ragged row, a NUL, bytes that are not text) refuses only itself. A refused line
still says which counterparty it names when its id (or, without an id column, its
name) can be read, so that `--replace` never retires it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from bot.services.csv_input import CsvFileError, CsvRecord, CsvRefusal, read_csv
from bot.services.monitoring.names import derived_id, unscreenable
from storage.watchlist import Counterparty

# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LIMITS = {"id": 200, "country": 100, "address": 2000, "tag": 200}
# Cells that are one line of text; an address may hold line breaks.
ONE_LINE = frozenset({"id", "name", "country", "tag"})


class WatchlistFileError(ValueError):
    """The file as a whole cannot be read (no header, a missing column)."""


@dataclass(frozen=True, slots=True)
class Columns:
    name: str
    id: str | None = None
    country: str | None = None
    address: str | None = None
    tag: str | None = None

    def named(self) -> dict[str, str]:
        """field -> column name, for the fields the file carries."""
        wanted = {"name": self.name, "id": self.id, "country": self.country}
        wanted |= {"address": self.address, "tag": self.tag}
        return {field: name for field, name in wanted.items() if name is not None}


@dataclass(frozen=True, slots=True)
class Refused:
    line: int
    reason: str
    # The counterparty the line names, when that much of it could be read.
    external_id: str | None = None


@dataclass(frozen=True, slots=True)
class WatchlistFile:
    note: str | None  # how the file was read, when not comma-separated UTF-8
    rows: Iterator[tuple[int, Counterparty | Refused]]


@contextlib.contextmanager
def open_watchlist(stream: BinaryIO, columns: Columns) -> Iterator[WatchlistFile]:
    """The file's rows: (first line number, accepted counterparty or refusal) each."""
    named = columns.named()
    try:
        with read_csv(stream, wanted=tuple(named.values())) as table:
            positions = {field: table.column(name) for field, name in named.items()}
            # A row may leave off trailing cells of the optional columns, not the name or id.
            required = [n for f, n in named.items() if f in ("name", "id")]
            records = table.records(required=required)
            yield WatchlistFile(note=table.describe(), rows=_rows(records, positions))
    except CsvFileError as exc:
        raise WatchlistFileError(str(exc)) from None


def _rows(
    records: Iterator[CsvRecord | CsvRefusal], positions: dict[str, int]
) -> Iterator[tuple[int, Counterparty | Refused]]:
    for record in records:
        if isinstance(record, CsvRefusal):
            yield record.line, Refused(record.line, record.reason)
            continue
        if not "".join(record.cells).strip():
            continue  # a row of empty cells, as spreadsheets write below the data
        values = {f: record.cells[p] for f, p in positions.items()}
        yield record.line, _row(values, line=record.line, last=record.end_line)


def _row(cells: dict[str, str], *, line: int, last: int) -> Counterparty | Refused:
    values = {f: " ".join(raw.split()) or None for f, raw in cells.items()}
    name = values.get("name")
    named = values.get("id") if "id" in cells else (derived_id(name) if name else None)

    def refused(reason: str) -> Refused:
        return Refused(line, reason, external_id=named)

    for field, raw in cells.items():
        value = values[field] or ""
        if field in ONE_LINE and ("\n" in raw or "\r" in raw):
            return refused(f"{field} runs over lines {line}-{last} (a broken quote?)")
        if len(value) > LIMITS.get(field, len(value)):
            return refused(f"{field} is {len(value):,} characters (at most {LIMITS[field]})")
        if value.startswith(FORMULA_STARTS):
            return refused(f"{field} looks like a spreadsheet formula ({value[:20]!r})")
    if not name:
        return refused("empty name")
    if "id" in cells and not named:
        return refused("empty id")
    problem = unscreenable(name)
    if problem:
        return refused(problem)
    return Counterparty(
        external_id=named or derived_id(name),
        name=name,
        country=values.get("country"),
        address=values.get("address"),
        tag=values.get("tag"),
    )
