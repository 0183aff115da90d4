"""`entitywatch screen NAME [--limit N] [--json]` and `screen-file IN.csv [--column] [--out]`.

Every screening, refused ones included, goes through `ScreeningService.screen`,
which writes the audit row: origin "cli" for `screen`, "batch" for `screen-file`.

`screen` exits with its verdict (`EXIT_CODES`), so a script can branch on it.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from bot.app import AppRoot
from bot.cli.output.screening import (
    HOW_TO_LOAD,
    ProgressBar,
    cli_user,
    open_csv_output,
    render_answer,
    storable,
)
from bot.cli.output.screening_rows import output_header, refused_row, result_rows
from bot.errors import UserError
from bot.services.csv_input import CsvFileError, CsvInput, CsvRecord, CsvRefusal, read_csv
from bot.services.lists_status import CANNOT_CLEAR, NOT_LOADED
from bot.services.omitted import more_candidates_line
from bot.services.screening import ScreeningOutcome, ScreeningService

MAX_LIMIT = 50
# The verdict of `screen` as its exit status; 1 (an error) and 2 (a usage error) as for
# every command.
EXIT_CODES = {"no match": 0, "review": 3, "match": 4, CANNOT_CLEAR: 5}
# The order of `screen-file`'s count by verdict.
VERDICT_ORDER = ("match", "review", CANNOT_CLEAR, "no match", "error")
SCREEN_EPILOG = """\
exit status:
  0  no candidate at match or review, and the lists are current: cleared
  1  error (a query that cannot be screened, an unusable database)
  2  usage error
  3  the best candidate is "review": a person must look
  4  the best candidate is "match"
  5  cannot clear: no candidate, but the lists are not loaded or not current

examples:
  entitywatch screen Hikvision
  entitywatch screen "Huawei Technologies" --limit 10 --json
"""
SCREEN_FILE_EPILOG = """\
One output row per (name, candidate), after the input's other columns (an input
column whose name a result column already uses is written as input_NAME).
Cells a spreadsheet would run as formulas (=, +, -, @, tab, CR) get a leading '.
The encoding (UTF-8, UTF-16, Windows-1252) and the delimiter (, ; tab |) are
detected. A line that cannot be read (a broken quote, more or fewer cells than
the header, a NUL) is not screened: it gets one output row with verdict "not
screened" and the reason, and the other lines are screened. At the end, a count
by verdict on standard error.
Exit status 0 once every row is written, whatever the verdicts (see the
verdict column); 1 on an error or when a line was not screened.

examples:
  entitywatch screen-file customers.csv --column company --out screened.csv
  entitywatch screen-file customers.csv --out screened.csv --force
"""


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    one = commands.add_parser(
        "screen",
        help="screen one name against every stored list",
        description="Screen one name against every stored list: ranked, explained candidates, "
        "the lists' date, and a verdict.",
        epilog=SCREEN_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[common],
    )
    # Several words are joined, so `entitywatch screen Huawei Technologies` needs no quotes.
    one.add_argument("name", nargs="+", metavar="NAME")
    one.add_argument("--limit", type=_limit, default=None, metavar="N", help="candidates shown")
    one.add_argument(
        "--json",
        action="store_true",
        help="print one JSON object: query, verdict, lists (their date and state), results",
    )
    one.set_defaults(handler=run_screen)
    batch = commands.add_parser(
        "screen-file",
        help="screen every name in a CSV file",
        description="Screen every name in a CSV file with a header row.",
        epilog=SCREEN_FILE_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[common],
    )
    batch.add_argument("input", metavar="IN.csv")
    batch.add_argument("--column", default="name", help="column holding the names (default: name)")
    batch.add_argument(
        "--out", default=None, metavar="OUT.csv", help="default (or -): standard output"
    )
    batch.add_argument("--limit", type=_limit, default=None, metavar="N", help="results per name")
    batch.add_argument("--force", action="store_true", help="overwrite an existing --out file")
    batch.set_defaults(handler=run_screen_file)


def _limit(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 1 <= value <= MAX_LIMIT:
        raise argparse.ArgumentTypeError(f"must be between 1 and {MAX_LIMIT}")
    return value


def run_screen(args: argparse.Namespace, ctx: AppRoot) -> int:
    query = storable(" ".join(args.name))
    service = ctx.screening()
    outcome = service.screen(
        query,
        origin="cli",
        limit=args.limit or ctx.settings.screen_limit,
        user_name=cli_user(),
    )
    if outcome.error:
        raise UserError(f"query refused: {outcome.error}")
    if args.json:
        print(json.dumps(answer_json(outcome)))
    else:
        print(render_answer(outcome))
        more = more_candidates_line(outcome.omitted)
        if more:
            print(more)
    if outcome.lists.state == NOT_LOADED:
        print(f"entitywatch: {HOW_TO_LOAD}", file=sys.stderr)
    return EXIT_CODES[outcome.verdict]


def answer_json(outcome: ScreeningOutcome) -> dict[str, Any]:
    results = []
    for result in outcome.results:
        data = result.as_dict()
        data.setdefault("addresses", list(outcome.addresses_of(result)))
        results.append(data)
    return {
        "query": outcome.query,
        "verdict": outcome.verdict,
        "lists": outcome.lists.as_json(),
        "results": results,
        # Per list code, candidates that scored high enough but were left out by the limit.
        "omitted": dict(outcome.omitted),
    }


def run_screen_file(args: argparse.Namespace, ctx: AppRoot) -> int:
    source = Path(args.input)
    _refuse_overwriting_input(source, args.out)
    with _open_input(source) as raw, _read_table(raw, source=source, column=args.column) as table:
        column = table.column(args.column)
        kept = [name for i, name in enumerate(table.header) if i != column]
        service = ctx.screening()
        _warn_if_cannot_clear(service)
        progress = ProgressBar(stream=sys.stderr, total_bytes=_size(raw))
        with open_csv_output(args.out, overwrite=args.force) as out:
            # CRLF, as RFC 4180 has it: a lone CR or LF inside a cell is then quoted too.
            writer = csv.writer(out, lineterminator="\r\n")
            writer.writerow(output_header(kept))
            screen = BatchScreening(
                service=service, limit=args.limit or ctx.settings.screen_limit, user=cli_user()
            )
            tally = BatchTally()
            for item in _read_records(table, source=source):
                if isinstance(item, CsvRefusal):
                    writer.writerow(refused_row(kept, line=item.line, reason=item.reason))
                    tally.refused.append(item)
                else:
                    query = storable(item.cells[column])
                    others = [storable(c) for i, c in enumerate(item.cells) if i != column]
                    writer.writerows(screen.rows_for(query, keep=others, tally=tally))
                # Each query's audit row is already committed: keep the output in step
                # with the audit trail if the run is interrupted.
                out.flush()
                progress.update(done_bytes=_position(raw), rows=tally.rows)
            progress.finish(rows=tally.rows)
    print(tally.summary(source=source, out=args.out), file=sys.stderr)
    if tally.refused:
        raise UserError(tally.refusals(source=source))
    return 0


@dataclass
class BatchTally:
    """What a batch did: answers by verdict, and the lines it could not read."""

    verdicts: Counter[str] = field(default_factory=Counter)
    refused: list[CsvRefusal] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(self.verdicts.values()) + len(self.refused)

    def summary(self, *, source: Path, out: str | None) -> str:
        into = f" into {out}" if out not in (None, "-") else ""
        screened = sum(self.verdicts.values())
        counts = ", ".join(f"{self.verdicts[v]:,} {v}" for v in VERDICT_ORDER if self.verdicts[v])
        counts += "".join(
            f", {n:,} {v}" for v, n in sorted(self.verdicts.items()) if v not in VERDICT_ORDER
        )
        line = f"screened {screened:,} names from {source}{into}"
        return line + (f": {counts.lstrip(', ')}" if counts else "")

    def refusals(self, *, source: Path) -> str:
        shown = "; ".join(f"line {r.line}: {r.reason}" for r in self.refused[:3])
        more = f" (and {len(self.refused) - 3:,} more)" if len(self.refused) > 3 else ""
        return (
            f"{source}: {len(self.refused):,} line(s) not screened (verdict 'not screened' "
            f"in the output): {shown}{more}"
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


def _warn_if_cannot_clear(service: ScreeningService) -> None:
    status = service.lists_status()
    if not status.can_clear:
        print(f"entitywatch: warning: no name can be cleared: {status.reason}", file=sys.stderr)
        if status.state == NOT_LOADED:
            print(f"entitywatch: {HOW_TO_LOAD}", file=sys.stderr)


def _position(raw: BinaryIO) -> int:
    # A pipe or FIFO has no position; its progress bar stays empty until the end.
    return raw.tell() if raw.seekable() else 0


def _size(raw: BinaryIO) -> int:
    return os.fstat(raw.fileno()).st_size


def _refuse_overwriting_input(source: Path, out: str | None) -> None:
    # Opening OUT for writing would truncate IN before a single row was read.
    if out and source.exists() and Path(out).exists() and source.samefile(out):
        raise UserError(f"--out {out} is the input file; choose another output file")


@contextlib.contextmanager
def _open_input(source: Path) -> Iterator[BinaryIO]:
    try:
        raw = source.open("rb")
    except FileNotFoundError:
        raise UserError(f"no such file: {source}") from None
    except OSError as exc:
        raise UserError(f"cannot read {source}: {exc.strerror}") from None
    with raw:
        yield raw


@contextlib.contextmanager
def _read_table(raw: BinaryIO, *, source: Path, column: str) -> Iterator[CsvInput]:
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


def _read_records(table: CsvInput, *, source: Path) -> Iterator[CsvRecord | CsvRefusal]:
    try:
        yield from table.records()
    except OSError as exc:
        raise UserError(f"cannot read {source}: {exc.strerror}") from None
