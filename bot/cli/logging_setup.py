"""How the `entitywatch` command logs: one line per event on stderr, tracebacks only
where they help.

- An expected failure (a source that cannot be fetched, a document that does not
  parse, a refused snapshot) is fully described by its log line; its traceback is
  shown only at DEBUG. An unexpected exception keeps its traceback: it is a bug.
- Libraries whose messages repeat what our own one-line errors say are kept
  quiet below DEBUG (see `_quiet_libraries`).
"""

from __future__ import annotations

import logging
import sys

from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped

from watchers.csl.importer import SnapshotRefused
from watchers.errors import FetchError, ParseError

FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"
EXPECTED_FAILURES: tuple[type[BaseException], ...] = (FetchError, ParseError, SnapshotRefused)


class OneLineFormatter(logging.Formatter):
    """Leaves out the traceback of an expected failure; the message already names it."""

    def format(self, record: logging.LogRecord) -> str:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, EXPECTED_FAILURES):
            # A copy: other handlers (pytest's, a debugger's) still see the traceback.
            record = logging.makeLogRecord(record.__dict__)
            record.exc_info, record.exc_text = None, None
        return super().format(record)


class _DropLine(logging.Filter):
    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != self.message


def configure_logging(level: str) -> None:
    """Log to stderr at `level`. Like `logging.basicConfig`, it leaves a root logger that
    already has handlers alone (an embedding program's, or pytest's when run in-process)."""
    debug = level == "DEBUG"
    root = logging.getLogger()
    if not root.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter(FORMAT) if debug else OneLineFormatter(FORMAT))
        root.addHandler(handler)
        root.setLevel(level)
    if not debug:
        _quiet_libraries()


def _quiet_libraries() -> None:
    # Alembic reports every migration check at INFO; only its warnings matter to a user.
    logging.getLogger("alembic").setLevel(logging.WARNING)
    # APScheduler logs every job run at INFO; our own poll and alert logs say what matters.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    # slack_sdk logs each failed Web API call (and each retry) before raising; every caller
    # turns the exception into our own one-line error or `alerts.*` log line, so its lines
    # would only print the same failure two or three times ahead of the useful one.
    logging.getLogger("slack_sdk.web.base_client").setLevel(logging.CRITICAL)
    # bolt reads SLACK_BOT_TOKEN from the environment even when it is handed a ready
    # WebClient (which we do, to point it at SLACK_API_URL), then warns on every start
    # that the token it found "will be unused". It is the same token; the warning is noise.
    bolt = logging.getLogger("slack_bolt.App")
    if not any(isinstance(f, _DropLine) for f in bolt.filters):
        bolt.addFilter(_DropLine(warning_client_prioritized_and_token_skipped()))
