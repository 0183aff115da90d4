"""`entitywatch demo`: the embedded default, end to end, with no Slack and no internet."""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path
from typing import Any

from bot.commands.lists import render_outcome
from bot.context import CommandContext
from bot.documents import BUNDLED_SNAPSHOT, bundled_snapshot
from storage.engine import create_db_engine
from storage.migrate import upgrade
from watchers.csl_import import import_csl


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    cmd = commands.add_parser("demo", help="run the embedded demo (SQLite, bundled data)")
    cmd.add_argument(
        "--data-dir", default=None, help="where the demo database goes (default: a fresh temp dir)"
    )
    cmd.add_argument("--no-input", action="store_true", help="run without prompting; exit at end")
    cmd.set_defaults(handler=run_demo)


def run_demo(args: argparse.Namespace, ctx: CommandContext) -> int:
    folder = Path(args.data_dir or tempfile.mkdtemp(prefix="entitywatch-demo-"))
    folder.mkdir(parents=True, exist_ok=True)
    engine = create_db_engine(f"sqlite:///{folder / 'demo.db'}")
    try:
        upgrade(engine)
        print(f"demo database: {folder / 'demo.db'}")
        outcome = import_csl(
            engine,
            bundled_snapshot(),
            now=ctx.now(),
            origin=f"bundled:{BUNDLED_SNAPSHOT}",
            max_removed_share=ctx.settings.removal_guard_share,
        )
        print(render_outcome(outcome))
    finally:
        engine.dispose()
    return 0
