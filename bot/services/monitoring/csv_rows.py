"""Read a watchlist CSV as a stream of accepted counterparties and refused lines.

Pure apart from reading the stream it is given: the csv module over a text
stream, one record at a time, so a file of any size never sits in memory. Bytes
that are not UTF-8 are kept as surrogates by the decoder and refuse only the
line that holds them; a bad line never stops the good ones.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from storage.watchlist import Counterparty
from watchers.records import normalize_key_text

# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LIMITS = {"id": 200, "name": 500, "country": 100, "address": 2000, "tag": 200}
# Larger than any cell we accept, so an oversized cell is refused as one line
# instead of stopping the reader (the csv module's default limit is 128 KiB).
FIELD_LIMIT = 64 * 1024 * 1024


class WatchlistFileError(ValueError):
    """The file as a whole cannot be read (no header, a missing column)."""


@dataclass(frozen=True, slots=True)
class Columns:
    name: str
    id: str | None = None
    country: str | None = None
    address: str | None = None
    tag: str | None = None


@dataclass(frozen=True, slots=True)
class Refused:
    line: int
    reason: str


def derived_id(name: str) -> str:
    """A stable id for a counterparty without one: the same normalized name, the same id."""
    digest = hashlib.sha256(normalize_key_text(name).encode()).hexdigest()
    return f"name:{digest[:16]}"


def read_rows(stream: BinaryIO, columns: Columns) -> Iterator[tuple[int, Counterparty | Refused]]:
    """(first line number, accepted counterparty or refusal) per record."""
    if csv.field_size_limit() < FIELD_LIMIT:
        csv.field_size_limit(FIELD_LIMIT)
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="surrogateescape", newline="")
    try:
        yield from _records(text, columns)
    finally:
        # The caller owns the binary stream: leave it open for them to close.
        text.detach()


def _records(
    text: io.TextIOWrapper, columns: Columns
) -> Iterator[tuple[int, Counterparty | Refused]]:
    # strict: a broken quote is an error for its line, not a name swallowing the rest.
    reader = csv.reader(text, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise WatchlistFileError("the file is empty: expected a header line") from None
    positions = _positions([h.strip() for h in header], columns)
    line = reader.line_num
    while True:
        start = line + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            line = reader.line_num
            yield start, Refused(start, f"not a readable CSV line ({exc})")
            continue
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        yield start, _row(cells, positions, line=start)


def _positions(header: list[str], columns: Columns) -> dict[str, int]:
    positions: dict[str, int] = {}
    for field, wanted in (
        ("name", columns.name),
        ("id", columns.id),
        ("country", columns.country),
        ("address", columns.address),
        ("tag", columns.tag),
    ):
        if wanted is None:
            continue
        if wanted not in header:
            shown = ", ".join(repr(h) for h in header[:20])
            raise WatchlistFileError(f"no column {wanted!r} in the header (it has {shown})")
        positions[field] = header.index(wanted)
    return positions


def _row(cells: list[str], positions: dict[str, int], *, line: int) -> Counterparty | Refused:
    values: dict[str, str | None] = {}
    for field, position in positions.items():
        raw = cells[position] if position < len(cells) else ""
        if any("\udc80" <= ch <= "\udcff" for ch in raw):
            return Refused(line, f"{field} is not UTF-8 text (save the file as UTF-8)")
        value = " ".join(raw.split())
        if len(value) > LIMITS[field]:
            return Refused(line, f"{field} is {len(value):,} characters (at most {LIMITS[field]})")
        if value.startswith(FORMULA_STARTS):
            return Refused(line, f"{field} looks like a spreadsheet formula ({value[:20]!r})")
        values[field] = value or None
    name = values.get("name")
    if not name:
        return Refused(line, "empty name")
    if "id" in positions and not values.get("id"):
        return Refused(line, "empty id")
    return Counterparty(
        external_id=values.get("id") or derived_id(name),
        name=name,
        country=values.get("country"),
        address=values.get("address"),
        tag=values.get("tag"),
    )
