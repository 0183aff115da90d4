"""`entitywatch` command line: builds the parser from the command modules and maps errors.

Every command accepts `--database-url`. Errors the user can act on print one
line, `entitywatch: error: ...`, and exit 1; a usage error exits 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from importlib.metadata import PackageNotFoundError, version

from sqlalchemy.exc import DBAPIError, OperationalError

from bot.app import AppRoot
from bot.cli.commands import COMMAND_MODULES
from bot.cli.help import apply_help
from bot.cli.logging_setup import configure_logging
from bot.errors import UserError
from bot.kind_settings import load_sources_config
from bot.settings import SettingsError, load_settings
from watchers.csl.importer import SnapshotRefused
from watchers.errors import FetchError, ParseError

Handler = Callable[[argparse.Namespace, AppRoot], int]


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--database-url",
        default=argparse.SUPPRESS,
        help="SQLAlchemy URL (default: $DATABASE_URL, else a SQLite file in the user data dir)",
    )
    parser = argparse.ArgumentParser(
        prog="entitywatch",
        description="Watch US export-control screening lists, alert Slack, screen counterparties.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {package_version()}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(commands, common)
    apply_help(parser)
    return parser


def package_version() -> str:
    try:
        return version("entitywatch")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "(not installed)"


def log_level(args: argparse.Namespace, *, setting: str, explicit: bool) -> str:
    """LOG_LEVEL when it is set; else the command's own default.

    One-shot commands print their results, so their routine INFO logs would only
    clutter stderr (and the one-line errors): WARNING. Long-running commands log
    at INFO. A command may pick its level from its arguments (`poll --once`).
    """
    if explicit:
        return setting
    default = getattr(args, "log_level_of", None)
    if callable(default):
        return str(default(args))
    return "INFO" if getattr(args, "long_running", False) else "WARNING"


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler: Handler = args.handler
    try:
        settings = load_settings(database_url=getattr(args, "database_url", None))
        sources_config = load_sources_config()
    except SettingsError as exc:
        return _fail(str(exc))
    explicit = "log_level" in settings.model_fields_set
    configure_logging(log_level(args, setting=settings.log_level, explicit=explicit))
    context = AppRoot(settings=settings, sources_config=sources_config)
    try:
        return handler(args, context)
    except (UserError, SettingsError, ParseError, SnapshotRefused, FetchError) as exc:
        return _fail(str(exc))
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        return _fail(f"cannot use the database ({reason}); check DATABASE_URL / --database-url")
    except DBAPIError as exc:
        # Nothing was committed (each command writes in one transaction); say what broke.
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
        return _fail(f"the database refused the change ({reason}); nothing was stored")
    except KeyboardInterrupt:
        return 130
    finally:
        context.close()


def _fail(message: str) -> int:
    print(f"entitywatch: error: {message}", file=sys.stderr)
    return 1
