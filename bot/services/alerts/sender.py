"""The outbox sender: claim due messages, post them, record the Slack `ts`.

Exactly once, also across crashes: every post carries its outbox key in the
message metadata. When an attempt's outcome is unknown (its answer was lost, it
timed out, Slack answered 5xx, or its sender died holding the claim) the row says
so, with the window of Slack time in which the message may have landed, and the
next attempt first looks for the key in that window (`bot.services.alerts.lookup`) before
posting. Rows that were not attempted, or got a definite answer (an error, a 429),
are never looked up: Slack may allow only one history read a minute.

Slack's limits are respected across replicas, through the database
(`storage.slack_pace`): at most one message per `channel_interval` per channel, a
429's Retry-After holds the channel (or the lookups) for every sender, and lookups
spend a shared budget of `lookups_per_minute`. A row that must wait longer than a
few seconds is rescheduled rather than held. Permanent errors mark the row failed
with the reason; other errors retry with backoff until `give_up_after`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bot.services.alerts.lookup import Lookup, LookupOutcome
from bot.services.alerts.transport import (
    AlertTransport,
    DeliveryError,
    OutcomeUnknown,
    PermanentFailure,
    RateLimited,
)
from storage.outbox import (
    ClaimedMessage,
    claim_next,
    in_flight_or_due_soon,
    mark_failed,
    mark_retry,
    mark_sent,
)
from storage.outcome import OutcomeWindow
from storage.slack_pace import hold_until, take_slot

log = logging.getLogger(__name__)

# Slack's clock and ours may disagree a little; lookup windows are widened by this much.
CLOCK_MARGIN = timedelta(seconds=30)
# The longest a sender holds a claim waiting for a Slack slot before rescheduling the row.
MAX_PACE_WAIT = timedelta(seconds=5)
# How long `drain` pauses before looking again at rows other senders hold.
DRAIN_IDLE_SLEEP = 0.2


@dataclass(frozen=True, slots=True)
class SendReport:
    sent: int = 0
    recovered: int = 0  # found already posted; recorded without posting again
    retried: int = 0
    failed: int = 0


def channel_key(channel: str) -> str:
    return f"chat:{channel}"


@dataclass
class OutboxSender:
    engine: Engine
    transport: AlertTransport
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    sleep: Callable[[float], None] = time.sleep
    monotonic: Callable[[], float] = time.monotonic
    lease: timedelta = timedelta(seconds=120)
    # Transient trouble (5xx, network) is retried with backoff until this long after
    # the alert was planned; then it is marked failed and shown (`alerts retry` requeues).
    give_up_after: timedelta = timedelta(hours=12)
    channel_interval: float = 1.0
    # History reads allowed per minute, shared by all replicas (Slack: ~50 for an internal
    # app, 1 for an app distributed outside the Marketplace).
    lookups_per_minute: float = 50.0
    # The longest a claim is held waiting for a slot; a later slot reschedules the row.
    max_pace_wait: timedelta = MAX_PACE_WAIT
    batch: int = 20

    def run_once(self) -> SendReport:
        """Claim and deliver up to `batch` messages, one claim at a time (so a claim's lease
        only has to outlive one post, never a whole batch)."""
        counts = {"sent": 0, "recovered": 0, "retried": 0, "failed": 0}
        for _ in range(self.batch):
            with Session(self.engine) as session, session.begin():
                message = claim_next(
                    session, now=self.clock(), lease=self.lease, margin=CLOCK_MARGIN
                )
            if message is None:
                break
            try:
                counts[self._deliver(message)] += 1
            # One bad row must not stall the queue: it keeps its claim until the lease
            # runs out and is then retried, looked up in Slack first.
            except Exception:
                log.exception("alert.deliver_crashed id=%d", message.id)
                counts["retried"] += 1
        return SendReport(**counts)

    def drain(self, *, max_rounds: int = 100) -> SendReport:
        """Send until nothing is due (tests, the demo, `alerts send`). Rows another sender
        holds, or that wait a few seconds for their channel's slot, are waited for, so the
        caller sees them sent when this returns."""
        total = SendReport()
        for _ in range(max_rounds):
            report = self.run_once()
            total = SendReport(
                sent=total.sent + report.sent,
                recovered=total.recovered + report.recovered,
                retried=total.retried + report.retried,
                failed=total.failed + report.failed,
            )
            if report == SendReport():
                if not self._others_busy():
                    break
                self.sleep(DRAIN_IDLE_SLEEP)
        return total

    def _others_busy(self) -> bool:
        with Session(self.engine) as session:
            return in_flight_or_due_soon(session, now=self.clock(), horizon=self.max_pace_wait)

    def _deliver(self, message: ClaimedMessage) -> str:
        if message.unknown is not None:
            outcome = self._lookup().run(message)
            if outcome.result != "absent":
                return self._after_lookup(message, outcome)
        if not self._wait_for_slot(message):
            return "retried"
        started = self.clock()
        try:
            ts = self.transport.post(
                channel=message.channel,
                text=message.text,
                blocks=message.blocks,
                thread_ts=message.thread_ts,
                dedupe_key=message.dedupe_key,
            )
        except RateLimited as exc:
            until = self.clock() + timedelta(seconds=exc.retry_after)
            self._hold(channel_key(message.channel), until)
            self._reschedule(message, exc.reason, at=until, unknown=None)
            return "retried"
        except PermanentFailure as exc:
            return self._fail(message, exc.reason, unknown=None)
        except OutcomeUnknown as exc:
            window = OutcomeWindow(since=started - CLOCK_MARGIN, until=self.clock() + CLOCK_MARGIN)
            return self._transient(message, exc.reason, unknown=window)
        except DeliveryError as exc:
            return self._transient(message, exc.reason, unknown=None)
        self._record(message, ts)
        self._update_parent(message)
        return "sent"

    def _lookup(self) -> Lookup:
        return Lookup(
            engine=self.engine,
            transport=self.transport,
            clock=self.clock,
            sleep=self.sleep,
            interval=timedelta(seconds=60.0 / self.lookups_per_minute),
            max_wait=self.max_pace_wait,
        )

    def _after_lookup(self, message: ClaimedMessage, outcome: LookupOutcome) -> str:
        if outcome.result == "found":
            assert outcome.ts is not None
            self._record(message, outcome.ts)
            log.info(
                "alert.recovered id=%d channel=%s ts=%s", message.id, message.channel, outcome.ts
            )
            return "recovered"
        if outcome.result == "failed":
            return self._fail(
                message, f"lookup failed: {outcome.reason}", unknown=outcome.remaining
            )
        if outcome.result == "transient":
            return self._transient(message, outcome.reason, unknown=outcome.remaining)
        # "waiting": the lookup budget is spent (or Slack said 429); neither failed nor posted.
        assert outcome.retry_at is not None
        self._reschedule(message, outcome.reason, at=outcome.retry_at, unknown=outcome.remaining)
        log.info("alert.lookup_waiting id=%d until=%s", message.id, outcome.retry_at.isoformat())
        return "retried"

    def _wait_for_slot(self, message: ClaimedMessage) -> bool:
        """Sleep until this channel's next slot (shared by all replicas); False: rescheduled."""
        if self.channel_interval <= 0:
            return True
        with Session(self.engine) as session, session.begin():
            slot = take_slot(
                session,
                key=channel_key(message.channel),
                now=self.clock(),
                interval=timedelta(seconds=self.channel_interval),
                max_wait=self.max_pace_wait,
            )
        if not slot.taken:
            self._reschedule(message, "waiting for the channel's pace", at=slot.at, unknown=None)
            log.info("alert.paced id=%d channel=%s until=%s", message.id, message.channel, slot.at)
            return False
        wait = (slot.at - self.clock()).total_seconds()
        if wait > 0:
            self.sleep(wait)
        return True

    def _record(self, message: ClaimedMessage, ts: str) -> None:
        with Session(self.engine) as session, session.begin():
            if not mark_sent(session, message, ts=ts, now=self.clock()):
                log.warning("alert.claim_lost id=%d ts=%s", message.id, ts)

    def _update_parent(self, message: ClaimedMessage) -> None:
        update = message.parent_update
        if not update or not message.thread_ts:
            return
        try:
            self.transport.update(
                channel=message.channel,
                ts=message.thread_ts,
                text=str(update.get("text", "")),
                blocks=list(update.get("blocks") or []),
            )
        except DeliveryError as exc:
            # The reply is posted; a stale parent summary is cosmetic and not worth a retry loop.
            log.warning("alert.parent_update_failed id=%d reason=%s", message.id, exc.reason)

    def _fail(self, message: ClaimedMessage, reason: str, *, unknown: OutcomeWindow | None) -> str:
        with Session(self.engine) as session, session.begin():
            mark_failed(session, message, error=reason, unknown=unknown)
        log.error("alert.failed id=%d channel=%s reason=%s", message.id, message.channel, reason)
        return "failed"

    def _transient(
        self, message: ClaimedMessage, reason: str, *, unknown: OutcomeWindow | None
    ) -> str:
        """Retry with backoff; `unknown` is what must be looked up before the next post."""
        if self.clock() - message.created_at > self.give_up_after:
            return self._fail(
                message, f"gave up after {message.attempts} tries: {reason}", unknown=unknown
            )
        delay = min(2.0 ** min(message.attempts, 10), 600.0)
        at = self.clock() + timedelta(seconds=delay)
        self._reschedule(message, reason, at=at, unknown=unknown)
        log.warning("alert.retry id=%d attempt=%d reason=%s", message.id, message.attempts, reason)
        return "retried"

    def _reschedule(
        self, message: ClaimedMessage, reason: str, *, at: datetime, unknown: OutcomeWindow | None
    ) -> None:
        with Session(self.engine) as session, session.begin():
            mark_retry(session, message, error=reason, at=at, unknown=unknown)

    def _hold(self, key: str, until: datetime) -> None:
        with Session(self.engine) as session, session.begin():
            hold_until(session, key=key, until=until)
