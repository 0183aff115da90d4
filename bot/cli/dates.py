"""`--since` for every command: one rule for reading a date or a moment a user typed."""

from __future__ import annotations

import re
from datetime import UTC, datetime, tzinfo

from bot.errors import UserError

_DAY_OR_MOMENT = re.compile(
    r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)?)?"
)


def parse_since(text: str, *, zone: tzinfo, now: datetime | None = None) -> datetime:
    """`2024-06-03` is midnight of that day in `zone` (where the reader is); an ISO moment
    with an offset is that moment, one without is read in `zone`. Returned in UTC, because
    stored times are UTC (and SQLite compares them as text). With `now`, a moment after it
    is refused: nothing has happened there yet."""
    try:
        # A day as people write it, or a full moment; not the compact forms ISO also allows.
        if not _DAY_OR_MOMENT.fullmatch(text):
            raise ValueError(text)
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise UserError(f"--since {text!r} is not a date like 2024-06-03 (YYYY-MM-DD)") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    moment = moment.astimezone(UTC)
    if now is not None and moment > now:
        raise UserError(f"--since {text} is in the future")
    return moment
