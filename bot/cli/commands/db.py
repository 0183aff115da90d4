"""`entitywatch db upgrade|current`."""

from __future__ import annotations

import argparse
from typing import Any

from bot.app import AppRoot
from storage.migrate import current_revision, head_revision, upgrade


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    db = commands.add_parser("db", help="database schema", parents=[common])
    actions = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    up = actions.add_parser("upgrade", help="create or migrate the schema", parents=[common])
    up.set_defaults(handler=run_upgrade)
    cur = actions.add_parser("current", help="show the schema revision", parents=[common])
    cur.set_defaults(handler=run_current)


def run_upgrade(_args: argparse.Namespace, ctx: AppRoot) -> int:
    upgrade(ctx.engine)
    print(f"database at revision {current_revision(ctx.engine)}")
    return 0


def run_current(_args: argparse.Namespace, ctx: AppRoot) -> int:
    current = current_revision(ctx.engine)
    head = head_revision(ctx.engine)
    state = "up to date" if current == head else f"behind head {head}"
    print(f"revision {current or '(empty)'}: {state}")
    return 0
