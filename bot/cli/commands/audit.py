"""`entitywatch audit export [--since DATE] --out FILE.csv [--force]`: the audit trail as CSV.

One row per screening, streamed from the database, so a year of screenings
never sits in memory. `--out -` writes to standard output; an existing file is
refused without `--force`, as `screen-file` and `watchlist export` do.
"""

from __future__ import annotations

import argparse
import csv
import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bot.app import AppRoot
from bot.cli.dates import parse_since
from bot.cli.output.screening import open_csv_output
from bot.services.lists_status import ListsStatus, verdict
from bot.services.monitoring.audit_rows import DECISION_COLUMNS, decision_cells
from storage.models import ScreeningAuditRow
from storage.screening_audit import iter_audit
from storage.watch_hits import iter_decisions

AUDIT_COLUMNS = (
    "id",
    "screened_at",
    "origin",
    "user_id",
    "user_name",
    "channel_id",
    "query",
    "top_band",
    # What the person was told: the top band, except that a "no match" on lists that were
    # not fresh was "cannot clear" (`lists_state`); rows from before it was stored: the band.
    "verdict",
    "result_count",
    "csl_version",
    "results",
    "error",
    # fresh / stale / not_loaded: with anything but fresh, a "no match" was "cannot clear".
    "lists_state",
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
    export.add_argument("--force", action="store_true", help="overwrite an existing --out file")
    export.add_argument(
        "--decisions",
        action="store_true",
        help="export the counterparty decision history (confirm / clear / resolve) instead",
    )
    export.set_defaults(handler=run_export)


def run_export(args: argparse.Namespace, ctx: AppRoot) -> int:
    since = None if args.since is None else parse_since(args.since, zone=UTC)
    engine = ctx.migrated_engine()
    if args.decisions:
        return export_decisions(engine, out_path=args.out, since=since, force=args.force)
    with open_csv_output(args.out, overwrite=args.force) as out, Session(engine) as session:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(AUDIT_COLUMNS)
        count = 0
        for row in iter_audit(session, since=since):
            writer.writerow(audit_cells(row))
            count += 1
    if args.out != "-":
        print(f"wrote {count:,} screenings to {args.out}")
    return 0


def export_decisions(engine: Engine, *, out_path: str, since: datetime | None, force: bool) -> int:
    with open_csv_output(out_path, overwrite=force) as out, Session(engine) as session:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(DECISION_COLUMNS)
        count = 0
        for decision, hit, party in iter_decisions(session, since=since):
            writer.writerow(decision_cells(decision, hit, party))
            count += 1
    if out_path != "-":
        print(f"wrote {count:,} decisions to {out_path}")
    return 0


def _utc(moment: datetime) -> datetime:
    """Stored times are UTC; SQLite hands them back without a zone."""
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def audit_cells(row: ScreeningAuditRow) -> list[str]:
    """One audit row as CSV cells, in `AUDIT_COLUMNS` order."""
    versions = row.list_versions or {}
    results = json.dumps(row.results or [], separators=(",", ":"), ensure_ascii=False)
    return [
        str(row.id),
        _utc(row.screened_at).isoformat(),
        row.origin,
        _text(row.user_id),
        _text(row.user_name),
        _text(row.channel_id),
        _text(row.query),
        row.top_band,
        stored_verdict(row),
        str(row.result_count),
        _text(versions.get("csl")),
        results,
        _text(row.error),
        _text(row.lists_state),
    ]


def stored_verdict(row: ScreeningAuditRow) -> str:
    if row.lists_state is None:
        return row.top_band
    return verdict(row.top_band, ListsStatus(state=row.lists_state))


def _text(value: object) -> str:
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
