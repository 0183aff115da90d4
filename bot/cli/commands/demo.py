"""`entitywatch demo`: the embedded default, end to end, with no Slack account and no internet.

A fresh SQLite database, the bundled CSL snapshot, and recorded Federal Register and
press documents served by a local server and released stage by stage; the real
scheduler and watchers poll them, the real planner and sender deliver the alerts
(to the terminal, or to Slack when SLACK_BOT_TOKEN and ALERT_CHANNEL are set), then
the weekly digest, then a `/screen` prompt.

The transcript is the same on every run apart from times and the local port:
alerts are planned and sent by the demo itself, once every source has polled a
stage, so a stage's replies are always printed before the next stage's header.
The database lives in a temporary folder that is deleted at the end (Ctrl-C
included) unless `--data-dir` names one to keep.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from bot.app import AppRoot
from bot.cli.output.blocks_text import render_blocks
from bot.demo.script import stages
from bot.demo.server import DemoServer
from bot.demo.terminal import BOLD, DemoTerminal, Palette, wants_colour
from bot.demo.watchlist import load_sample_ownership, load_sample_watchlist
from bot.routing import Routing
from bot.runtime import Runtime, build_runtime
from bot.services.alerts.planner import plan_alerts
from bot.services.alerts.transport import AlertTransport
from bot.services.digest.data import collect_digest
from bot.services.lists_status import dating
from bot.settings import Settings
from bot.slack.blocks.alerts import BlockKitAlertMessages
from bot.slack.blocks.digest import digest_text
from bot.slack.blocks.screen import screen_payload
from bot.slack.client import bot_client
from bot.slack.transport import SlackTransport
from storage.engine import create_db_engine
from storage.migrate import upgrade
from storage.source_state import sources_polled_since
from watchers.kind_settings import SourcesConfig
from watchers.registry import build_sources
from watchers.source import SourceSchedule

# Set by Ctrl-C. The KeyboardInterrupt it raises can land inside library code that
# catches BaseException (connection pools, thread joins); the demo's loops check this too.
INTERRUPTED = threading.Event()

POLL_SECONDS = 2
STAGE_TIMEOUT = 90.0
SAMPLE_QUERIES = ("Hikvision", "AOOK Technology", "Spacety", "Siemens Aktiengesellschaft")


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    cmd = commands.add_parser("demo", help="run the embedded demo (SQLite, recorded sources)")
    cmd.add_argument(
        "--data-dir",
        default=None,
        help="keep the demo database in DIR (default: a temporary folder, deleted at the end)",
    )
    cmd.add_argument(
        "--no-input", action="store_true", help="run the script without the /screen prompt"
    )
    cmd.set_defaults(handler=run_demo)


def _interrupt(signum: int, frame: object) -> None:
    INTERRUPTED.set()
    raise KeyboardInterrupt


def check_interrupted() -> None:
    if INTERRUPTED.is_set():
        raise KeyboardInterrupt


def run_demo(args: argparse.Namespace, ctx: AppRoot) -> int:
    quiet_logs(ctx.settings)
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, _interrupt)
    terminal = DemoTerminal(out=sys.stdout, palette=Palette(colour=wants_colour(sys.stdout)))
    with demo_folder(args.data_dir) as folder:
        database = folder / "demo.db"
        if database.exists():
            database.unlink()  # the demo always starts from nothing
        server = DemoServer()
        server.start()
        settings = demo_settings(ctx.settings, database=database)
        sources_config = demo_sources_config(ctx.sources_config, base=server.base_url)
        engine = create_db_engine(settings.database_url)
        try:
            upgrade(engine)
            sources = demo_sources(sources_config)
            # The demo's own root: its sources point at the local server, its database is a
            # temporary one; the Slack choice is the user's (ctx.settings).
            root = AppRoot(settings=settings, sources_config=sources_config, _engine=engine)
            runtime = build_runtime(
                root, transport=transport_for(ctx.settings, terminal), sources=sources
            )
            where = f"in {folder}" if args.data_dir else "in a temporary folder, deleted at the end"
            terminal.say(f"entitywatch demo: a fresh SQLite database {where}")
            try:
                play(runtime, server, terminal=terminal, sources=len(sources))
                show_digest(runtime, terminal)
                screen_prompt(runtime, terminal, interactive=not args.no_input)
            finally:
                runtime.scheduler.shutdown(wait=True)
        finally:
            server.stop()
            engine.dispose()
    return 0


@contextlib.contextmanager
def demo_folder(data_dir: str | None) -> Iterator[Path]:
    """`data_dir` (kept), else a temporary folder removed on the way out, however it ends."""
    if data_dir:
        folder = Path(data_dir)
        folder.mkdir(parents=True, exist_ok=True)
        yield folder
        return
    with tempfile.TemporaryDirectory(
        prefix="entitywatch-demo-", ignore_cleanup_errors=True
    ) as name:
        yield Path(name)


def quiet_logs(settings: Settings) -> None:
    # The output is the alerts. The CLI already keeps routine logs at WARNING unless LOG_LEVEL
    # is set; APScheduler's "run skipped" warnings while a baseline import runs are noise here.
    if settings.log_level != "DEBUG":
        logging.getLogger("apscheduler").setLevel(logging.ERROR)


def demo_settings(settings: Settings, *, database: Path) -> Settings:
    channel = settings.alert_channel if settings.slack_bot_token else "#compliance"
    return settings.model_copy(
        update={
            "database_url": f"sqlite:///{database}",
            "alert_channel": channel,
            "alert_routes": "",
        }
    )


def demo_sources_config(config: SourcesConfig, *, base: str) -> SourcesConfig:
    """The user's source settings, with every address the demo serves pointed at its server."""
    return config.replace(
        csl_url=f"{base}/csl/consolidated.csv",
        fr_api_url=f"{base}/api/v1/",
        press_feeds=(f"{base}/press/feed.xml",),
        press_pages=(),
    )


def transport_for(settings: Settings, terminal: DemoTerminal) -> AlertTransport:
    if settings.slack_bot_token and settings.alert_channel:
        terminal.say(f"alerts go to Slack channel {settings.alert_channel}")
        return SlackTransport(client=bot_client(settings, for_delivery=True))
    return terminal


# Kinds the demo leaves out: it has no recorded eCFR to serve, and must not reach the internet.
OFFLINE_KINDS = ("ecfr", "ecfr_text")


def demo_sources(config: SourcesConfig) -> list[Any]:
    sources = [s for s in build_sources(config) if s.name.split(":", 1)[0] not in OFFLINE_KINDS]
    for source in sources:
        # Poll every two seconds, in step, so that each stage is seen promptly.
        source.schedule = SourceSchedule(interval_seconds=POLL_SECONDS, jitter_seconds=0)
    return sources


def play(runtime: Runtime, server: DemoServer, *, terminal: DemoTerminal, sources: int) -> None:
    # The scheduler's own alert rounds (after a poll, every few seconds) would print a stage's
    # alerts while other sources are still polling it, in a different order on every run.
    # The demo plans and sends them itself, once the stage is complete: the runtime is left
    # with nowhere to send, and its alerts job is removed.
    routing = runtime.routing
    runtime.routing = Routing(default_channel=None)
    runtime.deliver_after_polls = False
    runtime.scheduler.remove_job("alerts")
    runtime.scheduler.remove_job("reconcile")
    for number, stage in enumerate(stages(server.base_url), start=1):
        check_interrupted()
        terminal.say(f"{number}. {stage.title}")
        for path, (body, content_type) in stage.documents.items():
            server.publish(path, body, content_type)
        if number == 1:
            # Only now: a poll before the first documents are served would get a 404.
            runtime.scheduler.start()
        # Taken after publishing: a poll that started earlier may have read the old documents.
        published = datetime.now(UTC)
        # The next scheduled polls would come within POLL_SECONDS; asking for them now keeps
        # each stage as short as its polls (a poll still running is waited for all the same).
        runtime.poll_now()
        wait_for_polls(runtime, since=published, sources=sources, terminal=terminal)
        if number == 1:
            # After the baseline, so the counterparties are screened against loaded lists.
            terminal.say(load_sample_watchlist(runtime.engine))
            if runtime.ownership is not None:
                terminal.say(load_sample_ownership(runtime.engine, runtime.ownership))
        plan_alerts(
            runtime.engine,
            routing=routing,
            messages=BlockKitAlertMessages(),
            now=datetime.now(UTC),
        )
        # After the planner: a counterparty hit replies in the thread the rule opened.
        runtime.monitoring.run_once()
        if runtime.ownership is not None:
            runtime.ownership.run_once()
        runtime.sender.drain()
        runtime.monitoring.after_send()
    check_interrupted()


def wait_for_polls(
    runtime: Runtime, *, since: datetime, sources: int, terminal: DemoTerminal
) -> None:
    """Until every source has finished a poll that started after `since`."""
    deadline = time.monotonic() + STAGE_TIMEOUT
    while time.monotonic() < deadline:
        with Session(runtime.engine) as session:
            polled = sources_polled_since(session, since)
        if polled >= sources:
            return
        check_interrupted()
        time.sleep(0.25)
    terminal.say("(a source did not answer in time; going on)")


def show_digest(runtime: Runtime, terminal: DemoTerminal) -> None:
    check_interrupted()
    terminal.say("The weekly digest, as posted on Monday mornings")
    now = datetime.now(UTC)
    with Session(runtime.engine) as session:
        digest = collect_digest(
            session, since=now - timedelta(days=7), until=now + timedelta(seconds=1)
        )
    print(digest_text(digest), flush=True)


# What ends the prompt (and Ctrl-D): words no screening list name is made of alone.
END_WORDS = frozenset({"quit", "exit", "/quit", "/exit"})
HOW_TO_END = "`quit` or Ctrl-D ends the demo"


def screen_prompt(runtime: Runtime, terminal: DemoTerminal, *, interactive: bool) -> None:
    runtime.screening.refresh()
    lists = runtime.screening.lists_status()
    if not lists.can_clear:
        terminal.say(
            f"Screening: the demo's lists are recorded ones ({dating(lists)}). Hits are real, "
            "but no name can be cleared: the answers say so."
        )
    if not interactive:
        for query in SAMPLE_QUERIES:
            show_screen(runtime, terminal, query)
        return
    terminal.say(f"Type /screen NAME (or just a name); {HOW_TO_END}.")
    while True:
        try:
            line = input("/screen ").strip()
        except EOFError:
            print()
            break
        if line.casefold() in END_WORDS:
            break
        query = line.removeprefix("/screen").strip()
        if not query:
            # An empty line or a bare /screen is a slip, not a goodbye: ask again.
            terminal.say(f"Type a company or person name, e.g. Hikvision; {HOW_TO_END}.")
            continue
        show_screen(runtime, terminal, query)
    terminal.say("Goodbye: the demo is over. `entitywatch --help` shows what else there is.")


def show_screen(runtime: Runtime, terminal: DemoTerminal, query: str) -> None:
    outcome = runtime.screening.screen(query, origin="cli", user_name="demo", limit=5)
    payload = screen_payload(
        query=query,
        results=[r.as_dict() for r in outcome.results],
        error=outcome.error,
        omitted=outcome.omitted,
        lists=outcome.lists,
    )
    print("\n" + terminal.palette.paint(f"$ /screen {query}", BOLD))
    print(render_blocks(payload["blocks"], fallback=payload["text"]), flush=True)
