"""`entitywatch audit export [--since DATE] --out FILE.csv`: the screening audit trail as CSV.

One row per screening, streamed from the database, so a year of screenings
never sits in memory. `--out -` writes to standard output.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any, TextIO

from sqlalchemy.orm import Session

from bot.context import CommandContext
from bot.errors import UserError
from storage.models import ScreeningAuditRow
from storage.screening_audit import iter_audit

AUDIT_COLUMNS = (
    "id",
    "screened_at",
    "origin",
    "user_id",
    "user_name",
    "channel_id",
    "query",
    "top_band",
    "result_count",
    "csl_version",
    "results",
    "error",
)
# A spreadsheet runs a cell that starts with one of these as a formula; queries
# typed in Slack by anyone must not become formulas on the compliance lead's machine.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    audit = commands.add_parser("audit", help="the screening audit trail", parents=[common])
    actions = audit.add_subparsers(dest="audit_command", required=True, metavar="ACTION")
    export = actions.add_parser(
        "export", help="write every screening as one CSV row", parents=[common]
    )
    export.add_argument(
        "--since",
        metavar="DATE",
        default=None,
        help="only screenings at or after DATE (YYYY-MM-DD, or an ISO time; UTC if no zone)",
    )
    export.add_argument("--out", required=True, metavar="FILE.csv", help="'-' for standard output")
    export.set_defaults(handler=run_export)


def run_export(args: argparse.Namespace, ctx: CommandContext) -> int:
    since = parse_since(args.since)
    engine = ctx.migrated_engine()
    with _open_output(args.out) as out, Session(engine) as session:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(AUDIT_COLUMNS)
        count = 0
        for row in iter_audit(session, since=since):
            writer.writerow(audit_cells(row))
            count += 1
    if args.out != "-":
        print(f"wrote {count:,} screenings to {args.out}")
    return 0


def parse_since(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise UserError(f"--since {text!r} is not a date like 2024-06-03 (YYYY-MM-DD)") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def audit_cells(row: ScreeningAuditRow) -> list[str]:
    """One audit row as CSV cells, in `AUDIT_COLUMNS` order."""
    versions = row.list_versions or {}
    results = json.dumps(row.results or [], separators=(",", ":"), ensure_ascii=False)
    return [
        str(row.id),
        row.screened_at.isoformat(),
        row.origin,
        _text(row.user_id),
        _text(row.user_name),
        _text(row.channel_id),
        _text(row.query),
        row.top_band,
        str(row.result_count),
        _text(versions.get("csl")),
        results,
        _text(row.error),
    ]


def _text(value: object) -> str:
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


@contextlib.contextmanager
def _open_output(out: str) -> Iterator[TextIO]:
    if out == "-":
        yield sys.stdout
        return
    try:
        handle = open(out, "w", encoding="utf-8", newline="")  # noqa: SIM115
    except OSError as exc:
        raise UserError(f"cannot write {out}: {exc.strerror}") from None
    with handle:
        yield handle
