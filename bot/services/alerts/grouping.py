"""Which changes belong to one legal action (and so to one Slack thread).

Pure. Signals about the same Federal Register document share its number: public
inspection, publication, and CSL rows whose entry the rule acted on. A press
release joins a document when it names an entity of that document (seen within
`window` of it); otherwise it stands alone. CSL changes without a document are
grouped per snapshot and list; outages per source and outage.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta

from bot.services.alerts.model import ChangeView, is_silent
from watchers.records import normalize_key_text

PRESS_WINDOW = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class RecentDocument:
    """A Federal Register document seen lately, with the names it acted on."""

    document_number: str
    names: frozenset[str]  # normalized entry names
    seen_at_days: float  # detected_at as a day number, for the window test


def action_key(
    change: ChangeView,
    *,
    recent: Iterable[RecentDocument] = (),
    outage_of: Mapping[int, int] | None = None,
) -> str | None:
    """The thread key of a change, or None when it raises no alert."""
    if is_silent(change):
        return None
    if change.document_number:
        return f"fr:{change.document_number}"
    if change.kind == "announcement":
        document = _press_document(change, recent)
        return f"fr:{document}" if document else f"press:{change.id}"
    if change.kind in ("source_down", "source_never_succeeded"):
        return f"ops:{change.source}:{change.id}"
    if change.kind in ("list_lag", "list_caught_up"):
        # A lag and its end share a thread: per rule, source compared and episode.
        after = change.after or {}
        return f"lag:{after.get('against')}:{after.get('document_number')}:{after.get('episode')}"
    if change.kind == "source_recovered":
        down = (outage_of or {}).get(change.id)
        return f"ops:{change.source}:{down}" if down else f"ops:{change.source}:{change.id}"
    if change.kind == "baseline":
        return f"baseline:{change.detected_at.date().isoformat()}"
    return f"{change.source}:{change.snapshot_id or change.id}:{change.list_code or '-'}"


def _press_document(change: ChangeView, recent: Iterable[RecentDocument]) -> str | None:
    names = [normalize_key_text(str(n)) for n in (change.after or {}).get("organisations", [])]
    day = change.detected_at.timestamp() / 86400
    for document in recent:
        if abs(document.seen_at_days - day) > PRESS_WINDOW.days:
            continue
        if any(n and any(n in known for known in document.names) for n in names):
            return document.document_number
    return None


def group_changes(
    changes: Iterable[ChangeView],
    *,
    recent: Iterable[RecentDocument] = (),
    outage_of: Mapping[int, int] | None = None,
) -> dict[str, list[ChangeView]]:
    """Alerting changes by action key, in id order; silent changes are left out."""
    recent = list(recent)
    groups: dict[str, list[ChangeView]] = {}
    for change in sorted(changes, key=lambda c: c.id):
        key = action_key(change, recent=recent, outage_of=outage_of)
        if key is not None:
            groups.setdefault(key, []).append(change)
    return groups
