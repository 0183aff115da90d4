"""The outbox sender: claim due messages, post them, record the Slack `ts`.

Exactly once, also across crashes: every post carries its outbox key in the
message metadata. A message claimed before (its attempt count is above one) was
perhaps posted by a sender that died before recording it, so the sender first
looks for its key in the channel (or thread) and records the `ts` it finds
instead of posting again.

Slack's limits are respected on purpose: about one message per second per
channel, and a 429's Retry-After pauses that channel and reschedules the row.
Permanent errors mark the row failed with the reason; other errors retry with
backoff up to `max_attempts`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bot.alerts.transport import (
    AlertTransport,
    DeliveryError,
    PermanentFailure,
    RateLimited,
)
from storage.outbox import ClaimedMessage, claim_next, mark_failed, mark_retry, mark_sent

log = logging.getLogger(__name__)

# How far back to look for a message a dead sender may have posted.
LOOKBACK = timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class SendReport:
    sent: int = 0
    recovered: int = 0  # found already posted; recorded without posting again
    retried: int = 0
    failed: int = 0


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
    batch: int = 20
    _last_post: dict[str, float] = field(default_factory=dict)
    _paused_until: dict[str, float] = field(default_factory=dict)

    def run_once(self) -> SendReport:
        """Claim and deliver up to `batch` messages, one claim at a time (so a claim's lease
        only has to outlive one post, never a whole batch)."""
        counts = {"sent": 0, "recovered": 0, "retried": 0, "failed": 0}
        for _ in range(self.batch):
            with Session(self.engine) as session, session.begin():
                message = claim_next(session, now=self.clock(), lease=self.lease)
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
        """Send until nothing is due (tests, the demo, `alerts send`)."""
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
                break
        return total

    def _deliver(self, message: ClaimedMessage) -> str:
        channel = message.channel
        if self.monotonic() < self._paused_until.get(channel, 0.0):
            self._reschedule(message, "channel paused after a 429", self._paused_until[channel])
            return "retried"
        try:
            if message.attempts > 1:
                found = self.transport.find_posted(
                    channel=channel,
                    dedupe_key=message.dedupe_key,
                    thread_ts=message.thread_ts,
                    oldest=message.created_at - LOOKBACK,
                )
                if found:
                    self._record(message, found)
                    log.info("alert.recovered id=%d channel=%s ts=%s", message.id, channel, found)
                    return "recovered"
            self._pace(channel)
            ts = self.transport.post(
                channel=channel,
                text=message.text,
                blocks=message.blocks,
                thread_ts=message.thread_ts,
                dedupe_key=message.dedupe_key,
            )
        except RateLimited as exc:
            until = self.monotonic() + exc.retry_after
            self._paused_until[channel] = until
            self._reschedule(message, exc.reason, until)
            return "retried"
        except PermanentFailure as exc:
            with Session(self.engine) as session, session.begin():
                mark_failed(session, message, error=exc.reason)
            log.error("alert.failed id=%d channel=%s reason=%s", message.id, channel, exc.reason)
            return "failed"
        except DeliveryError as exc:
            return self._transient(message, exc.reason)
        self._record(message, ts)
        self._update_parent(message)
        return "sent"

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

    def _pace(self, channel: str) -> None:
        last = self._last_post.get(channel)
        if last is not None:
            wait = self.channel_interval - (self.monotonic() - last)
            if wait > 0:
                self.sleep(wait)
        self._last_post[channel] = self.monotonic()

    def _transient(self, message: ClaimedMessage, reason: str) -> str:
        if self.clock() - message.created_at > self.give_up_after:
            with Session(self.engine) as session, session.begin():
                mark_failed(
                    session, message, error=f"gave up after {message.attempts} tries: {reason}"
                )
            log.error("alert.failed id=%d reason=%s", message.id, reason)
            return "failed"
        delay = min(2.0 ** min(message.attempts, 10), 600.0)
        self._reschedule(message, reason, self.monotonic() + delay)
        log.warning("alert.retry id=%d attempt=%d reason=%s", message.id, message.attempts, reason)
        return "retried"

    def _reschedule(self, message: ClaimedMessage, reason: str, until_monotonic: float) -> None:
        at = self.clock() + timedelta(seconds=max(0.0, until_monotonic - self.monotonic()))
        with Session(self.engine) as session, session.begin():
            mark_retry(session, message, error=reason, at=at)
