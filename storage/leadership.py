"""The leader row and the fence that keeps a deposed leader from writing.

Leadership is the `leader` row: an epoch, bumped by every takeover with a
compare-and-swap, and a heartbeat the holder renews. Whoever holds the current
epoch may write; anyone else's writes are refused.

Fencing: the leader's jobs write through `fenced(engine, fence)`. Every session
transaction on that engine starts by reading the row `FOR KEY SHARE` and comparing
the epoch with the one this process believes it holds (`LeadershipLost` if not).
Because `epoch` is unique, bumping it is a key update, which PostgreSQL makes wait
for those share locks: once a takeover has committed, no transaction that checked
the old epoch can still commit, and every later one fails the check. The heartbeat
only changes `heartbeat_at` and does not wait for them. On SQLite the check reads
inside the transaction, and a write after another process's commit fails with
"database is locked" rather than commit on a stale read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Engine, event, func, insert, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, SessionTransaction
from sqlmodel import col

from storage.models import LeaderRow

SCHEDULER = "scheduler"
FENCE_OPTION = "entitywatch_leader_fence"
LOCK_WAIT_OPTION = "entitywatch_lock_wait"


class LeadershipLost(RuntimeError):
    """This process wrote (or was about to) as leader, but another holds the epoch now."""


@dataclass
class Fence:
    """The epoch this process believes it holds (None: not leader). Set by the election."""

    epoch: int | None = None
    role: str = SCHEDULER


@dataclass(frozen=True, slots=True)
class LeaderState:
    epoch: int
    holder: str
    heartbeat_at: datetime


def fenced(engine: Engine, fence: Fence, *, lock_wait: str | None = None) -> Engine:
    """The same engine (and pool) whose session transactions check `fence` first; with
    `lock_wait` ("10s"), on PostgreSQL each of them waits at most that long for a lock."""
    return engine.execution_options(**{FENCE_OPTION: fence, LOCK_WAIT_OPTION: lock_wait})


@event.listens_for(Session, "after_begin")
def _check_fence(_session: Session, _tx: SessionTransaction, connection: Connection) -> None:
    options = connection.get_execution_options()
    fence = options.get(FENCE_OPTION)
    if isinstance(fence, Fence):
        lock_wait = options.get(LOCK_WAIT_OPTION)
        if isinstance(lock_wait, str) and connection.dialect.name == "postgresql":
            limit_lock_wait(connection, lock_wait)
        check_epoch(connection, fence)


def check_epoch(connection: Connection, fence: Fence) -> None:
    mine = fence.epoch
    if mine is None:
        raise LeadershipLost("not the leader")
    stmt = select(col(LeaderRow.epoch)).where(col(LeaderRow.role) == fence.role)
    if connection.dialect.name == "postgresql":
        stmt = stmt.with_for_update(read=True, key_share=True)
    current = connection.execute(stmt).scalar()
    if current != mine:
        raise LeadershipLost(f"epoch {mine} superseded by {current}")


def read_leader(connection: Connection, role: str = SCHEDULER) -> LeaderState | None:
    row = connection.execute(
        select(col(LeaderRow.epoch), col(LeaderRow.holder), col(LeaderRow.heartbeat_at)).where(
            col(LeaderRow.role) == role
        )
    ).first()
    return None if row is None else LeaderState(epoch=row[0], holder=row[1], heartbeat_at=row[2])


def limit_lock_wait(connection: Connection, timeout: str) -> None:
    """PostgreSQL: this transaction's lock waits fail after `timeout` ("3s"); returns nothing."""
    connection.execute(select(func.set_config("lock_timeout", timeout, True)))


def take_over(
    connection: Connection,
    *,
    seen: LeaderState | None,
    holder: str,
    now: datetime,
    role: str = SCHEDULER,
) -> int | None:
    """Bump the epoch from `seen` to ours; the new epoch, or None if someone else moved first.

    Commits. On PostgreSQL the bump waits for transactions that checked the old epoch.
    """
    try:
        if seen is None:
            epoch = 1
            connection.execute(
                insert(LeaderRow).values(role=role, epoch=epoch, holder=holder, heartbeat_at=now)
            )
        else:
            epoch = seen.epoch + 1
            done = connection.execute(
                update(LeaderRow)
                .where(col(LeaderRow.role) == role, col(LeaderRow.epoch) == seen.epoch)
                .values(epoch=epoch, holder=holder, heartbeat_at=now)
            )
            if done.rowcount != 1:
                connection.rollback()
                return None
        connection.commit()
    except IntegrityError:  # another replica inserted the first row at the same moment
        connection.rollback()
        return None
    return epoch


def renew(
    connection: Connection, *, epoch: int, holder: str, now: datetime, role: str = SCHEDULER
) -> bool:
    """Move the heartbeat forward; False when the epoch is no longer ours. Commits."""
    done = connection.execute(
        update(LeaderRow)
        .where(
            col(LeaderRow.role) == role,
            col(LeaderRow.epoch) == epoch,
            col(LeaderRow.holder) == holder,
        )
        .values(heartbeat_at=now)
    )
    connection.commit()
    return bool(done.rowcount == 1)


def fence_holders(connection: Connection) -> list[int]:
    """PostgreSQL backends (not this one) inside a fenced transaction right now.

    A fenced transaction holds ROW SHARE on `leader` until it ends. When the leader's
    heartbeat has been stale for long, these belong to a frozen leader, and the
    takeover would wait for them for as long as it stays frozen.
    """
    rows = connection.execute(
        text(
            "SELECT pid FROM pg_locks WHERE locktype = 'relation' AND granted "
            "AND relation = CAST(:table AS regclass) AND mode = 'RowShareLock' "
            "AND pid <> pg_backend_pid()"
        ),
        {"table": "leader"},
    )
    return [int(r[0]) for r in rows]


def terminate(connection: Connection, pids: list[int]) -> None:
    for pid in pids:
        connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    connection.commit()
