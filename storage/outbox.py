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

from sqlalchemy import exists, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, aliased
from sqlmodel import SQLModel, col

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
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    new = 0
    for value in values:
        stmt = insert(table).values(value).on_conflict_do_nothing().returning(table.c.id)
        new += len(session.execute(stmt).all())
    return new


def threads_with_rows(session: Session, keys: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """(action_key, channel) pairs that already have an outbox row (so a parent exists)."""
    if not keys:
        return set()
    actions = {a for a, _ in keys}
    stmt = select(col(OutboxRow.action_key), col(OutboxRow.channel)).where(
        col(OutboxRow.action_key).in_(actions)
    )
    return {(a, c) for a, c in session.execute(stmt) if (a, c) in keys}


def claim_due(
    session: Session, *, now: datetime, lease: timedelta, limit: int
) -> list[ClaimedMessage]:
    """Claim due rows, oldest first. Replies wait until their thread's parent was sent;
    if the parent failed for good, they go out on their own rather than wait forever."""
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
    stmt = (
        select(OutboxRow)
        .where(col(OutboxRow.status) == "pending", col(OutboxRow.next_attempt_at) <= now)
        .where(or_(col(OutboxRow.claimed_until).is_(None), col(OutboxRow.claimed_until) < now))
        .where(or_(col(OutboxRow.role) == "parent", thread_ready, parent_failed))
        .order_by(col(OutboxRow.id))
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    claimed: list[ClaimedMessage] = []
    for row in session.scalars(stmt):
        row.claimed_until = now + lease
        row.attempts += 1
        assert row.id is not None
        claimed.append(
            ClaimedMessage(
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
            )
        )
    return claimed


def thread_ts(session: Session, action_key: str, channel: str) -> str | None:
    stmt = select(col(AlertThreadRow.parent_ts)).where(
        col(AlertThreadRow.action_key) == action_key, col(AlertThreadRow.channel) == channel
    )
    return session.scalars(stmt).first()


def mark_sent(session: Session, message: ClaimedMessage, *, ts: str, now: datetime) -> None:
    session.execute(
        update(OutboxRow)
        .where(col(OutboxRow.id) == message.id)
        .values(status="sent", slack_ts=ts, sent_at=now, claimed_until=None, last_error=None)
    )
    if message.role == "parent" and thread_ts(session, message.action_key, message.channel) is None:
        session.add(
            AlertThreadRow(
                action_key=message.action_key, channel=message.channel, parent_ts=ts, created_at=now
            )
        )


def mark_retry(session: Session, message_id: int, *, error: str, at: datetime) -> None:
    session.execute(
        update(OutboxRow)
        .where(col(OutboxRow.id) == message_id)
        .values(next_attempt_at=at, claimed_until=None, last_error=error[:2000])
    )


def mark_failed(session: Session, message_id: int, *, error: str) -> None:
    session.execute(
        update(OutboxRow)
        .where(col(OutboxRow.id) == message_id)
        .values(status="failed", claimed_until=None, last_error=error[:2000])
    )


def failed_messages(session: Session, *, limit: int = 50) -> list[OutboxRow]:
    stmt = (
        select(OutboxRow)
        .where(col(OutboxRow.status) == "failed")
        .order_by(col(OutboxRow.id).desc())
        .limit(limit)
    )
    return list(session.scalars(stmt))
