"""The alert outbox: planned messages, claiming due ones, recording what Slack said.

Claiming marks rows with a lease (`claimed_until`) and counts the attempt, in a
short transaction of its own; on PostgreSQL `FOR UPDATE SKIP LOCKED` lets several
replicas send from one outbox without taking each other's rows.

"Outcome unknown" is recorded on the row, explicitly, as a window of Slack time
(`outcome_unknown_since` .. `outcome_unknown_until`) in which the message may have
been stored: set when a post's answer was lost, and when a claim lapsed (its sender
died or hung). Only such rows are looked up in Slack before the next post; a row
that was not attempted, or got a definite answer (an error, a 429), is not. The
window survives `alerts retry`, so a requeued row is looked up first, too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, exists, or_, select, update
from sqlalchemy.orm import Session, aliased
from sqlmodel import SQLModel, col

from storage.inserts import insert_many_new, insert_new
from storage.models import AlertThreadRow, OutboxRow
from storage.outcome import OutcomeWindow, lapsed_claim, window_of


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
    claimed_at: datetime
    # Where Slack may already hold this message; None: no earlier attempt could have posted.
    unknown: OutcomeWindow | None = None


def insert_planned(session: Session, messages: list[PlannedMessage], *, now: datetime) -> int:
    """Insert messages whose dedupe key is new; returns how many were new."""
    if not messages:
        return 0
    table = SQLModel.metadata.tables["outbox"]
    values = [_planned_values(m, now=now) for m in messages]
    return sum(insert_new(session, table, value) for value in values)


def insert_planned_many(session: Session, messages: list[PlannedMessage], *, now: datetime) -> None:
    """`insert_planned` in one executemany (hundreds of alerts from one change), without
    the count; rows whose dedupe key exists are skipped all the same."""
    table = SQLModel.metadata.tables["outbox"]
    insert_many_new(session, table, [_planned_values(m, now=now) for m in messages])


def _planned_values(m: PlannedMessage, *, now: datetime) -> dict[str, Any]:
    return {
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


def threads_with_rows(session: Session, keys: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """(action_key, channel) pairs that already have an outbox row (so a parent exists)."""
    if not keys:
        return set()
    actions = {a for a, _ in keys}
    stmt = select(col(OutboxRow.action_key), col(OutboxRow.channel)).where(
        col(OutboxRow.action_key).in_(actions)
    )
    return {(a, c) for a, c in session.execute(stmt) if (a, c) in keys}


def claim_next(
    session: Session,
    *,
    now: datetime,
    lease: timedelta,
    margin: timedelta = timedelta(seconds=30),
) -> ClaimedMessage | None:
    """Claim the oldest due row, or None. Replies wait until their thread's parent was sent;
    if the parent failed for good, they go out on their own rather than wait forever.

    The claim is a conditional UPDATE, so two senders (threads, processes or replicas)
    can never both hold a row: the loser's UPDATE matches nothing and it tries the next.
    Its `claimed_until` is the claim's token for the marks that follow. Taking over a
    lapsed claim records that claim's time (widened by `margin` for clock skew) as a
    window whose outcome is unknown.
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
        select(OutboxRow)
        .where(claimable, or_(col(OutboxRow.role) == "parent", thread_ready, parent_failed))
        .order_by(col(OutboxRow.id))
        .limit(5)
        .with_for_update(skip_locked=True)
    ).all()
    token = now + lease
    for candidate in candidates:
        lapsed = lapsed_claim(candidate, lease=lease, margin=margin)
        window = lapsed.merge(window_of(candidate)) if lapsed else window_of(candidate)
        same_claim = (
            col(OutboxRow.claimed_until).is_(None)
            if candidate.claimed_until is None
            else col(OutboxRow.claimed_until) == candidate.claimed_until
        )
        row = session.execute(
            update(OutboxRow)
            .where(col(OutboxRow.id) == candidate.id, claimable, same_claim)
            .values(
                claimed_until=token,
                claimed_at=now,
                attempts=col(OutboxRow.attempts) + 1,
                outcome_unknown_since=window.since if window else None,
                outcome_unknown_until=window.until if window else None,
            )
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
            claimed_at=now,
            unknown=window,
        )
    return None


def in_flight_or_due_soon(session: Session, *, now: datetime, horizon: timedelta) -> bool:
    """Is a pending row held by some sender right now, or due within `horizon`?"""
    stmt = select(col(OutboxRow.id)).where(
        col(OutboxRow.status) == "pending",
        or_(
            col(OutboxRow.claimed_until) >= now,
            col(OutboxRow.next_attempt_at) <= now + horizon,
        ),
    )
    return session.scalars(stmt.limit(1)).first() is not None


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
        .values(
            status="sent",
            slack_ts=ts,
            sent_at=now,
            claimed_until=None,
            last_error=None,
            outcome_unknown_since=None,
            outcome_unknown_until=None,
        )
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


def mark_retry(
    session: Session,
    message: ClaimedMessage,
    *,
    error: str,
    at: datetime,
    unknown: OutcomeWindow | None = None,
) -> None:
    """Try again at `at`; `unknown` is the window to look up first (None: nothing to look up)."""
    session.execute(
        update(OutboxRow)
        .where(_holding(message))
        .values(
            next_attempt_at=at,
            claimed_until=None,
            last_error=error[:2000],
            outcome_unknown_since=unknown.since if unknown else None,
            outcome_unknown_until=unknown.until if unknown else None,
        )
    )


def mark_failed(
    session: Session, message: ClaimedMessage, *, error: str, unknown: OutcomeWindow | None
) -> None:
    """Give up. With an `unknown` window the row says "may have been posted", and
    `alerts retry` looks it up before posting again."""
    session.execute(
        update(OutboxRow)
        .where(_holding(message))
        .values(
            status="failed",
            claimed_until=None,
            last_error=error[:2000],
            outcome_unknown_since=unknown.since if unknown else None,
            outcome_unknown_until=unknown.until if unknown else None,
        )
    )


def requeue_failed(session: Session, *, now: datetime) -> int:
    """Put every failed alert back in the queue (after the cause was fixed). A row whose
    outcome is unknown keeps its window: the sender looks it up before posting."""
    ids = list(session.scalars(select(col(OutboxRow.id)).where(col(OutboxRow.status) == "failed")))
    session.execute(
        update(OutboxRow)
        .where(col(OutboxRow.id).in_(ids))
        .values(status="pending", attempts=0, next_attempt_at=now, claimed_until=None)
    )
    return len(ids)


def latest_messages(session: Session, *, limit: int) -> list[OutboxRow]:
    """The newest `limit` outbox rows in any status, newest first."""
    stmt = select(OutboxRow).order_by(col(OutboxRow.id).desc()).limit(limit)
    return list(session.scalars(stmt))


def failed_messages(session: Session, *, limit: int = 50) -> list[OutboxRow]:
    """The newest `limit` outbox rows that gave up, newest first."""
    stmt = (
        select(OutboxRow)
        .where(col(OutboxRow.status) == "failed")
        .order_by(col(OutboxRow.id).desc())
        .limit(limit)
    )
    return list(session.scalars(stmt))


def forget_outcome(session: Session, *, ids: list[int]) -> int:
    """The operator checked the channel: these failed alerts are not there. Their next
    attempt posts without a lookup."""
    result = session.execute(
        update(OutboxRow)
        .where(col(OutboxRow.id).in_(ids), col(OutboxRow.status) == "failed")
        .values(outcome_unknown_since=None, outcome_unknown_until=None)
        .returning(col(OutboxRow.id))
    )
    return len(result.all())
