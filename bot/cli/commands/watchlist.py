"""`entitywatch watchlist import|list|export`: the company's counterparties.

`import FILE.csv --name-column NAME [--id-column ID] [--country-column C]
[--address-column A] [--tag-column T] [--replace]` upserts by external id and then
screens the added and changed counterparties against every list (their alerts
go through the outbox like every other alert).
"""

from __future__ import annotations

import argparse
import csv
import getpass
from typing import Any

from sqlalchemy.orm import Session

from bot.app import AppRoot
from bot.cli.output.screening import open_csv_output
from bot.errors import UserError
from bot.services.monitoring.csv_rows import Columns, WatchlistFileError
from bot.services.monitoring.importer import ImportReport, import_watchlist
from bot.services.monitoring.planning import neutralised
from storage.watchlist import count_active, iter_active

EXPORT_COLUMNS = ("external_id", "name", "country", "address", "tag", "added_by", "added_at")
SHOWN_REFUSALS = 20


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    watch = commands.add_parser("watchlist", help="counterparties to monitor", parents=[common])
    actions = watch.add_subparsers(dest="watchlist_command", required=True, metavar="ACTION")
    imp = actions.add_parser(
        "import", help="add or update counterparties from a CSV file", parents=[common]
    )
    imp.add_argument("file", metavar="FILE.csv")
    imp.add_argument("--name-column", required=True, metavar="NAME")
    imp.add_argument(
        "--id-column",
        default=None,
        metavar="ID",
        help="default: an id derived from the normalized name",
    )
    imp.add_argument("--country-column", default=None, metavar="C")
    imp.add_argument("--address-column", default=None, metavar="A")
    imp.add_argument("--tag-column", default=None, metavar="T", help="owner or tag")
    imp.add_argument(
        "--replace", action="store_true", help="retire counterparties that are not in the file"
    )
    imp.set_defaults(handler=run_import)
    lst = actions.add_parser("list", help="show the active counterparties", parents=[common])
    lst.add_argument("--limit", type=int, default=50)
    lst.set_defaults(handler=run_list)
    export = actions.add_parser("export", help="write the watchlist as CSV", parents=[common])
    export.add_argument("--out", required=True, metavar="FILE.csv", help="'-' for standard output")
    export.set_defaults(handler=run_export)


def run_import(args: argparse.Namespace, ctx: AppRoot) -> int:
    columns = Columns(
        name=args.name_column,
        id=args.id_column,
        country=args.country_column,
        address=args.address_column,
        tag=args.tag_column,
    )
    engine = ctx.migrated_engine()
    try:
        with open(args.file, "rb") as stream:
            report = import_watchlist(
                engine,
                stream,
                columns=columns,
                added_by=f"cli:{getpass.getuser()}",
                now=ctx.now(),
                replace=args.replace,
                say=print,
            )
    except OSError as exc:
        raise UserError(f"cannot read {args.file}: {exc.strerror}") from None
    except WatchlistFileError as exc:
        raise UserError(f"{args.file}: {exc}") from None
    print(render_report(report))
    screened, hits = ctx.monitoring().screen_unscreened()
    print(f"screened {screened:,} counterparties against every list: {hits} possible matches")
    return 0


def render_report(report: ImportReport) -> str:
    lines = [
        f"watchlist: {report.added:,} added, {report.changed:,} changed, "
        f"{report.unchanged:,} unchanged, {report.retired:,} retired, "
        f"{report.refused_count:,} refused"
    ]
    for refusal in report.refused[:SHOWN_REFUSALS]:
        lines.append(f"  line {refusal.line}: {refusal.reason}")
    if report.refused_count > SHOWN_REFUSALS:
        lines.append(f"  ... and {report.refused_count - SHOWN_REFUSALS:,} more refused lines")
    return "\n".join(lines)


def run_list(args: argparse.Namespace, ctx: AppRoot) -> int:
    with Session(ctx.migrated_engine()) as session:
        total = count_active(session)
        print(f"{total:,} active counterparties")
        for number, row in enumerate(iter_active(session)):
            if number >= args.limit:
                print(f"  ... and {total - args.limit:,} more (watchlist export for all)")
                break
            where = f" · {row.country}" if row.country else ""
            tag = f" · {row.tag}" if row.tag else ""
            print(f"  {row.external_id}  {row.name}{where}{tag}")
    return 0


def run_export(args: argparse.Namespace, ctx: AppRoot) -> int:
    count = 0
    with open_csv_output(args.out) as out, Session(ctx.migrated_engine()) as session:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(EXPORT_COLUMNS)
        for row in iter_active(session):
            cells = [
                row.external_id,
                row.name,
                row.country,
                row.address,
                row.tag,
                row.added_by,
                row.added_at.isoformat(),
            ]
            writer.writerow([neutralised(c or "") for c in cells])
            count += 1
    if args.out != "-":
        print(f"wrote {count:,} counterparties to {args.out}")
    return 0
