"""Which replica runs the scheduler: a leader row with an epoch and a heartbeat.

Every replica calls `tick()` every `beat` seconds (a quarter of LEADER_STALE_AFTER,
at most 3 s). The leader renews its heartbeat; the others watch the row.
A follower takes over (bumps the epoch, storage.leadership.take_over) when either

- the row did not move since its last look and it gets the PostgreSQL advisory
  lock: the leader holds that lock on its own session while healthy, so getting
  it means the leader's session is gone (it died, `kill -9`, or lost its
  connection): the fast path, one or two beats; or
- it has seen the row unchanged for LEADER_STALE_AFTER by its own clock: the
  leader is alive but stuck (frozen, starved, cut off). A frozen process keeps
  its session and so the lock; the takeover does not need the lock, only the
  epoch. Judging staleness by "unchanged since I first saw it" on the follower's
  own monotonic clock makes it immune to clock skew between hosts.

The deposed leader cannot write afterwards: its jobs write through
`fenced(engine, fence)`, whose transactions check the epoch first (see
storage.leadership), and it stops believing it leads once its own heartbeat is
older than LEADER_STALE_AFTER or a renewal finds the epoch moved. On SQLite there
is one process, the lock is always "free", and the same path elects it at once.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from bot.errors import one_line_cause
from storage.advisory_locks import key_in_schema, try_lock_for_session, unlock_for_session
from storage.leadership import (
    Fence,
    LeaderState,
    fence_holders,
    fenced,
    limit_lock_wait,
    read_leader,
    renew,
    take_over,
    terminate,
)

log = logging.getLogger(__name__)

# The leader's advisory lock, named; its key also depends on the database and schema.
LOCK_NAME = "entitywatch.leader"
MAX_BEAT_SECONDS = 3.0
# A takeover waits 3 s for a frozen leader's fenced transactions, then ends them.
DELIVERY_LOCK_WAIT = "10s"


def default_holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


class Leadership:
    def __init__(
        self,
        engine: Engine,
        *,
        stale_after: float,
        holder: str | None = None,
        on_elected: Callable[[], None] | None = None,
    ) -> None:
        self._engine = engine
        self._stale_after = stale_after
        self.beat = min(MAX_BEAT_SECONDS, stale_after / 4)
        self.holder = holder or default_holder()
        self.fence = Fence()
        self.on_elected = on_elected
        self._mutex = threading.Lock()
        self._ticked = False
        self._lock_connection: Connection | None = None
        self._renewed_at = float("-inf")
        self._observed: LeaderState | None = None
        self._observed_since = time.monotonic()

    @property
    def fenced_engine(self) -> Engine:
        """The engine for the leader's writes: refused once another replica has the epoch."""
        return fenced(self._engine, self.fence)

    @property
    def delivery_engine(self) -> Engine:
        """The fenced engine for alert planning and monitoring, whose transactions wait at
        most DELIVERY_LOCK_WAIT for a lock: whatever holds one (a frozen process, an
        `alerts send` stopped mid-plan) fails that round, and sending goes on."""
        return fenced(self._engine, self.fence, lock_wait=DELIVERY_LOCK_WAIT)

    @property
    def holds(self) -> bool:
        """What this replica believes now (no database round trip)."""
        fresh = time.monotonic() - self._renewed_at < self._stale_after
        return self.fence.epoch is not None and fresh

    def is_leader(self) -> bool:
        if not self._ticked:  # asked before the first beat (a job run by hand): look now
            self.tick()
        # A heartbeat older than the takeover delay: another replica may lead by now.
        return self.holds

    def tick(self) -> None:
        """Renew (leader) or watch and maybe take over (follower). Never raises."""
        with self._mutex:
            self._ticked = True
            try:
                if self.fence.epoch is not None:
                    self._renew()
                else:
                    self._watch()
            except SQLAlchemyError as exc:  # the database is away: try again next beat
                log.warning("leader.tick_failed error=%s", one_line_cause(exc))
                self._close_lock_connection()

    def _renew(self) -> None:
        epoch = self.fence.epoch
        assert epoch is not None
        with self._engine.connect() as connection:
            ours = renew(connection, epoch=epoch, holder=self.holder, now=datetime.now(UTC))
        if not ours:
            log.warning("leader.lost epoch=%d reason=superseded", epoch)
            self.fence.epoch = None
            self._release_lock()
            return
        self._renewed_at = time.monotonic()
        # After a takeover by staleness the frozen one held the lock; take it when free.
        self._try_lock()

    def _watch(self) -> None:
        with self._engine.connect() as connection:
            seen = read_leader(connection)
            connection.rollback()
        # The lock alone is not enough: after a takeover by staleness the new leader may
        # not hold it yet, and a woken leader that just let it go would take it back.
        # A leader that is alive moves the row every beat; one that stopped does not.
        stopped = seen == self._observed
        stale = self._stale(seen)
        if not stale and not (stopped and self._try_lock()):
            self._release_lock()  # holding it while another leads would hide its death
            return
        via = "stale" if stale else "lock"
        epoch = self._take_over(seen, terminate_holders=stale)
        if epoch is None:
            self._release_lock()
            return
        self.fence.epoch = epoch
        self._renewed_at = time.monotonic()
        previous = seen.holder if seen else "none"
        log.info("leader.elected epoch=%d via=%s previous=%s", epoch, via, previous)
        if self.on_elected is not None:
            self.on_elected()

    def _stale(self, seen: LeaderState | None) -> bool:
        if seen != self._observed:
            self._observed, self._observed_since = seen, time.monotonic()
            return False
        return time.monotonic() - self._observed_since >= self._stale_after

    def _take_over(self, seen: LeaderState | None, *, terminate_holders: bool) -> int | None:
        with self._engine.connect() as connection:
            postgres = connection.dialect.name == "postgresql"
            try:
                # Wait 3 s at most for the old leader's open fenced transactions.
                if postgres:
                    limit_lock_wait(connection, "3s")
                return take_over(connection, seen=seen, holder=self.holder, now=datetime.now(UTC))
            except OperationalError:
                # A transaction of the stale leader checked the old epoch and never ended
                # (frozen mid-write). It cannot commit anything useful now: end it.
                connection.rollback()
                if not (postgres and terminate_holders):
                    raise
                pids = fence_holders(connection)
                log.warning("leader.ending_stale_transactions count=%d", len(pids))
                terminate(connection, pids)
                return take_over(connection, seen=seen, holder=self.holder, now=datetime.now(UTC))

    def _try_lock(self) -> bool:
        """PostgreSQL: hold the advisory lock on our own session. SQLite: one process."""
        if self._engine.dialect.name != "postgresql":
            return True
        if self._lock_connection is not None:
            return True
        connection = self._engine.connect()
        try:
            got = try_lock_for_session(connection, key_in_schema(connection, LOCK_NAME))
            connection.commit()
        except SQLAlchemyError:
            connection.close()
            raise
        if got:
            self._lock_connection = connection
        else:
            connection.close()
        return got

    def _release_lock(self) -> None:
        if self._lock_connection is None:
            return
        try:
            unlock_for_session(
                self._lock_connection, key_in_schema(self._lock_connection, LOCK_NAME)
            )
            self._lock_connection.commit()
        except SQLAlchemyError as exc:  # a dead session released it already
            log.debug("leader.unlock_failed error=%s", one_line_cause(exc))
        self._close_lock_connection()

    def _close_lock_connection(self) -> None:
        if self._lock_connection is not None:
            try:
                self._lock_connection.close()
            except SQLAlchemyError:  # closing a dead connection can fail; nothing is lost
                log.debug("leader.close_failed", exc_info=True)
            self._lock_connection = None

    def release(self) -> None:
        """On shutdown: stop leading and free the lock, so a replica takes over at once."""
        with self._mutex:
            self.fence.epoch = None
            self._release_lock()
