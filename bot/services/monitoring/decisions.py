"""Recording decisions about hits (from Slack buttons and the modal), and reading them back.

Who may decide is the same setting as who may edit the watchlist (WATCHLIST_EDITORS).
What a person typed is checked in `decision_input` (re-exported here).
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bot.services.monitoring.decision_input import (
    DEFAULT_CLEAR_DAYS,
    MAX_CLEAR_DAYS,
    MAX_HIT_ID,
    MAX_REASON_CHARS,
    DecisionError,
    clean_reason,
    clear_days,
    hit_number,
)
from bot.services.monitoring.standing import is_expired
from storage.models import WatchHitRow, WatchlistRow
from storage.watch_hits import (
    DuplicateInteraction,
    NewDecision,
    decided_entry_keys,
    decisions_for_entries,
    interaction_recorded,
    record_decision,
    standing_decision,
)

__all__ = [
    "DEFAULT_CLEAR_DAYS",
    "MAX_CLEAR_DAYS",
    "MAX_REASON_CHARS",
    "DecisionError",
    "clear_days",
    "decide",
    "hit_number",
    "hit_summary",
    "may_edit",
]

VERBS = {"confirm": "confirmed as a match", "clear": "cleared", "resolve": "resolved"}
STATES = {"clear": "cleared as not the same party", "resolve": "resolved already"}


class _Counter:
    def __init__(self) -> None:
        self.value = 0
        self._lock = threading.Lock()

    def bump(self) -> None:
        with self._lock:
            self.value += 1


# Decisions recorded by this process: a StandingNotes re-reads as soon as this moves.
_DECIDED_HERE = _Counter()


def may_edit(user_id: str, editors: Sequence[str]) -> bool:
    """Empty WATCHLIST_EDITORS means everyone may."""
    return not editors or user_id in editors


@dataclass(frozen=True, slots=True)
class HitSummary:
    hit_id: int
    counterparty: str
    external_id: str
    entry_name: str


def hit_summary(engine: Engine, hit_id: int) -> HitSummary:
    if not 1 <= hit_id <= MAX_HIT_ID:
        raise DecisionError(f"no counterparty hit #{hit_id}")
    with Session(engine) as session:
        hit = session.get(WatchHitRow, hit_id)
        if hit is None:
            raise DecisionError(f"no counterparty hit #{hit_id}")
        party = session.get(WatchlistRow, hit.counterparty_id)
        assert party is not None
        return HitSummary(
            hit_id=hit_id,
            counterparty=party.name,
            external_id=party.external_id,
            entry_name=hit.entry_name,
        )


def decide(
    engine: Engine,
    *,
    hit_id: int,
    decision: str,
    reason: str,
    user_id: str,
    now: datetime,
    days: int | None = None,
    interaction: str | None = None,
) -> str:
    """Append a decision; returns a sentence for the person who made it.

    `interaction` is the key of the request that carries it (a Slack trigger, a
    modal): a replayed request records nothing and is told it was recorded."""
    reason = clean_reason(reason)
    if days is not None and not 1 <= days <= MAX_CLEAR_DAYS:
        raise DecisionError(f"the expiry must be a whole number of days from 1 to {MAX_CLEAR_DAYS}")
    summary = hit_summary(engine, hit_id)
    expires = now + timedelta(days=days) if days is not None else None
    new = NewDecision(
        hit_id=hit_id,
        decision=decision,
        reason=reason,
        decided_by=user_id,
        decided_at=now,
        expires_at=expires,
    )
    said = (
        f"{summary.counterparty} (id {summary.external_id}) vs {summary.entry_name} "
        f"{VERBS[decision]}" + (f" until {expires.date().isoformat()}" if expires else "") + "."
    )
    try:
        _record(engine, new, interaction=_bounded(interaction))
    except DuplicateInteraction:
        return f"Already recorded (this request arrived twice): {said}"
    _DECIDED_HERE.bump()
    return f"Recorded: {said}"


def _bounded(interaction: str | None) -> str | None:
    # The column holds 300 characters; Slack's ids are far shorter, but a key must never
    # be the reason a decision fails.
    if interaction is None or len(interaction) <= 200:
        return interaction
    return "sha256:" + hashlib.sha256(interaction.encode("utf-8", "replace")).hexdigest()


def _record(engine: Engine, new: NewDecision, *, interaction: str | None) -> None:
    with Session(engine) as session, session.begin():
        hit = session.get(WatchHitRow, new.hit_id)
        if hit is None:
            raise DecisionError(f"no counterparty hit #{new.hit_id}")
        # A replay first: the request it repeats may be what changed the hit's state.
        if interaction is not None and interaction_recorded(session, interaction):
            raise DuplicateInteraction(interaction)
        if new.decision == "resolve":
            _must_be_confirmed(session, hit)
        record_decision(session, new, interaction=interaction)


def _must_be_confirmed(session: Session, hit: WatchHitRow) -> None:
    """Resolving ends a confirmed match; anything else would close a hit nobody confirmed."""
    standing = standing_decision(session, hit)
    if standing is not None and standing.decision == "confirm":
        return
    state = STATES.get(standing.decision, "undecided") if standing else "undecided"
    raise DecisionError(
        f"hit #{hit.id} is not a confirmed match ({state}); only a confirmed match is "
        "resolved: confirm it first, or clear it as not the same party"
    )


def standing_notes(
    engine: Engine, entry_keys: Iterable[str], *, now: datetime | None = None
) -> dict[str, list[str]]:
    """Per listed entry, one line per counterparty's newest decision (for /screen)."""
    keys = list(entry_keys)
    if not keys:
        return {}
    with Session(engine) as session:
        found = decisions_for_entries(session, keys)
    notes: dict[str, list[str]] = {}
    for key, pairs in found.items():
        for decision, party in pairs:
            until = (
                f" until {decision.expires_at.date().isoformat()}" if decision.expires_at else ""
            )
            if now is not None and is_expired(decision, now=now):
                until += " (expired)"
            notes.setdefault(key, []).append(
                f"counterparty {party.name} (id {party.external_id}) "
                f"{VERBS.get(decision.decision, decision.decision)} by {decision.decided_by} "
                f"on {decision.decided_at.date().isoformat()}{until}: {decision.reason}"
            )
    return notes


class StandingNotes:
    """`standing_notes` for /screen, asking the database only about entries decided on.

    Nearly every answer names entries no counterparty decision is about, and reading
    the decisions for each answer was a third of a screening's work under load. Which
    entries have decisions is read at most once per `max_age` seconds, and at once
    after a decision recorded by this process; another replica's decision shows
    within `max_age`.
    """

    def __init__(self, engine: Engine, *, max_age: float = 1.0) -> None:
        self._engine = engine
        self._max_age = max_age
        self._read: tuple[float, int, frozenset[str]] | None = None

    def __call__(
        self, entry_keys: Iterable[str], *, now: datetime | None = None
    ) -> dict[str, list[str]]:
        decided = self._decided()
        keys = [k for k in entry_keys if k in decided]
        return standing_notes(self._engine, keys, now=now) if keys else {}

    def _decided(self) -> frozenset[str]:
        read, moment, here = self._read, time.monotonic(), _DECIDED_HERE.value
        if read is not None and moment - read[0] < self._max_age and read[1] == here:
            return read[2]
        with Session(self._engine) as session:
            keys = decided_entry_keys(session)
        self._read = (moment, here, keys)
        return keys
