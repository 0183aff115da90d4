"""Is a message whose outcome is unknown already in Slack? One page at a time, on budget.

History reads are the scarce resource: Tier 3 (about 50 a minute) for an internal
app, one a minute with at most 15 messages for an app distributed outside Slack's
Marketplace. Every page read takes a slot of the shared "history" pace
(`storage.slack_pace`), so all replicas together stay within `interval` per read.
When no slot is free soon, the row waits: the lookup answers "waiting" with what
is still unread, and nothing is posted or marked failed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bot.services.alerts.transport import (
    AlertTransport,
    DeliveryError,
    PermanentFailure,
    RateLimited,
)
from storage.outbox import ClaimedMessage
from storage.outcome import OutcomeWindow
from storage.slack_pace import hold_until, take_slot

HISTORY_KEY = "history"
# Pages read for one row in one claim at most; the rest waits for the next claim.
MAX_PAGES_PER_CLAIM = 10

Result = Literal["found", "absent", "waiting", "failed", "transient"]


@dataclass(frozen=True, slots=True)
class LookupOutcome:
    result: Result
    ts: str | None = None  # "found": the message's ts
    remaining: OutcomeWindow | None = None  # still to read (None when "found"/"absent")
    retry_at: datetime | None = None  # "waiting": when the budget has room again
    reason: str = ""


@dataclass
class Lookup:
    engine: Engine
    transport: AlertTransport
    clock: Callable[[], datetime]
    sleep: Callable[[float], None]
    interval: timedelta  # between two history reads, across all replicas
    max_wait: timedelta  # how long to sleep for a slot while holding a claim

    def run(self, message: ClaimedMessage) -> LookupOutcome:
        window = message.unknown
        for _ in range(MAX_PAGES_PER_CLAIM):
            if window is None:
                return LookupOutcome(result="absent")
            slot_at = self._take_slot()
            if slot_at is not None:
                return LookupOutcome(
                    result="waiting",
                    remaining=window,
                    retry_at=slot_at,
                    reason="lookup budget spent; waiting to look it up before posting",
                )
            try:
                page = self.transport.find_posted(
                    channel=message.channel,
                    dedupe_key=message.dedupe_key,
                    thread_ts=message.thread_ts,
                    window=window,
                )
            except RateLimited as exc:
                until = self.clock() + timedelta(seconds=exc.retry_after)
                with Session(self.engine) as session, session.begin():
                    hold_until(session, key=HISTORY_KEY, until=until)
                return LookupOutcome(
                    result="waiting", remaining=window, retry_at=until, reason=exc.reason
                )
            except PermanentFailure as exc:
                return LookupOutcome(result="failed", remaining=window, reason=exc.reason)
            except DeliveryError as exc:
                return LookupOutcome(result="transient", remaining=window, reason=exc.reason)
            if page.ts is not None:
                return LookupOutcome(result="found", ts=page.ts)
            window = page.remaining
        if window is None:
            return LookupOutcome(result="absent")
        return LookupOutcome(
            result="waiting",
            remaining=window,
            retry_at=self.clock(),
            reason="lookup continues in the next round",
        )

    def _take_slot(self) -> datetime | None:
        """Sleep until this process's history slot; the slot's time if it is too far off."""
        with Session(self.engine) as session, session.begin():
            slot = take_slot(
                session,
                key=HISTORY_KEY,
                now=self.clock(),
                interval=self.interval,
                max_wait=self.max_wait,
            )
        if not slot.taken:
            return slot.at
        wait = (slot.at - self.clock()).total_seconds()
        if wait > 0:
            self.sleep(wait)
        return None
