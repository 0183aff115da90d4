"""`entitywatch demo`: the embedded default, end to end, with no Slack account and no internet.

A fresh SQLite database, the bundled CSL snapshot, and recorded Federal Register and
press documents served by a local server and released stage by stage; the real
scheduler and watchers poll them, the real planner and sender deliver the alerts
(to the terminal, or to Slack when SLACK_BOT_TOKEN and ALERT_CHANNEL are set), then
the weekly digest, then a `/screen` prompt.
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlmodel import col

from bot.alerts.terminal import render_blocks
from bot.alerts.transport import AlertTransport, SlackTransport, TerminalTransport
from bot.context import CommandContext
from bot.demo.script import stages
from bot.demo.server import DemoServer
from bot.demo.watchlist import load_sample_watchlist, settle_monitoring
from bot.digest.data import collect_digest
from bot.digest.render import digest_text
from bot.lists_status import dating
from bot.runtime import Runtime, build_runtime
from bot.settings import Settings
from bot.slack.screen_blocks import screen_payload
from bot.wiring import sources_config
from storage.engine import create_db_engine
from storage.migrate import upgrade
from storage.models import ChangeRow, OutboxRow, SourceStateRow
from watchers.registry import build_sources
from watchers.sources.base import SourceSchedule

POLL_SECONDS = 2
STAGE_TIMEOUT = 90.0
SAMPLE_QUERIES = ("Hikvision", "AOOK Technology", "Spacety", "Siemens Aktiengesellschaft")


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    cmd = commands.add_parser("demo", help="run the embedded demo (SQLite, recorded sources)")
    cmd.add_argument(
        "--data-dir", default=None, help="where the demo database goes (default: a fresh temp dir)"
    )
    cmd.add_argument(
        "--no-input", action="store_true", help="run the script without the /screen prompt"
    )
    cmd.set_defaults(handler=run_demo)


def run_demo(args: argparse.Namespace, ctx: CommandContext) -> int:
    quiet_logs(ctx.settings)
    folder = Path(args.data_dir or tempfile.mkdtemp(prefix="entitywatch-demo-"))
    folder.mkdir(parents=True, exist_ok=True)
    database = folder / "demo.db"
    if database.exists():
        database.unlink()  # the demo always starts from nothing
    server = DemoServer()
    server.start()
    settings = demo_settings(ctx.settings, database=database, base=server.base_url)
    engine = create_db_engine(settings.database_url)
    upgrade(engine)
    sources = demo_sources(settings)
    runtime = build_runtime(
        settings, engine=engine, transport=transport_for(ctx.settings), sources=sources
    )
    say(f"entitywatch demo: database {database}; recorded sources at {server.base_url}")
    try:
        play(runtime, server, sources=len(sources))
        show_digest(runtime)
        screen_prompt(runtime, interactive=not args.no_input)
    finally:
        runtime.scheduler.shutdown(wait=True)
        server.stop()
        engine.dispose()
    return 0


def quiet_logs(settings: Settings) -> None:
    # The output is the alerts. The CLI already keeps routine logs at WARNING unless LOG_LEVEL
    # is set; APScheduler's "run skipped" warnings while a baseline import runs are noise here.
    if settings.log_level != "DEBUG":
        logging.getLogger("apscheduler").setLevel(logging.ERROR)


def say(text: str) -> None:
    print(f"\n▶ {text}", flush=True)


def demo_settings(settings: Settings, *, database: Path, base: str) -> Settings:
    channel = settings.alert_channel if settings.slack_bot_token else "#compliance"
    return settings.model_copy(
        update={
            "database_url": f"sqlite:///{database}",
            "csl_url": f"{base}/csl/consolidated.csv",
            "fr_api_url": f"{base}/api/v1/",
            "press_feeds": (f"{base}/press/feed.xml",),
            "press_pages": (),
            "alert_channel": channel,
            "alert_routes": "",
        }
    )


def transport_for(settings: Settings) -> AlertTransport:
    if settings.slack_bot_token and settings.alert_channel:
        say(f"alerts go to Slack channel {settings.alert_channel}")
        return SlackTransport.create(
            token=settings.slack_bot_token.get_secret_value(), base_url=settings.slack_api_url
        )
    return TerminalTransport(out=sys.stdout)


def demo_sources(settings: Settings) -> list[Any]:
    sources = build_sources(sources_config(settings))
    for source in sources:
        # Poll every two seconds, in step, so that each stage is seen promptly.
        source.schedule = SourceSchedule(interval_seconds=POLL_SECONDS, jitter_seconds=0)
    return sources


def play(runtime: Runtime, server: DemoServer, *, sources: int) -> None:
    runtime.scheduler.start()
    for number, stage in enumerate(stages(server.base_url), start=1):
        say(f"{number}. {stage.title}")
        started = datetime.now(UTC)
        for path, (body, content_type) in stage.documents.items():
            server.publish(path, body, content_type)
        wait_for_polls(runtime, since=started, sources=sources)
        if number == 1:
            # After the baseline, so the counterparties are screened against loaded lists.
            say(load_sample_watchlist(runtime.engine))
        settle_monitoring(runtime)
        runtime.sender.drain()


def wait_for_polls(runtime: Runtime, *, since: datetime, sources: int) -> None:
    """Until every source has polled once after `since` and every change is planned and sent."""
    deadline = time.monotonic() + STAGE_TIMEOUT
    while time.monotonic() < deadline:
        with Session(runtime.engine) as session:
            polled = session.scalar(
                select(func.count()).where(col(SourceStateRow.last_attempt_at) >= since)
            )
            pending = session.scalar(select(func.count()).where(col(OutboxRow.status) == "pending"))
            # A poll thread that found another's delivery round running leaves its changes
            # to the next round: they are not in the outbox yet, but the stage is not over.
            unplanned = session.scalar(
                select(func.count()).where(col(ChangeRow.alert_planned).is_(False))
            )
        if (polled or 0) >= sources and not pending and not unplanned:
            return
        time.sleep(0.25)
    say("(a source did not answer in time; going on)")


def show_digest(runtime: Runtime) -> None:
    say("The weekly digest, as posted on Monday mornings")
    now = datetime.now(UTC)
    with Session(runtime.engine) as session:
        digest = collect_digest(
            session, since=now - timedelta(days=7), until=now + timedelta(seconds=1)
        )
    print(digest_text(digest), flush=True)


def screen_prompt(runtime: Runtime, *, interactive: bool) -> None:
    runtime.screening.refresh()
    lists = runtime.screening.lists_status()
    if not lists.can_clear:
        say(
            f"Screening: the demo's lists are recorded ones ({dating(lists)}). Hits are real, "
            "but no name can be cleared: the answers say so."
        )
    if not interactive:
        for query in SAMPLE_QUERIES:
            show_screen(runtime, query)
        return
    say("Type /screen NAME (or just a name); an empty line ends the demo.")
    while True:
        try:
            line = input("/screen ").strip()
        except EOFError:
            break
        query = line.removeprefix("/screen").strip()
        if not query:
            break
        show_screen(runtime, query)


def show_screen(runtime: Runtime, query: str) -> None:
    outcome = runtime.screening.screen(query, origin="cli", user_name="demo", limit=5)
    payload = screen_payload(
        query=query,
        results=[r.as_dict() for r in outcome.results],
        error=outcome.error,
        omitted=outcome.omitted,
        lists=outcome.lists,
    )
    print(f"\n$ /screen {query}")
    print(render_blocks(payload["blocks"], fallback=payload["text"]), flush=True)
