"""`entitywatch poll [--source NAME] [--once]`: run the watchers by hand."""

from __future__ import annotations

import argparse
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from apscheduler.schedulers.blocking import BlockingScheduler

from bot.app import AppRoot
from bot.errors import UserError
from bot.services.poll_jobs import add_poll_jobs
from watchers.registry import UnknownSource
from watchers.runner import PollReport, poll_all


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    cmd = commands.add_parser(
        "poll", help="run the watchers and print what they find", parents=[common]
    )
    cmd.add_argument("--source", default=None, help="a source kind or name (default: all)")
    cmd.add_argument("--once", action="store_true", help="poll each source once and exit")
    cmd.set_defaults(handler=run_poll, long_running=True, log_level_of=_log_level)


def _log_level(args: argparse.Namespace) -> str:
    # `--once` prints one report line per source, which says all its logs would (each retry,
    # each failure); they are for LOG_LEVEL=INFO or DEBUG. Polling on keeps its INFO log.
    return "ERROR" if args.once else "INFO"


def run_poll(args: argparse.Namespace, ctx: AppRoot) -> int:
    try:
        sources = ctx.sources(only=args.source)
    except UnknownSource as exc:
        raise UserError(str(exc)) from None
    engine = ctx.migrated_engine()
    fetcher = ctx.fetcher
    if args.once:
        reports = poll_all(
            sources,
            engine=engine,
            fetcher=fetcher,
            clock=lambda: datetime.now(UTC),
            down_after=ctx.settings.source_down_after,
        )
        for report in reports:
            print(render_report(report))
        if not all(r.ok for r in reports):
            print(render_summary(reports))
            return 1
        return 0
    scheduler = BlockingScheduler(timezone=UTC)
    add_poll_jobs(
        scheduler,
        sources,
        engine=engine,
        fetcher=fetcher,
        down_after=ctx.settings.source_down_after,
        on_report=lambda r: print(render_report(r), flush=True),
    )
    print(f"polling {', '.join(s.name for s in sources)}; Ctrl-C stops", flush=True)
    scheduler.start()
    return 0


# A URL's query string (the Federal Register's is 600 characters of fields[]) says
# nothing a person needs in order to act; the host and path do.
_QUERY = re.compile(r"(https?://[^\s?()]+)\?[^\s()]*")


def render_report(report: PollReport) -> str:
    if not report.ok:
        error = _QUERY.sub(r"\1?…", report.error or "unknown error")
        lines = [f"{report.source}: FAILED {error}"]
    else:
        assert report.result is not None
        lines = [f"{report.source}: {report.result.status}"]
        lines += [f"  {change}" for change in report.result.changes]
    lines += [f"  ! {event}" for event in report.events]
    return "\n".join(lines)


def render_summary(reports: Sequence[PollReport]) -> str:
    failed = [r.source for r in reports if not r.ok]
    return (
        f"{len(reports)} source(s) polled, {len(failed)} failed ({', '.join(failed)}); "
        "LOG_LEVEL=DEBUG shows each attempt with its traceback"
    )
