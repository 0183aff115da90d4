"""PostgreSQL advisory locks: one per transaction, or held by a session across transactions.

PostgreSQL only; the callers skip them on SQLite, where one process runs.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import Connection, func, select
from sqlalchemy.orm import Session


def key_in_schema(connection: Connection, name: str) -> int:
    """A 64-bit lock key for `name` in this connection's database and schema.

    Advisory locks are shared by a whole server's database, whatever the schema: two
    deployments (or two test runs) in separate schemas of one database would otherwise
    take each other's lock.
    """
    database, schema = connection.execute(
        select(func.current_database(), func.current_schema())
    ).one()
    digest = hashlib.blake2b(f"{name}:{database}.{schema}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def lock_for_transaction(session: Session, key: int) -> None:
    """Wait for the advisory lock `key`; it is released when the transaction ends."""
    session.execute(select(func.pg_advisory_xact_lock(key)))


def try_lock_for_session(connection: Connection, key: int) -> bool:
    """Take the advisory lock `key` for this connection's session; True when it was free."""
    return bool(connection.execute(select(func.pg_try_advisory_lock(key))).scalar())


def unlock_for_session(connection: Connection, key: int) -> bool:
    """Release the session's advisory lock `key`; True when the session held it."""
    return bool(connection.execute(select(func.pg_advisory_unlock(key))).scalar())
