"""`entitywatch lists status [--json]`: one line per list, from storage only (no fetching)."""

from __future__ import annotations

import argparse
import json
from typing import Any

from sqlalchemy.orm import Session

from bot.app import AppRoot
from bot.cli.output.lists_overview import render_overview
from bot.services.lists_overview import load_overview


def register_status(actions: Any, common: argparse.ArgumentParser) -> None:
    status = actions.add_parser(
        "status", help="each list: source, date, entries, newest rule, lags", parents=[common]
    )
    status.add_argument("--json", action="store_true", help="print one JSON object")
    status.set_defaults(handler=run_status)


def run_status(args: argparse.Namespace, ctx: AppRoot) -> int:
    settings = ctx.settings
    with Session(ctx.migrated_engine()) as session:
        overview = load_overview(
            session,
            now=ctx.now(),
            lag_after=settings.reconcile_lag_after,
            max_age=settings.lists_max_age,
        )
    if args.json:
        print(json.dumps(overview.as_json(), sort_keys=True))
    else:
        print(render_overview(overview))
    return 0
