"""Whether a (counterparty, listed entry) pair may alert again, given its standing decision.

Pure. A pair alerts once and then waits for a decision: a later change of the
listed entry (or the CSL catching up with a rule's entry) adds nothing a person
has not yet been asked about. After a decision it stays quiet while the entry's
content is the one decided on, unless that decision was a clearance that has
expired; the decision's id then becomes part of the alert key, so the re-alert
happens exactly once too.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Protocol


class Standing(Protocol):
    @property
    def id(self) -> int | None: ...
    @property
    def decision(self) -> str: ...
    @property
    def content_digest(self) -> str: ...
    @property
    def expires_at(self) -> datetime | None: ...
    @property
    def hit_id(self) -> int: ...


def is_expired(standing: Standing, *, now: datetime) -> bool:
    return (
        standing.decision == "clear"
        and standing.expires_at is not None
        and standing.expires_at <= now
    )


def alert_basis(
    standing: Standing | None, *, digest: str, now: datetime, last_hit: int | None
) -> str | None:
    """What a new alert would follow, or None when the pair must stay quiet.

    `last_hit` is the id of the pair's newest hit, if any."""
    if standing is None:
        return "first" if last_hit is None else None
    if last_hit is not None and last_hit > standing.hit_id:
        return None  # alerted again since the decision; waiting for the next one
    if standing.content_digest == digest and not is_expired(standing, now=now):
        return None
    return f"after-decision:{standing.id}"


def alert_key(*, counterparty_id: int, entry_key: str, digest: str, basis: str) -> str:
    text = "\x1f".join((str(counterparty_id), entry_key, digest, basis))
    return hashlib.sha256(text.encode()).hexdigest()
