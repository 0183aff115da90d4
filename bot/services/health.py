"""`/healthz`: whether this replica can serve, answered from a short-lived cache.

A load balancer (or an attacker) may probe many times a second; each probe asking the
database would take a pooled connection from the threads that answer Slack. The
database is asked at most once per `max_age` seconds, by one caller at a time; the
others get the last answer.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine

from storage.health import ping

log = logging.getLogger(__name__)


class HealthProbe:
    def __init__(
        self,
        engine: Engine,
        *,
        scheduler_running: Callable[[], bool],
        is_leader: Callable[[], bool],
        max_age: float = 1.0,
    ) -> None:
        self._engine = engine
        self._scheduler_running = scheduler_running
        self._is_leader = is_leader
        self._max_age = max_age
        self._lock = threading.Lock()
        self._checked_at = float("-inf")
        self._database = False

    def __call__(self) -> dict[str, Any]:
        database = self._database_ok()
        scheduler = self._scheduler_running()
        return {
            "ok": database and scheduler,
            "database": database,
            "scheduler": scheduler,
            # What this replica holds now; a probe must not try to take the role.
            "leader": self._is_leader(),
        }

    def _database_ok(self) -> bool:
        if time.monotonic() - self._checked_at < self._max_age:
            return self._database
        # One prober asks; the rest answer with the last result rather than queue up
        # (before the first answer there is none to give, so they wait for it).
        first = self._checked_at == float("-inf")
        if not self._lock.acquire(blocking=first):
            return self._database
        if time.monotonic() - self._checked_at < self._max_age:  # answered while we waited
            self._lock.release()
            return self._database
        try:
            self._database = self._ping()
            self._checked_at = time.monotonic()
        finally:
            self._lock.release()
        return self._database

    def _ping(self) -> bool:
        try:
            ping(self._engine)
        except Exception as exc:  # any database failure makes this replica unhealthy
            log.warning("health.database_down error=%s", type(exc).__name__)
            return False
        return True
