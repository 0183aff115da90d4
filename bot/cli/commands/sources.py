"""`entitywatch sources check`: what each configured source answers, and what to do about it.

One line per source (`bot.cli.output.source_checks`): verdict and diagnosis first (what a
person acts on), then what was answered (status, content type, items, newest item date),
the last success recorded in the database, and the address asked. Exits 1 when any
source is unusable, or stale (a press feed or listing whose newest item is older than
SOURCE_STALE_AFTER_DAYS).

`entitywatch sources settings`: each source kind's settings, their values and meaning.
"""

from __future__ import annotations

import argparse
from typing import Any

from sqlalchemy.orm import Session

from bot.app import AppRoot
from bot.cli.output.source_checks import check_line
from bot.cli.output.source_settings import settings_lines
from bot.errors import UserError
from storage.source_state import all_source_states
from watchers.registry import UnknownSource
from watchers.source_check import check_source


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    cmd = commands.add_parser("sources", help="check the configured sources")
    actions = cmd.add_subparsers(dest="sources_command", required=True, metavar="COMMAND")
    check = actions.add_parser(
        "check",
        help="ask every configured source once and diagnose its answer",
        parents=[common],
    )
    check.add_argument("--source", default=None, help="a source kind or name (default: all)")
    check.set_defaults(handler=run_check)
    settings = actions.add_parser(
        "settings",
        help="show each source kind's settings: variable, value, meaning",
        parents=[common],
    )
    settings.set_defaults(handler=run_settings)


def run_settings(args: argparse.Namespace, ctx: AppRoot) -> int:
    for line in settings_lines(ctx.sources_config):
        print(line)
    return 0


def run_check(args: argparse.Namespace, ctx: AppRoot) -> int:
    try:
        sources = ctx.sources(only=args.source)
    except UnknownSource as exc:
        raise UserError(str(exc)) from None
    with Session(ctx.migrated_engine()) as session:
        states = {s.source: s for s in all_source_states(session)}
    checks = []
    for source in sources:
        check = check_source(
            source,
            fetcher=ctx.fetcher,
            today=ctx.now().date(),
            stale_after_days=ctx.settings.source_stale_after_days,
        )
        print(check_line(check, states.get(check.source)), flush=True)
        checks.append(check)
    return 0 if all(c.diagnosis.usable and not c.stale for c in checks) else 1
