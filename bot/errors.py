"""Errors the CLI turns into one line and a non-zero exit.

    Exception
     └── UserError            bad input or environment the user can fix; exit 1
          └── settings.SettingsError is mapped here too (a ValueError)

Parse errors (`watchers.errors.ParseError`), refused snapshots
(`watchers.csl_import.SnapshotRefused`), an unreachable database
(`sqlalchemy.exc.OperationalError`) and fetch errors are mapped in `bot.cli`.
"""

from __future__ import annotations


class UserError(Exception):
    """Something the user can fix; the message says what."""


def one_line_cause(exc: BaseException) -> str:
    """`Type: first line` of what went wrong, for a log line; a database error is described
    by the driver's error it wraps (`orig`), not by SQLAlchemy's wrapper."""
    original = getattr(exc, "orig", None) or exc
    return f"{type(original).__name__}: {str(original).splitlines()[0] if str(original) else ''}"
