"""The renderer the alert planner is handed: it plans which changes go out together and
where; the Slack layer (bot.slack.blocks.alerts) decides how they read."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from bot.services.alerts.model import ChangeView, Message


class AlertMessages(Protocol):
    def action(self, changes: Sequence[ChangeView]) -> list[Message]:
        """A legal action as a thread parent (first message) and its continuation parts."""
        ...

    def reply(self, changes: Sequence[ChangeView]) -> list[Message]:
        """New signals about an action already in a thread."""
        ...

    def ops_and_baseline(self, changes: Sequence[ChangeView]) -> list[Message]:
        """Outages, recoveries and baselines."""
        ...
