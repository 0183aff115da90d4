"""`entitywatch rules status [--json] [--today YYYY-MM-DD]`: the dated calendar of each rule
that changes what a listing means, from storage only (no fetching)."""

from __future__ import annotations

import argparse
import json
import re
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from bot.app import AppRoot
from bot.cli.output.rules_calendar import calendars_json, render_calendars
from bot.errors import UserError
from bot.services.rules_calendar import calendars, rules_today

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    rules = commands.add_parser(
        "rules", help="the rules read and what they change", parents=[common]
    )
    actions = rules.add_subparsers(dest="rules_command", required=True, metavar="ACTION")
    status = actions.add_parser(
        "status", help="each rule's dated states and its state today", parents=[common]
    )
    status.add_argument("--json", action="store_true", help="print one JSON object")
    status.add_argument(
        "--today", metavar="YYYY-MM-DD", default=None, help="the day to tell the state of"
    )
    status.set_defaults(handler=run_status)


def run_status(args: argparse.Namespace, ctx: AppRoot) -> int:
    today = _today(args.today) if args.today else rules_today(ctx.now())
    with Session(ctx.migrated_engine()) as session:
        found = calendars(session)
    if args.json:
        print(json.dumps(calendars_json(found, today=today), sort_keys=True))
    else:
        print(render_calendars(found, today=today))
    return 0


def _today(text: str) -> date:
    try:
        if not _DAY.fullmatch(text):
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise UserError(f"--today {text!r} is not a date like 2026-11-10 (YYYY-MM-DD)") from None
