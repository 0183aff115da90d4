"""`entitywatch sources check`: what each configured source answers, and what to do about it.

One line per source: verdict and diagnosis first (what a person acts on), then what
was answered (status, content type, items, newest item date), the last success
recorded in the database, and the address asked. Exits 1 when any source is unusable.

`entitywatch sources settings`: each source kind's settings, their values and meaning.
"""

from __future__ import annotations

import argparse
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.app import AppRoot
from bot.cli.output.source_settings import settings_lines
from bot.errors import UserError
from storage.source_state import SourceState, all_source_states
from watchers.registry import UnknownSource
from watchers.source_check import SourceCheck, check_source


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
    checks = [check_source(source, fetcher=ctx.fetcher) for source in sources]
    for check in checks:
        print(check_line(check, states.get(check.source)), flush=True)
    return 0 if all(c.diagnosis.usable for c in checks) else 1


def check_line(check: SourceCheck, state: SourceState | None) -> str:
    verdict = "ok" if check.diagnosis.usable else "UNUSABLE"
    answer = check.answer
    answered = (
        f"answered {answer.status} {answer.content_type.split(';')[0] or '-'}"
        if answer.status is not None
        else f"no answer ({answer.failure})"
    )
    items = "-" if answer.items is None else str(answer.items)
    newest = check.newest.isoformat() if check.newest else "-"
    last = _when(state.last_success_at) if state else "never"
    return (
        f"{check.source}: {verdict}: {check.diagnosis.text} | {answered}; "
        f"items {items}; newest {newest}; last success {last} | {check.url}"
    )


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else "never"
