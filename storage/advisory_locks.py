"""PostgreSQL advisory locks: one per transaction, or held by a session across transactions.

PostgreSQL only; the callers skip them on SQLite, where one process runs.
"""

from __future__ import annotations

from sqlalchemy import Connection, func, select
from sqlalchemy.orm import Session


def lock_for_transaction(session: Session, key: int) -> None:
    """Wait for the advisory lock `key`; it is released when the transaction ends."""
    session.execute(select(func.pg_advisory_xact_lock(key)))


def try_lock_for_session(connection: Connection, key: int) -> bool:
    """Take the advisory lock `key` for this connection's session; True when it was free."""
    return bool(connection.execute(select(func.pg_try_advisory_lock(key))).scalar())


def unlock_for_session(connection: Connection, key: int) -> bool:
    """Release the session's advisory lock `key`; True when the session held it."""
    return bool(connection.execute(select(func.pg_advisory_unlock(key))).scalar())
