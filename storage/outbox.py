"""The alert outbox: planned messages, claiming due ones, recording what Slack said.

Claiming marks rows with a lease (`claimed_until`) and counts the attempt, in a
short transaction of its own; on PostgreSQL `FOR UPDATE SKIP LOCKED` lets several
replicas send from one outbox without taking each other's rows. A row whose
lease ran out (its sender died) can be claimed again; because its attempt count
is above zero, the sender first looks for the message in the channel.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, exists, or_, select, update
from sqlalchemy.orm import Session, aliased
from sqlmodel import SQLModel, col

from storage.inserts import insert_new
from storage.models import AlertThreadRow, OutboxRow


@dataclass(frozen=True, slots=True)
class PlannedMessage:
    dedupe_key: str
    action_key: str
    channel: str
    role: str
    text: str
    blocks: list[dict[str, Any]]
    change_ids: list[int]
    parent_update: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class ClaimedMessage:
    id: int
    dedupe_key: str
    action_key: str
    channel: str
    role: str
    text: str
    blocks: list[dict[str, Any]]
    parent_update: dict[str, Any] | None
    attempts: int
    created_at: datetime
    thread_ts: str | None
    token: datetime  # the claim's `claimed_until`; marks apply only while it still holds


def insert_planned(session: Session, messages: list[PlannedMessage], *, now: datetime) -> int:
    """Insert messages whose dedupe key is new; returns how many were new."""
    if not messages:
        return 0
    table = SQLModel.metadata.tables["outbox"]
    values = [
        {
            "dedupe_key": m.dedupe_key,
            "action_key": m.action_key,
            "channel": m.channel,
            "role": m.role,
            "text": m.text,
            "blocks": m.blocks,
            "parent_update": m.parent_update,
            "change_ids": m.change_ids,
            "status": "pending",
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
        }
        for m in messages
    ]
    return sum(insert_new(session, table, value) for value in values)


def threads_with_rows(session: Session, keys: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """(action_key, channel) pairs that already have an outbox row (so a parent exists)."""
    if not keys:
        return set()
    actions = {a for a, _ in keys}
    stmt = select(col(OutboxRow.action_key), col(OutboxRow.channel)).where(
        col(OutboxRow.action_key).in_(actions)
    )
    return {(a, c) for a, c in session.execute(stmt) if (a, c) in keys}


def claim_next(session: Session, *, now: datetime, lease: timedelta) -> ClaimedMessage | None:
    """Claim the oldest due row, or None. Replies wait until their thread's parent was sent;
    if the parent failed for good, they go out on their own rather than wait forever.

    The claim is a conditional UPDATE, so two senders (threads, processes or replicas)
    can never both hold a row: the loser's UPDATE matches nothing and it tries the next.
    Its `claimed_until` is the claim's token for the marks that follow.
    """
    thread_ready = exists().where(
        col(AlertThreadRow.action_key) == col(OutboxRow.action_key),
        col(AlertThreadRow.channel) == col(OutboxRow.channel),
    )
    parent = aliased(OutboxRow)
    parent_failed = exists().where(
        col(parent.action_key) == col(OutboxRow.action_key),
        col(parent.channel) == col(OutboxRow.channel),
        col(parent.role) == "parent",
        col(parent.status) == "failed",
    )
    claimable = and_(
        col(OutboxRow.status) == "pending",
        col(OutboxRow.next_attempt_at) <= now,
        or_(col(OutboxRow.claimed_until).is_(None), col(OutboxRow.claimed_until) < now),
    )
    candidates = session.scalars(
        select(col(OutboxRow.id))
        .where(claimable, or_(col(OutboxRow.role) == "parent", thread_ready, parent_failed))
        .order_by(col(OutboxRow.id))
        .limit(5)
        .with_for_update(skip_locked=True)
    ).all()
    token = now + lease
    for candidate in candidates:
        row = session.execute(
            update(OutboxRow)
            .where(col(OutboxRow.id) == candidate, claimable)
            .values(claimed_until=token, attempts=col(OutboxRow.attempts) + 1)
            .returning(OutboxRow)
        ).scalar_one_or_none()
        if row is None:
            continue
        assert row.id is not None
        return ClaimedMessage(
            id=row.id,
            dedupe_key=row.dedupe_key,
            action_key=row.action_key,
            channel=row.channel,
            role=row.role,
            text=row.text,
            blocks=list(row.blocks or []),
            parent_update=row.parent_update,
            attempts=row.attempts,
            created_at=row.created_at,
            thread_ts=thread_ts(session, row.action_key, row.channel),
            token=token,
        )
    return None


def thread_ts(session: Session, action_key: str, channel: str) -> str | None:
    stmt = select(col(AlertThreadRow.parent_ts)).where(
        col(AlertThreadRow.action_key) == action_key, col(AlertThreadRow.channel) == channel
    )
    return session.scalars(stmt).first()


def _holding(message: ClaimedMessage) -> Any:
    return and_(col(OutboxRow.id) == message.id, col(OutboxRow.claimed_until) == message.token)


def mark_sent(session: Session, message: ClaimedMessage, *, ts: str, now: datetime) -> bool:
    """Record the post; False if the claim was lost meanwhile (another sender took over)."""
    result = session.execute(
        update(OutboxRow)
        .where(_holding(message))
        .values(status="sent", slack_ts=ts, sent_at=now, claimed_until=None, last_error=None)
        .returning(col(OutboxRow.id))
    ).first()
    if result is None:
        return False
    if message.role == "parent" and thread_ts(session, message.action_key, message.channel) is None:
        session.add(
            AlertThreadRow(
                action_key=message.action_key, channel=message.channel, parent_ts=ts, created_at=now
            )
        )
    return True


def mark_retry(session: Session, message: ClaimedMessage, *, error: str, at: datetime) -> None:
    session.execute(
        update(OutboxRow)
        .where(_holding(message))
        .values(next_attempt_at=at, claimed_until=None, last_error=error[:2000])
    )


def mark_failed(session: Session, message: ClaimedMessage, *, error: str) -> None:
    session.execute(
        update(OutboxRow)
        .where(_holding(message))
        .values(status="failed", claimed_until=None, last_error=error[:2000])
    )


def requeue_failed(session: Session, *, now: datetime) -> int:
    """Put every failed alert back in the queue (after the cause was fixed)."""
    ids = list(session.scalars(select(col(OutboxRow.id)).where(col(OutboxRow.status) == "failed")))
    session.execute(
        update(OutboxRow)
        .where(col(OutboxRow.id).in_(ids))
        .values(status="pending", attempts=0, next_attempt_at=now, claimed_until=None)
    )
    return len(ids)


def failed_messages(session: Session, *, limit: int = 50) -> list[OutboxRow]:
    stmt = (
        select(OutboxRow)
        .where(col(OutboxRow.status) == "failed")
        .order_by(col(OutboxRow.id).desc())
        .limit(limit)
    )
    return list(session.scalars(stmt))
