"""Plain views of stored changes and of the messages rendered from them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from storage.models import ChangeRow

ENTRY_KINDS = frozenset({"added", "removed", "modified"})
# Changes that never raise an alert of their own.
SILENT_KINDS = frozenset({"rule_baseline", "press_item", "press_seen", "ecfr_amendment"})
# A Federal Register document of one of these kinds classified "other" (it amends part
# 744 only in passing, with no entries and no change of meaning) is for the digest only.
DIGEST_ONLY_DOCUMENT_KINDS = frozenset({"public_inspection", "rule_published"})
# Alerts for whoever runs entitywatch (OPS_CHANNEL): outages, and a list source that lags the
# rules in force (bot.services.reconciliation).
OPS_KINDS = frozenset(
    {"source_down", "source_never_succeeded", "source_recovered", "list_lag", "list_caught_up"}
)
# Per-entry changes read from the regulation text (the eCFR): lists the CSL does not carry.
REGULATION_TEXT_SOURCE = "ecfr_text"


@dataclass(frozen=True, slots=True)
class ChangeView:
    id: int
    source: str
    kind: str
    list_code: str | None
    entry_key: str | None
    entry_name: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    fields: dict[str, Any] | None
    document_number: str | None
    effective_date: date | None
    detected_at: datetime
    summary: str | None
    snapshot_id: int | None

    @classmethod
    def of(cls, row: ChangeRow) -> ChangeView:
        assert row.id is not None
        return cls(
            id=row.id,
            source=row.source,
            kind=row.kind,
            list_code=row.list_code,
            entry_key=row.entry_key,
            entry_name=row.entry_name,
            before=row.before,
            after=row.after,
            fields=row.fields,
            document_number=row.document_number,
            effective_date=row.effective_date,
            detected_at=row.detected_at,
            summary=row.summary,
            snapshot_id=row.snapshot_id,
        )

    @property
    def content(self) -> dict[str, Any]:
        """The entry as it now stands (or stood, for a removal)."""
        return self.after or self.before or {}

    @property
    def countries(self) -> list[str]:
        return list(self.content.get("countries") or [])


def is_silent(change: ChangeView) -> bool:
    """True when a change raises no alert of its own (it may still show in the digest)."""
    if change.kind in SILENT_KINDS:
        return True
    return (
        change.kind in DIGEST_ONLY_DOCUMENT_KINDS
        and (change.after or {}).get("classification") == "other"
    )


@dataclass(frozen=True, slots=True)
class Message:
    text: str  # the notification / fallback text
    blocks: list[dict[str, Any]] = field(default_factory=list)

    def as_payload(self) -> dict[str, Any]:
        return {"text": self.text, "blocks": self.blocks}
