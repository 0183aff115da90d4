"""What the Slack layer and the terminal are handed about counterparty hits: plain values,
and the renderer they implement (services never build Block Kit themselves)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from bot.services.alerts.model import Message


@dataclass(frozen=True, slots=True)
class HitView:
    """One hit as an alert shows it."""

    hit_id: int
    counterparty_name: str
    external_id: str
    entry_name: str
    list_code: str
    score: float
    band: str
    why: str
    matched_name: str
    newly_listed: bool  # from a list change (else: a new counterparty screened)
    document_number: str | None = None
    citation: str | None = None
    effective_date: date | None = None


class HitMessages(Protocol):
    """Turns hits into messages; the Slack layer provides one (bot.slack.blocks.monitoring)."""

    def hit(self, hit: HitView) -> Message: ...

    def delisted(self, hit: HitView) -> Message: ...

    def summary(self, hits: Sequence[HitView], *, screened: int) -> Message: ...
