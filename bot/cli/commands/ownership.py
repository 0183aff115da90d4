"""`entitywatch ownership import|list|export`: who owns the counterparties, and how much.

`import FILE.csv --owned-column C --owner-column C --percent-column C [--owner-id-column C]
[--as-of-column C] [--source-column C] [--replace]` upserts one holding a row; refused
lines (and a `--replace` that removed nothing) exit 1 after the report. Then the
owners are screened and counterparties whose listed share crossed 50 % are alerted.
"""

from __future__ import annotations

import argparse
import getpass
from typing import Any

from sqlalchemy.orm import Session

from bot.app import AppRoot
from bot.cli.output.import_refusals import fail_if_incomplete, refusal_lines
from bot.cli.output.screening import export_csv
from bot.cli.output.terminal_text import visible
from bot.errors import UserError
from bot.services.ownership.csv_rows import OwnershipColumns, OwnershipFileError
from bot.services.ownership.importer import OwnershipImportReport, import_ownership
from storage.models import OwnershipHoldingRow
from storage.ownership import iter_holdings

EXPORT_COLUMNS = ("owned", "owner", "owner_id", "percent", "as_of", "source", "updated_at")


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    own = commands.add_parser("ownership", help="owners of counterparties", parents=[common])
    actions = own.add_subparsers(dest="ownership_command", required=True, metavar="ACTION")
    imp = actions.add_parser(
        "import", help="add or update holdings from a CSV file", parents=[common]
    )
    imp.add_argument("file", metavar="FILE.csv")
    imp.add_argument(
        "--owned-column", required=True, metavar="C", help="counterparty id or holding company name"
    )
    imp.add_argument("--owner-column", required=True, metavar="C")
    imp.add_argument("--percent-column", required=True, metavar="C", help="0-100")
    imp.add_argument("--owner-id-column", default=None, metavar="C")
    imp.add_argument("--as-of-column", default=None, metavar="C", help="YYYY-MM-DD")
    imp.add_argument("--source-column", default=None, metavar="C")
    imp.add_argument(
        "--replace", action="store_true", help="remove holdings the file does not give"
    )
    imp.set_defaults(handler=run_import)
    lst = actions.add_parser("list", help="show the recorded holdings", parents=[common])
    lst.add_argument("--limit", type=int, default=50)
    lst.set_defaults(handler=run_list)
    export = actions.add_parser("export", help="write the holdings as CSV", parents=[common])
    export.add_argument("--out", required=True, metavar="FILE.csv", help="'-' for standard output")
    export.add_argument("--force", action="store_true", help="overwrite an existing --out file")
    export.set_defaults(handler=run_export)


def run_import(args: argparse.Namespace, ctx: AppRoot) -> int:
    columns = OwnershipColumns(
        owned=args.owned_column,
        owner=args.owner_column,
        percent=args.percent_column,
        owner_id=args.owner_id_column,
        as_of=args.as_of_column,
        source=args.source_column,
    )
    try:
        with open(args.file, "rb") as stream:
            report = import_ownership(
                ctx.migrated_engine(),
                stream,
                columns=columns,
                imported_by=f"cli:{getpass.getuser()}",
                now=ctx.now(),
                replace=args.replace,
                after=ctx.crossings().after_import,
            )
    except OSError as exc:
        raise UserError(f"cannot read {args.file}: {exc.strerror}") from None
    except OwnershipFileError as exc:
        raise UserError(f"{args.file} {exc}") from None
    print(render_report(report, source=args.file))
    if report.crossings:
        parties = (
            "1 counterparty" if report.crossings == 1 else f"{report.crossings:,} counterparties"
        )
        print(f"{parties} crossed 50 % owned by listed parties: alerted")
    _fail_if_incomplete(report, source=args.file)
    return 0


def render_report(report: OwnershipImportReport, *, source: str) -> str:
    lines = [f"read {source} as {report.note}"] if report.note else []
    lines.append(
        f"ownership: {report.added:,} added, {report.changed:,} changed, "
        f"{report.unchanged:,} unchanged, {report.removed:,} removed, "
        f"{report.refused_count:,} refused"
    )
    lines += refusal_lines(report.refused, count=report.refused_count)
    for owned, total in report.over_100.items():
        lines.append(
            f"  warning: shares in {visible(owned)!r} add up to {total:g} % (over 100 %); "
            "kept, check the source"
        )
    if report.not_removed:
        lines.append(f"--replace: {report.not_removed}")
    return "\n".join(lines)


def _fail_if_incomplete(report: OwnershipImportReport, *, source: str) -> None:
    skipped = "--replace removed nothing" if report.not_removed else None
    fail_if_incomplete(refused=report.refused_count, replace_skipped=skipped, source=source)


def run_list(args: argparse.Namespace, ctx: AppRoot) -> int:
    with Session(ctx.migrated_engine()) as session:
        count = 0
        for count, row in enumerate(iter_holdings(session), start=1):
            if count > args.limit:
                print("  ... more (ownership export for all)")
                break
            as_of = f" as of {row.as_of.isoformat()}" if row.as_of else ""
            source = f" · {visible(row.source)}" if row.source else ""
            print(
                f"  {visible(row.owned_ref)} <- {visible(row.owner_name)} "
                f"{row.percent:g} %{as_of}{source}"
            )
        if count == 0:
            print("no holdings recorded (ownership import FILE.csv)")
    return 0


def run_export(args: argparse.Namespace, ctx: AppRoot) -> int:
    with Session(ctx.migrated_engine()) as session:
        export_csv(
            args.out,
            force=args.force,
            header=EXPORT_COLUMNS,
            rows=lambda: (_holding_cells(row) for row in iter_holdings(session)),
            noun="holdings",
        )
    return 0


def _holding_cells(row: OwnershipHoldingRow) -> list[str]:
    return [
        row.owned_ref,
        row.owner_name,
        row.owner_ref or "",
        f"{row.percent:g}",
        row.as_of.isoformat() if row.as_of else "",
        row.source or "",
        row.updated_at.isoformat(),
    ]
