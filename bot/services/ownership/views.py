"""What the Slack layer is handed about a crossing of 50 % (plain values), and the
renderer it provides (bot.slack.blocks.ownership): services never build Block Kit."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.services.alerts.model import Message


@dataclass(frozen=True, slots=True)
class CrossingView:
    counterparty_name: str
    external_id: str
    listed_share: str  # "55 %"
    covered: bool  # crossed up (now covered) or down (no longer)
    lines: Sequence[str]  # the ownership answer: owners, terms, the rule's state
    hit_id: int | None = None  # the hit that carries the decision buttons (up only)


CrossingMessages = Callable[[CrossingView], Message]
