"""Reminder alerts before a scheduled change of a rule's state (the affiliates rule coming back
into force): 14 days before, 1 day before and on the day.

Each reminder is one outbox row whose dedupe key names the subject, the document that
scheduled the change, its date, the new state and the offset, so it is planned exactly
once across restarts and replicas; the sender posts it like any alert. Reminders are
computed from the calendar as it stands, so a change a later rule cancelled or moved has
no reminder left (the moved one gets its own). When the job was not running on a
reminder's day, only the nearest reminder still ahead of the change goes out.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from bot.routing import Routing
from bot.services.alerts.model import Message
from bot.services.leadership import Leadership
from bot.services.rules_calendar import (
    STATE_WORDS,
    SUBJECT_LABELS,
    Calendar,
    calendars,
    rules_today,
)
from storage.leadership import LeadershipLost
from storage.outbox import PlannedMessage, insert_planned
from watchers.runner import describe

log = logging.getLogger(__name__)

OFFSETS_DAYS = (14, 1, 0)
# The calendar's dates are days, so once an hour catches a new day soon enough.
REMINDER_SECONDS = 3600
# Reminders go where Entity List alerts go.
LIST_CODE = "EL"


@dataclass(frozen=True, slots=True)
class Reminder:
    subject: str
    document: str | None
    change_on: date
    state: str
    previous_state: str
    offset_days: int
    today: date
    summary: str

    @property
    def dedupe_key(self) -> str:
        parts = ("rule_reminder", self.subject, self.document or "", self.change_on.isoformat())
        text = "\x1f".join((*parts, self.state, str(self.offset_days)))
        return hashlib.sha256(text.encode()).hexdigest()


def due_reminders(calendar: Calendar, *, today: date) -> list[Reminder]:
    """The reminders due on `today`: for each change ahead within the longest offset, the
    reminder of the smallest offset whose day has come."""
    due: list[Reminder] = []
    for before, period in zip(calendar.periods, calendar.periods[1:], strict=False):
        start = period.start
        if start is None or not today <= start <= today + timedelta(days=max(OFFSETS_DAYS)):
            continue
        offset = min(o for o in OFFSETS_DAYS if start - timedelta(days=o) <= today)
        due.append(
            Reminder(
                subject=calendar.subject,
                document=period.document,
                change_on=start,
                state=period.state,
                previous_state=before.state,
                offset_days=offset,
                today=today,
                summary=period.summary,
            )
        )
    return due


def reminder_text(reminder: Reminder) -> str:
    label = SUBJECT_LABELS.get(reminder.subject, reminder.subject)
    days = (reminder.change_on - reminder.today).days
    when = "Today" if days == 0 else ("Tomorrow" if days == 1 else f"In {days} days")
    becomes = STATE_WORDS[reminder.state]
    if reminder.state == "in_force" and reminder.previous_state == "suspended":
        becomes = "in force again"
    cited = f" (FR Doc {reminder.document})" if reminder.document else ""
    return f"{when}, on {reminder.change_on}: {label} is {becomes}{cited}"


# How a reminder reads (Block Kit, from the Slack layer): services plan, it renders.
ReminderMessages = Callable[[Reminder], Message]


def reminder_message(
    reminder: Reminder, *, channel: str, render: ReminderMessages
) -> PlannedMessage:
    message = render(reminder)
    key = f"calendar:{reminder.subject}:{reminder.change_on}:{reminder.offset_days}"
    return PlannedMessage(
        dedupe_key=reminder.dedupe_key,
        action_key=key,
        channel=channel,
        role="parent",
        text=message.text,
        blocks=message.blocks,
        change_ids=[],
    )


def plan_rule_reminders(
    engine: Engine,
    *,
    routing: Routing,
    render: ReminderMessages,
    today: date,
    now: datetime,
) -> int:
    """Insert today's due reminders into the outbox; returns how many were new."""
    channel = routing.by_list.get(LIST_CODE) or routing.default_channel
    if channel is None:
        return 0
    with Session(engine) as session, session.begin():
        due = [r for c in calendars(session) for r in due_reminders(c, today=today)]
        created = insert_planned(
            session, [reminder_message(r, channel=channel, render=render) for r in due], now=now
        )
    if created:
        log.info("rules.reminders_planned today=%s created=%s", today, created)
    return created


def reminder_job(
    *,
    leader: Leadership,
    routing: Routing,
    render: ReminderMessages,
    clock: Callable[[], datetime],
) -> Callable[[], None]:
    """The scheduler job: the leader plans today's reminders (the day in Washington)."""

    def job() -> None:
        if not leader.is_leader():
            return
        now = clock()
        try:
            plan_rule_reminders(
                leader.fenced_engine,
                routing=routing,
                render=render,
                today=rules_today(now),
                now=now,
            )
        except LeadershipLost as exc:  # another replica leads now and plans them instead
            log.info("rules.reminders_skipped reason=%s", exc)
        except DBAPIError as exc:  # the database is away: the next round tries again
            log.warning("rules.reminders_failed error=%s", describe(exc))

    return job
