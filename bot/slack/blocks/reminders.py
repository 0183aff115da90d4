"""Block Kit for rules-calendar reminders (a scheduled change of what a listing means)."""

from __future__ import annotations

from bot.services.alerts.model import Message
from bot.services.rule_reminders import Reminder, reminder_text
from bot.slack.blocks.kit import context, escape, section

_NOTES = "Unless a later rule says otherwise; `entitywatch rules status` shows the calendar."


def reminder_blocks(reminder: Reminder) -> Message:
    text = reminder_text(reminder)
    blocks = [section(f":calendar: *{escape(text)}*")]
    if reminder.summary:
        blocks.append(section(escape(reminder.summary)))
    blocks.append(context(_NOTES))
    return Message(text=text, blocks=blocks)
