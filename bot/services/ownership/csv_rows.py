"""Read an ownership CSV (one holding a row) as accepted holdings and refused lines.

Through the shared CSV reader (encoding and delimiter detected, one record at a
time). A row is refused with its line when the owned party or the owner's name is
empty, the share is not a number from 0 to 100 ("25", "25 %", "25.5", "25,5"), the
as-of date is not a date (YYYY-MM-DD), or a cell reads as a spreadsheet formula.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import BinaryIO

from bot.services.csv_input import CsvFileError, CsvRecord, CsvRefusal, read_csv
from bot.services.monitoring.csv_rows import FORMULA_STARTS

# A share as people type it: "25", "25.5", "25,5" (a decimal comma), "25 %".
_SHARE = re.compile(r"^(\d{1,3})(?:[.,](\d+))?\s*%?$")
LIMITS = {"owned": 200, "owner": 300, "owner_id": 200, "source": 200}


class OwnershipFileError(ValueError):
    """The file as a whole cannot be read (no header, a missing column)."""


@dataclass(frozen=True, slots=True)
class OwnershipColumns:
    owned: str
    owner: str
    percent: str
    owner_id: str | None = None
    as_of: str | None = None
    source: str | None = None

    def named(self) -> dict[str, str]:
        wanted: dict[str, str | None] = {
            "owned": self.owned,
            "owner": self.owner,
            "percent": self.percent,
        }
        wanted |= {"owner_id": self.owner_id, "as_of": self.as_of, "source": self.source}
        return {field: name for field, name in wanted.items() if name is not None}


@dataclass(frozen=True, slots=True)
class HoldingLine:
    """One holding as the file gives it (the owned party not yet resolved)."""

    line: int
    owned: str
    owner: str
    percent: float
    owner_id: str | None = None
    as_of: date | None = None
    source: str | None = None


@dataclass(frozen=True, slots=True)
class RefusedLine:
    line: int
    reason: str


@dataclass(frozen=True, slots=True)
class OwnershipFile:
    note: str | None
    rows: Iterator[HoldingLine | RefusedLine]


@contextlib.contextmanager
def open_ownership(stream: BinaryIO, columns: OwnershipColumns) -> Iterator[OwnershipFile]:
    named = columns.named()
    try:
        with read_csv(stream, wanted=tuple(named.values())) as table:
            positions = {field: table.column(name) for field, name in named.items()}
            required = [columns.owned, columns.owner, columns.percent]
            rows = _rows(table.records(required=required), positions)
            yield OwnershipFile(note=table.describe(), rows=rows)
    except CsvFileError as exc:
        raise OwnershipFileError(str(exc)) from None


def _rows(
    records: Iterator[CsvRecord | CsvRefusal], positions: dict[str, int]
) -> Iterator[HoldingLine | RefusedLine]:
    for record in records:
        if isinstance(record, CsvRefusal):
            yield RefusedLine(record.line, record.reason)
        elif "".join(record.cells).strip():  # rows of empty cells: spreadsheet padding
            yield holding_line({f: record.cells[p] for f, p in positions.items()}, line=record.line)


def holding_line(cells: dict[str, str], *, line: int) -> HoldingLine | RefusedLine:
    values = {f: " ".join(raw.split()) for f, raw in cells.items()}
    for field, value in values.items():
        if len(value) > LIMITS.get(field, 100):
            return RefusedLine(
                line, f"{field} is {len(value):,} characters (at most {LIMITS.get(field, 100)})"
            )
        if value.startswith(FORMULA_STARTS) and field != "percent":
            return RefusedLine(line, f"{field} looks like a spreadsheet formula ({value[:20]!r})")
    if not values["owned"]:
        return RefusedLine(
            line, "empty owned party (a counterparty id or a holding company's name)"
        )
    if not values["owner"]:
        return RefusedLine(line, "owner row with no name")
    percent = parse_percent(values["percent"])
    if isinstance(percent, str):
        return RefusedLine(line, percent)
    as_of = _date(values.get("as_of", ""))
    if isinstance(as_of, str):
        return RefusedLine(line, as_of)
    return HoldingLine(
        line=line,
        owned=values["owned"],
        owner=values["owner"],
        percent=percent,
        owner_id=values.get("owner_id") or None,
        as_of=as_of,
        source=values.get("source") or None,
    )


def parse_percent(text: str) -> float | str:
    """The share in percent, or why it is refused."""
    if not text:
        return "empty share"
    if text.lstrip().startswith("-"):
        return f"negative share {text!r}: shares run from 0 to 100"
    found = _SHARE.match(text)
    if found is None:
        return f"share {text!r} is not a number (write 25 or 25.5 for 25 %)"
    value = float(f"{found.group(1)}.{found.group(2) or 0}")
    if value > 100:
        return f"share {text!r} is over 100 %"
    return value


def _date(text: str) -> date | str | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return f"as-of date {text!r} is not a date (write YYYY-MM-DD)"
