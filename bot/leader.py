"""Which replica runs the scheduler: a PostgreSQL advisory lock held on its own connection.

The lock lives as long as that session: if the leader dies or its connection
drops, PostgreSQL releases it and another replica takes over at its next try.
SQLite is the single-process embedded default, so there is always exactly one leader.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from sqlalchemy import Engine, text

log = logging.getLogger(__name__)

# Any constant 64-bit key shared by all replicas ("entitywatch" in ASCII, trimmed).
LOCK_KEY = 0x656E746974797761


class LeaderLock:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._connection: Any = None
        self._lock = threading.Lock()

    @property
    def holds(self) -> bool:
        """Whether the lock was held at the last check (no database round trip)."""
        return self._engine.dialect.name != "postgresql" or self._connection is not None

    def is_leader(self) -> bool:
        """True if this process holds (or just took) the lock."""
        if self._engine.dialect.name != "postgresql":
            return True
        with self._lock:
            if self._connection is not None and self._alive():
                return True
            self._drop()
            return self._try_acquire()

    def _try_acquire(self) -> bool:
        try:
            connection = self._engine.connect()
            acquired = bool(
                connection.execute(
                    text("SELECT pg_try_advisory_lock(:key)"), {"key": LOCK_KEY}
                ).scalar()
            )
            connection.commit()
        except Exception as exc:  # the database is away: not leader now, try again later
            log.warning("leader.acquire_failed error=%s", exc)
            return False
        if acquired:
            self._connection = connection
            log.info("leader.acquired")
        else:
            connection.close()
        return acquired

    def _alive(self) -> bool:
        try:
            self._connection.execute(text("SELECT 1"))
            self._connection.commit()
        except Exception:  # a broken connection means the lock is gone with it
            log.warning("leader.lost")
            return False
        return True

    def _drop(self) -> None:
        if self._connection is not None:
            try:
                self._connection.close()
            except Exception:  # closing a dead connection can fail; nothing is lost
                log.debug("leader.close_failed", exc_info=True)
            self._connection = None

    def release(self) -> None:
        with self._lock:
            if self._connection is not None:
                try:
                    self._connection.execute(
                        text("SELECT pg_advisory_unlock(:key)"), {"key": LOCK_KEY}
                    )
                    self._connection.commit()
                finally:
                    self._drop()
