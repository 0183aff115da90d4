"""Engine creation and the default database location."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import platformdirs
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlmodel import create_engine

APP_NAME = "entitywatch"


def default_database_url() -> str:
    """A SQLite file in the user's data directory (created on first use)."""
    folder = Path(platformdirs.user_data_dir(APP_NAME))
    return f"sqlite:///{folder / 'entitywatch.db'}"


def normalize_url(url: str) -> str:
    """Pick the psycopg 3 driver for plain `postgresql://` URLs (what operators paste)."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def create_db_engine(url: str, *, pool_size: int = 5) -> Engine:
    """`pool_size`: PostgreSQL connections kept open; size it to the threads that use them.

    Connections past the pool (overflow) are closed when returned, so a pool smaller
    than the concurrent users opens and closes a session per request under load.
    """
    url = normalize_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    _one_line_reset_errors()
    # A few overflow connections for bursts beyond the sizing; waiting 10 s for one is
    # better than failing a request outright.
    return create_engine(
        url, pool_pre_ping=True, pool_size=pool_size, max_overflow=4, pool_timeout=10
    )


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets the /screen reader run while a poll writes; foreign keys are off by default.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class ResetErrorSummary(logging.Filter):
    """The pool's "Exception during reset" in one line, its traceback only at DEBUG.

    A session the server ended (a takeover ending a frozen leader's transaction, a
    database restart) fails its rollback when returned to the pool: expected, and
    not worth 40 lines each time.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.msg == "Exception during reset or similar":
            error = record.exc_info[1]
            first = str(error).strip().splitlines()[0] if error and str(error).strip() else ""
            record.msg = "db.connection_reset_failed error=%s: %s"
            record.args = (type(error).__name__, first)
            if not logging.getLogger("storage").isEnabledFor(logging.DEBUG):
                record.exc_info = None
                record.exc_text = None
        return True


def _one_line_reset_errors() -> None:
    pool_log = logging.getLogger("sqlalchemy.pool.impl.QueuePool")
    if not any(isinstance(f, ResetErrorSummary) for f in pool_log.filters):
        pool_log.addFilter(ResetErrorSummary())
