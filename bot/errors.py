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
