"""The outbox repository on its own, on SQLite and PostgreSQL: claims, leases and their tokens.

These are the rules the exactly-once sender stands on: a row is held by one claimer at
a time, a lapsed lease can be taken over (and then says its outcome is unknown), a mark
made with a lost claim changes nothing, a reply waits for its parent, and a requeued
failure keeps the window that must be looked up first.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from storage.outbox import (
    ClaimedMessage,
    PlannedMessage,
    claim_next,
    failed_messages,
    insert_planned,
    mark_failed,
    mark_retry,
    mark_sent,
    requeue_failed,
)
from storage.outcome import OutcomeWindow

T0 = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
LEASE = timedelta(minutes=2)


def planned(key: str, *, role: str = "parent", action: str = "A1") -> PlannedMessage:
    return PlannedMessage(
        dedupe_key=key,
        action_key=action,
        channel="C0ALERTS1",
        role=role,
        text=f"text {key}",
        blocks=[],
        change_ids=[1],
    )


def plan(engine: Engine, *messages: PlannedMessage) -> int:
    with Session(engine) as session, session.begin():
        return insert_planned(session, list(messages), now=T0)


def claim(engine: Engine, *, at: datetime = T0) -> ClaimedMessage | None:
    with Session(engine) as session, session.begin():
        return claim_next(session, now=at, lease=LEASE)


def test_a_dedupe_key_is_planned_once(engine: Engine) -> None:
    assert plan(engine, planned("k1"), planned("k2")) == 2
    assert plan(engine, planned("k1"), planned("k3")) == 1


def test_a_claimed_row_is_not_claimed_again_until_its_lease_lapses(engine: Engine) -> None:
    plan(engine, planned("k1"))
    first = claim(engine)
    assert first is not None and first.attempts == 1 and first.unknown is None
    assert claim(engine, at=T0 + LEASE - timedelta(seconds=1)) is None
    # The first claimer died: after the lease another takes over, and the row says the
    # first attempt may have reached Slack, so the taker looks it up before posting.
    taken = claim(engine, at=T0 + LEASE + timedelta(seconds=1))
    assert taken is not None and taken.id == first.id and taken.attempts == 2
    assert taken.unknown is not None and taken.unknown.since <= T0


def test_a_mark_with_a_lost_claim_changes_nothing(engine: Engine) -> None:
    plan(engine, planned("k1"))
    stale = claim(engine)
    fresh = claim(engine, at=T0 + LEASE + timedelta(seconds=1))
    assert stale is not None and fresh is not None
    with Session(engine) as session, session.begin():
        assert mark_sent(session, stale, ts="1.000001", now=T0) is False
        assert mark_sent(session, fresh, ts="1.000002", now=T0) is True
    assert claim(engine, at=T0 + 2 * LEASE + timedelta(seconds=2)) is None


def test_replies_wait_for_their_parent_then_go_in_its_thread(engine: Engine) -> None:
    plan(engine, planned("parent"), planned("reply", role="reply"))
    parent = claim(engine)
    assert parent is not None and parent.dedupe_key == "parent"
    assert claim(engine) is None  # the reply waits: its thread does not exist yet
    with Session(engine) as session, session.begin():
        assert mark_sent(session, parent, ts="1700000000.000100", now=T0)
    reply = claim(engine)
    assert reply is not None and reply.dedupe_key == "reply"
    assert reply.thread_ts == "1700000000.000100"


def test_a_reply_of_a_failed_parent_goes_out_on_its_own(engine: Engine) -> None:
    plan(engine, planned("parent"), planned("reply", role="reply"))
    parent = claim(engine)
    assert parent is not None
    with Session(engine) as session, session.begin():
        mark_failed(session, parent, error="channel_not_found", unknown=None)
    reply = claim(engine)
    assert reply is not None and reply.dedupe_key == "reply" and reply.thread_ts is None


def test_a_retry_waits_for_its_time(engine: Engine) -> None:
    plan(engine, planned("k1"))
    message = claim(engine)
    assert message is not None
    with Session(engine) as session, session.begin():
        mark_retry(session, message, error="ratelimited", at=T0 + timedelta(seconds=30))
    assert claim(engine, at=T0 + timedelta(seconds=29)) is None
    again = claim(engine, at=T0 + timedelta(seconds=30))
    assert again is not None and again.unknown is None  # a 429 is a definite answer


def test_requeued_failures_keep_the_window_to_look_up(engine: Engine) -> None:
    plan(engine, planned("k1"))
    message = claim(engine)
    assert message is not None
    window = OutcomeWindow(since=T0 - timedelta(seconds=30), until=T0 + timedelta(seconds=15))
    with Session(engine) as session, session.begin():
        mark_failed(session, message, error="missing_scope", unknown=window)
    with Session(engine) as session:
        assert [row.dedupe_key for row in failed_messages(session)] == ["k1"]
    with Session(engine) as session, session.begin():
        assert requeue_failed(session, now=T0 + timedelta(hours=1)) == 1
    again = claim(engine, at=T0 + timedelta(hours=1))
    assert again is not None and again.attempts == 1
    assert again.unknown is not None and again.unknown.since <= window.since


def test_concurrent_claimers_never_share_a_row(engine: Engine) -> None:
    plan(engine, *(planned(f"k{i}", action=f"A{i}") for i in range(30)))
    claimed: list[int] = []
    lock = threading.Lock()

    def claimer() -> None:
        while (message := claim(engine)) is not None:
            with lock:
                claimed.append(message.id)

    threads = [threading.Thread(target=claimer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(claimed) == sorted(set(claimed)) and len(claimed) == 30
