"""`entitywatch screen NAME [--limit N] [--json]` and `screen-file IN.csv [--column] [--out]`.

Every screening, refused ones included, goes through `ScreeningService.screen`,
which writes the audit row: origin "cli" for `screen`, "batch" for `screen-file`.

`screen` exits with its verdict (`EXIT_CODES`), so a script can branch on it.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from bot.app import AppRoot
from bot.cli.commands.screen_batch import (
    BatchScreening,
    BatchTally,
    open_input,
    position_of,
    read_table,
    refuse_overwriting_input,
    screen_rows,
    size_of,
    warn_if_cannot_clear,
)
from bot.cli.output.screening import (
    HOW_TO_LOAD,
    ProgressBar,
    cli_user,
    open_csv_output,
    render_answer,
    storable,
)
from bot.errors import UserError
from bot.services.answer_sources import source_note
from bot.services.lists_status import CANNOT_CLEAR, NOT_LOADED
from bot.services.ownership.answer import OwnershipAnswer
from bot.services.screening import ScreeningOutcome
from screening import MATCH

MAX_LIMIT = 50
# The verdict of `screen` as its exit status; 1 (an error) and 2 (a usage error) as for
# every command.
EXIT_CODES = {"no match": 0, "review": 3, "match": 4, CANNOT_CLEAR: 5}
SCREEN_EPILOG = """\
exit status:
  0  no candidate at match or review, and the lists are current: cleared
  1  error (a query that cannot be screened, an unusable database)
  2  usage error
  3  the best candidate is "review": a person must look (also: a watched counterparty
     possibly covered by the affiliates rule, or with no ownership where it is required)
  4  the best candidate is "match" (also: a watched counterparty 50 % or more owned by
     listed parties)
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
detected. A line that cannot be read (a broken quote, more cells than the
header or too few to reach the column, a NUL) is not screened: it gets one output
row with verdict "not screened" and the reason, and the other lines are screened.
A row that leaves off trailing cells after the column is screened, those empty. At the end, a count
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
        help="print one JSON object: query, verdict, lists (their date and state), results, "
        "omitted, list_versions, audit_id",
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
    owned = ctx.ownership().answer_for(query, listed_itself=outcome.top_band == MATCH)
    if args.json:
        print(json.dumps(answer_json(outcome) | {"ownership": ownership_json(owned)}))
    else:
        print(render_answer(outcome))
        for line in owned.lines if owned else ():
            print(f"ownership: {line}")
    if outcome.lists.state == NOT_LOADED:
        print(f"entitywatch: {HOW_TO_LOAD}", file=sys.stderr)
    return exit_code(outcome.verdict, owned)


def exit_code(verdict: str, owned: OwnershipAnswer | None) -> int:
    """The verdict's code, raised by what the owners say (a clean name owned 55 % by
    listed parties is not a clean counterparty); "cannot clear" stays as it is."""
    code = EXIT_CODES[verdict]
    if owned is None or verdict == CANNOT_CLEAR:
        return code
    if owned.covered:
        return max(code, EXIT_CODES["match"])
    return max(code, EXIT_CODES["review"]) if owned.review else code


def ownership_json(owned: OwnershipAnswer | None) -> dict[str, Any] | None:
    if owned is None:
        return None
    return {"covered": owned.covered, "review": owned.review, "lines": list(owned.lines)}


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
        # What the answer was screened against, as the audit row records it: the CSL
        # snapshot (its content hash and when it was fetched) and the newest Federal
        # Register change; and the audit row itself, to find this screening again.
        "list_versions": {k: v for k, v in outcome.versions.items() if k != "lists"},
        "audit_id": outcome.audit_id,
    }


def run_screen_file(args: argparse.Namespace, ctx: AppRoot) -> int:
    source = Path(args.input)
    refuse_overwriting_input(source, args.out)
    with open_input(source) as raw, read_table(raw, source=source, column=args.column) as table:
        service = ctx.screening()
        warn_if_cannot_clear(service)
        screen = BatchScreening(
            service=service, limit=args.limit or ctx.settings.screen_limit, user=cli_user()
        )
        progress = ProgressBar(stream=sys.stderr, total_bytes=size_of(raw))
        with open_csv_output(args.out, overwrite=args.force) as out:
            tally = BatchTally()
            for _ in screen_rows(table, column=args.column, screen=screen, out=out, tally=tally):
                progress.update(done_bytes=position_of(raw), rows=tally.rows)
            progress.finish(rows=tally.rows)
    print(tally.summary(source=source, out=args.out), file=sys.stderr)
    if tally.refused_count:
        raise UserError(tally.refusals(source=source))
    return 0
