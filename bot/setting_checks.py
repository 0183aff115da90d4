"""Checks of setting values that pydantic's types cannot express, as pure functions.

Each takes the raw value and returns it (possibly normalised) or raises
`ValueError` with a message a person can act on; `bot.settings` adds the name of
the variable. They run when the process starts, so that a typo stops it at once
instead of at the first poll, the first alert or the first digest.
"""

from __future__ import annotations

from apscheduler.triggers.cron import CronTrigger
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

# The sources' URLs are checked in watchers, where the kinds declare them; the Slack API's
# URL is held to the same rule, so one check serves both.
from watchers.kind_settings import http_url as http_url

# The databases entitywatch is built and tested for.
DATABASE_BACKENDS = ("sqlite", "postgresql")


def cron_days(value: str) -> str:
    """Day-of-week in cron syntax, exactly as the digest's CronTrigger will read it."""
    try:
        CronTrigger(day_of_week=value)
    except ValueError as exc:
        raise ValueError(
            f"{value!r} is not a day of the week in cron syntax ({exc}); "
            "use e.g. mon, mon-fri or mon,thu"
        ) from None
    return value


def database_url(value: str) -> str:
    """A SQLAlchemy URL of a backend entitywatch supports (its driver need not be loaded)."""
    try:
        parsed = make_url(value)
        backend = parsed.get_backend_name()
    except ArgumentError:
        raise ValueError(
            "not a database URL; use sqlite:///PATH or postgresql://user@host/db"
        ) from None
    if parsed.drivername == "postgres":  # an old spelling operators paste; the engine maps it
        return value
    if backend not in DATABASE_BACKENDS:
        raise ValueError(
            f"{backend!r} databases are not supported; use sqlite:///PATH "
            "or postgresql://user@host/db"
        )
    try:
        parsed.get_dialect()
    except NoSuchModuleError:
        raise ValueError(f"unknown database driver {parsed.drivername!r}") from None
    return value


# The longest wait a seconds setting may ask for: a day. These values arm timers (socket
# timeouts, the fetch's deadline), which fail on waits beyond the platform's limit, and no
# fetch is worth waiting longer for.
MAX_SECONDS = 86_400


def positive_seconds(value: object) -> float:
    """A number of seconds above zero and at most a day ("600", "2.5")."""
    try:
        seconds = float(str(value).strip())
    except ValueError:
        raise ValueError(f"{value!r} is not a number of seconds; use e.g. 600") from None
    if not 0 < seconds <= MAX_SECONDS:  # NaN and infinity too
        raise ValueError(
            f"{value!r} must be a number of seconds above 0 and at most {MAX_SECONDS} "
            "(a day), e.g. 600"
        )
    return seconds


def whole_days(value: object) -> int:
    """A whole number of days, 1 or more ("30")."""
    text = str(value).strip()
    if not text.isdecimal() or int(text) < 1:
        raise ValueError(f"{value!r} is not a whole number of days, 1 or more; use e.g. 30")
    return int(text)
