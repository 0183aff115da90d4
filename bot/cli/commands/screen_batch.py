"""The pieces of `entitywatch screen-file`: the input through the shared CSV reader, one
output row per (name, candidate) or per unreadable line, and the count by verdict.

`run_screen_file` in `bot.cli.commands.screen` puts them together.
"""

from __future__ import annotations

import contextlib
import csv
import os
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, TextIO

from bot.cli.output.screening import HOW_TO_LOAD, storable
from bot.cli.output.screening_rows import output_header, refused_row, result_rows
from bot.errors import UserError
from bot.services.csv_input import CsvFileError, CsvInput, CsvRefusal, read_csv
from bot.services.lists_status import CANNOT_CLEAR, NOT_LOADED
from bot.services.screening import ScreeningService

# The order of the count by verdict.
VERDICT_ORDER = ("match", "review", CANNOT_CLEAR, "no match", "error")


def screen_rows(
    table: CsvInput, *, column: str, screen: BatchScreening, out: TextIO, tally: BatchTally
) -> Iterator[None]:
    """Screens every record into `out` (a refused line becomes a "not screened" row),
    yielding after each input line."""
    position = table.column(column)
    kept = [name for i, name in enumerate(table.header) if i != position]
    # CRLF, as RFC 4180 has it: a lone CR or LF inside a cell is then quoted too.
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(output_header(kept))
    for item in table.records(required=(column,)):
        if isinstance(item, CsvRefusal):
            writer.writerow(refused_row(kept, line=item.line, reason=item.reason))
            tally.refuse(item)
        else:
            query = storable(item.cells[position])
            others = [storable(c) for i, c in enumerate(item.cells) if i != position]
            writer.writerows(screen.rows_for(query, keep=others, tally=tally))
        # Each query's audit row is already committed: keep the output in step with the
        # audit trail if the run is interrupted.
        out.flush()
        yield


@dataclass
class BatchTally:
    """What a batch did: answers by verdict, and the lines it could not read."""

    verdicts: Counter[str] = field(default_factory=Counter)
    refused_count: int = 0
    first_refused: list[CsvRefusal] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(self.verdicts.values()) + self.refused_count

    def refuse(self, refusal: CsvRefusal) -> None:
        self.refused_count += 1
        if len(self.first_refused) < 3:
            self.first_refused.append(refusal)

    def summary(self, *, source: Path, out: str | None) -> str:
        into = f" into {out}" if out not in (None, "-") else ""
        order = [v for v in VERDICT_ORDER if v in self.verdicts]
        order += sorted(v for v in self.verdicts if v not in VERDICT_ORDER)
        counts = ", ".join(f"{self.verdicts[v]:,} {v}" for v in order)
        line = f"screened {sum(self.verdicts.values()):,} names from {source}{into}"
        return line + (f": {counts}" if counts else "")

    def refusals(self, *, source: Path) -> str:
        shown = "; ".join(f"line {r.line}: {r.reason}" for r in self.first_refused)
        more = self.refused_count - len(self.first_refused)
        return (
            f"{source}: {self.refused_count:,} line(s) not screened (verdict 'not screened' "
            f"in the output): {shown}" + (f" (and {more:,} more)" if more else "")
        )


@dataclass(frozen=True, slots=True)
class BatchScreening:
    """Screens one query of a batch and audits it with origin "batch"."""

    service: ScreeningService
    limit: int
    user: str | None

    def rows_for(self, query: str, *, keep: list[str], tally: BatchTally) -> Iterator[list[str]]:
        outcome = self.service.screen(query, origin="batch", limit=self.limit, user_name=self.user)
        tally.verdicts[outcome.verdict] += 1
        return result_rows(outcome, keep=keep)


def warn_if_cannot_clear(service: ScreeningService) -> None:
    status = service.lists_status()
    if not status.can_clear:
        print(f"entitywatch: warning: no name can be cleared: {status.reason}", file=sys.stderr)
        if status.state == NOT_LOADED:
            print(f"entitywatch: {HOW_TO_LOAD}", file=sys.stderr)


def position_of(raw: BinaryIO) -> int:
    # A pipe or FIFO has no position; its progress bar stays empty until the end.
    return raw.tell() if raw.seekable() else 0


def size_of(raw: BinaryIO) -> int:
    return os.fstat(raw.fileno()).st_size


def refuse_overwriting_input(source: Path, out: str | None) -> None:
    # Opening OUT for writing would truncate IN before a single row was read.
    if out and source.exists() and Path(out).exists() and source.samefile(out):
        raise UserError(f"--out {out} is the input file; choose another output file")


@contextlib.contextmanager
def open_input(source: Path) -> Iterator[BinaryIO]:
    try:
        raw = source.open("rb")
    except FileNotFoundError:
        raise UserError(f"no such file: {source}") from None
    except OSError as exc:
        raise UserError(f"cannot read {source}: {exc.strerror}") from None
    with raw:
        yield raw


@contextlib.contextmanager
def read_table(raw: BinaryIO, *, source: Path, column: str) -> Iterator[CsvInput]:
    """The input through the shared CSV reader (encoding and delimiter detected); a file
    that cannot be read at all, or lacks the column, is one line naming it."""
    try:
        with read_csv(raw, wanted=(column,)) as table:
            table.column(column)
            if table.describe():
                print(f"entitywatch: reading {source} as {table.describe()}", file=sys.stderr)
            yield table
    except CsvFileError as exc:
        raise UserError(f"{source} {exc}") from None
