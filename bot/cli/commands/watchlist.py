"""`entitywatch watchlist import|list|export|hits|resolve`: the company's counterparties.

`import FILE.csv --name-column NAME [--id-column ID] [--country-column C]
[--address-column A] [--tag-column T] [--replace [--force]]` upserts by external id
and then screens the added and changed counterparties against every list (their
alerts go through the outbox like every other alert). Refused lines, or a
`--replace` that retired nothing, exit 1 after the report. `hits` and `resolve`
live in `watchlist_hits`.
"""

from __future__ import annotations

import argparse
import getpass
from typing import Any

from sqlalchemy.orm import Session

from bot.app import AppRoot
from bot.cli.commands import affiliates, watchlist_hits
from bot.cli.output.import_refusals import fail_if_incomplete, refusal_lines
from bot.cli.output.screening import export_csv
from bot.cli.output.terminal_text import visible
from bot.errors import UserError
from bot.services.monitoring.csv_rows import Columns, WatchlistFileError
from bot.services.monitoring.importer import (
    RETIRE_GUARD_SHARE,
    ImportReport,
    ReplaceRefused,
    import_watchlist,
)
from screening.display import controls_shown
from storage.models import WatchlistRow
from storage.watchlist import count_active, iter_active

EXPORT_COLUMNS = ("external_id", "name", "country", "address", "tag", "added_by", "added_at")


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
    imp.add_argument(
        "--force",
        action="store_true",
        # argparse formats help with %: the percent sign is doubled.
        help=f"with --replace: retire more than {RETIRE_GUARD_SHARE:.0%}% of the watchlist",
    )
    imp.set_defaults(handler=run_import)
    lst = actions.add_parser("list", help="show the active counterparties", parents=[common])
    lst.add_argument("--limit", type=int, default=50)
    lst.set_defaults(handler=run_list)
    export = actions.add_parser("export", help="write the watchlist as CSV", parents=[common])
    export.add_argument("--out", required=True, metavar="FILE.csv", help="'-' for standard output")
    export.add_argument("--force", action="store_true", help="overwrite an existing --out file")
    export.set_defaults(handler=run_export)
    watchlist_hits.register(actions, common)
    affiliates.register(actions, common)


def run_import(args: argparse.Namespace, ctx: AppRoot) -> int:
    columns = Columns(
        name=args.name_column,
        id=args.id_column,
        country=args.country_column,
        address=args.address_column,
        tag=args.tag_column,
    )
    if args.force and not args.replace:
        raise UserError("--force only matters with --replace")
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
                force=args.force,
                say=print,
            )
    except OSError as exc:
        raise UserError(f"cannot read {args.file}: {exc.strerror}") from None
    except WatchlistFileError as exc:
        raise UserError(f"{args.file} {exc}") from None
    except ReplaceRefused as exc:
        raise UserError(f"{args.file}: {exc}") from None
    print(render_report(report, source=args.file))
    screened, hits = ctx.monitoring().screen_unscreened()
    print(f"screened {screened:,} counterparties against every list: {hits} possible matches")
    _fail_if_incomplete(report, source=args.file)
    return 0


def render_report(report: ImportReport, *, source: str) -> str:
    lines = [f"read {source} as {report.note}"] if report.note else []
    lines.append(
        f"watchlist: {report.added:,} added, {report.changed:,} changed, "
        f"{report.unchanged:,} unchanged, {report.retired:,} retired, "
        f"{report.refused_count:,} refused"
    )
    lines += refusal_lines(report.refused, count=report.refused_count)
    if report.not_retired:
        lines.append(f"--replace: {report.not_retired}")
    return "\n".join(lines)


def _fail_if_incomplete(report: ImportReport, *, source: str) -> None:
    skipped = "--replace retired nothing" if report.not_retired else None
    fail_if_incomplete(refused=report.refused_count, replace_skipped=skipped, source=source)


def run_list(args: argparse.Namespace, ctx: AppRoot) -> int:
    with Session(ctx.migrated_engine()) as session:
        total = count_active(session)
        print(f"{total:,} active counterparties")
        for number, row in enumerate(iter_active(session)):
            if number >= args.limit:
                print(f"  ... and {total - args.limit:,} more (watchlist export for all)")
                break
            where = f" · {visible(row.country)}" if row.country else ""
            tag = f" · {visible(row.tag)}" if row.tag else ""
            print(f"  {visible(row.external_id)}  {visible(controls_shown(row.name))}{where}{tag}")
    return 0


def run_export(args: argparse.Namespace, ctx: AppRoot) -> int:
    with Session(ctx.migrated_engine()) as session:
        export_csv(
            args.out,
            force=args.force,
            header=EXPORT_COLUMNS,
            rows=lambda: (_counterparty_cells(r) for r in iter_active(session)),
            noun="counterparties",
        )
    return 0


def _counterparty_cells(row: WatchlistRow) -> list[str | None]:
    added = row.added_at.isoformat()
    return [row.external_id, row.name, row.country, row.address, row.tag, row.added_by, added]
