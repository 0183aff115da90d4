"""`entitywatch screen NAME [--limit N] [--json]` and `screen-file IN.csv [--column] [--out]`.

Every screening, refused ones included, goes through `ScreeningService.screen`,
which writes the audit row: origin "cli" for `screen`, "batch" for `screen-file`.

`screen` exits with its verdict (`EXIT_CODES`), so a script can branch on it.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from bot.app import AppRoot
from bot.cli.output.screening import (
    HOW_TO_LOAD,
    ProgressBar,
    cli_user,
    open_csv_output,
    render_answer,
    storable,
)
from bot.cli.output.screening_rows import output_header, result_rows
from bot.errors import UserError
from bot.services.answer_sources import source_note
from bot.services.lists_status import CANNOT_CLEAR, NOT_LOADED
from bot.services.omitted import more_candidates_line
from bot.services.screening import ScreeningOutcome, ScreeningService

MAX_LIMIT = 50
# The verdict of `screen` as its exit status; 1 (an error) and 2 (a usage error) as for
# every command.
EXIT_CODES = {"no match": 0, "review": 3, "match": 4, CANNOT_CLEAR: 5}
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
Exit status 0 once every row is written, whatever the verdicts (see the
verdict column); 1 on an error.

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
        description="Screen every name in a CSV file (UTF-8, with a header row).",
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
        # "from FR Doc 2023-03929, not yet on the CSL"; None for an entry the CSL holds.
        data["source_note"] = source_note(result.entry.source)
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
    with _open_input(source) as (raw, text):
        reader = csv.DictReader(text)
        column = _find_column(reader, column=args.column, source=source)
        kept = [name for name in reader.fieldnames or [] if name != column]
        service = ctx.screening()
        _warn_if_cannot_clear(service)
        progress = ProgressBar(stream=sys.stderr, total_bytes=os.fstat(raw.fileno()).st_size)
        with open_csv_output(args.out, overwrite=args.force) as out:
            # CRLF, as RFC 4180 has it: a lone CR or LF inside a cell is then quoted too.
            writer = csv.writer(out, lineterminator="\r\n")
            writer.writerow(output_header(kept))
            screen = BatchScreening(
                service=service, limit=args.limit or ctx.settings.screen_limit, user=cli_user()
            )
            rows = 0
            for query, others in _queries(reader, column=column, kept=kept, source=source):
                writer.writerows(screen.rows_for(query, keep=others))
                # Each query's audit row is already committed: keep the output in step
                # with the audit trail if the run is interrupted.
                out.flush()
                rows += 1
                progress.update(done_bytes=_position(raw), rows=rows)
            progress.finish(rows=rows)
    if args.out not in (None, "-"):
        print(f"screened {rows:,} names from {source} into {args.out}", file=sys.stderr)
    return 0


@dataclass(frozen=True, slots=True)
class BatchScreening:
    """Screens one query of a batch and audits it with origin "batch"."""

    service: ScreeningService
    limit: int
    user: str | None

    def rows_for(self, query: str, *, keep: list[str]) -> Iterator[list[str]]:
        outcome = self.service.screen(query, origin="batch", limit=self.limit, user_name=self.user)
        return result_rows(outcome, keep=keep)


def _warn_if_cannot_clear(service: ScreeningService) -> None:
    status = service.lists_status()
    if not status.can_clear:
        print(f"entitywatch: warning: no name can be cleared: {status.reason}", file=sys.stderr)
        if status.state == NOT_LOADED:
            print(f"entitywatch: {HOW_TO_LOAD}", file=sys.stderr)


def _position(raw: io.BufferedReader) -> int:
    # A pipe or FIFO has no position; its progress bar stays empty until the end.
    return raw.tell() if raw.seekable() else 0


def _refuse_overwriting_input(source: Path, out: str | None) -> None:
    # Opening OUT for writing would truncate IN before a single row was read.
    if out and source.exists() and Path(out).exists() and source.samefile(out):
        raise UserError(f"--out {out} is the input file; choose another output file")


@contextlib.contextmanager
def _open_input(source: Path) -> Iterator[tuple[io.BufferedReader, TextIO]]:
    """The input as bytes (for progress) and as text; `utf-8-sig` drops Excel's BOM."""
    try:
        raw = source.open("rb")
    except FileNotFoundError:
        raise UserError(f"no such file: {source}") from None
    except OSError as exc:
        raise UserError(f"cannot read {source}: {exc.strerror}") from None
    with raw, io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as text:
        yield raw, text


def _find_column(reader: csv.DictReader[str], *, column: str, source: Path) -> str:
    """`column` as the header spells it; a unique case-insensitive match is accepted too."""
    try:
        present = reader.fieldnames
    except UnicodeDecodeError as exc:
        raise _not_utf8(source, exc) from None
    except csv.Error as exc:
        raise UserError(f"{source} line {reader.line_num}: {exc}") from None
    if not present:
        raise UserError(f"{source} is empty: it has no header row")
    if column in present:
        return column
    folded = [name for name in present if name.strip().casefold() == column.casefold()]
    if len(folded) == 1:
        return folded[0]
    shown = ", ".join(repr(name) for name in present)
    raise UserError(f"{source} has no column {column!r}; its columns are: {shown}")


def _queries(
    reader: csv.DictReader[str], *, column: str, kept: list[str], source: Path
) -> Iterator[tuple[str, list[str]]]:
    """One query per data row with the row's other cells, read lazily; a short row has
    empty cells (cells beyond the header are dropped)."""
    try:
        for row in reader:
            yield storable(row.get(column) or ""), [storable(row.get(k) or "") for k in kept]
    except UnicodeDecodeError as exc:
        raise _not_utf8(source, exc) from None
    except csv.Error as exc:
        raise UserError(f"{source} line {reader.line_num}: {exc}") from None


def _not_utf8(source: Path, exc: UnicodeDecodeError) -> UserError:
    # Text is decoded in blocks, so the line of the bad byte is not known exactly.
    bad = exc.object[exc.start : exc.start + 1].hex()
    return UserError(f"{source} is not UTF-8 text (byte 0x{bad}); save it as CSV UTF-8")
