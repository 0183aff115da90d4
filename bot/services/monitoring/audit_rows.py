"""The decision history as CSV rows for `entitywatch audit export --decisions`."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bot.services.monitoring.planning import neutralised

DECISION_COLUMNS = (
    "decision_id",
    "decided_at",
    "decision",
    "decided_by",
    "reason",
    "expires_at",
    "counterparty_id",
    "counterparty_name",
    "entry_key",
    "list",
    "entry_name",
    "score",
    "band",
    "hit_id",
    "hit_detected_at",
)


def _iso(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return (moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)).isoformat()


def decision_cells(decision: Any, hit: Any, party: Any) -> list[str]:
    """One decision with its hit and counterparty, in `DECISION_COLUMNS` order."""
    cells = [
        str(decision.id),
        _iso(decision.decided_at),
        decision.decision,
        decision.decided_by,
        decision.reason,
        _iso(decision.expires_at),
        party.external_id,
        party.name,
        decision.entry_key,
        hit.list_code,
        hit.entry_name,
        f"{hit.score:.4f}",
        hit.band,
        str(hit.id),
        _iso(hit.detected_at),
    ]
    return [neutralised(c) for c in cells]
