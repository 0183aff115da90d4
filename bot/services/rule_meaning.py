"""The meaning records of one rule, checked: what the Federal Register watchers stored as
JSON becomes `Meaning` records, and a record that does not read is logged with its
document and left out (the rest of the rule still counts)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from storage.rule_meanings import StoredMeaning

log = logging.getLogger(__name__)

# Actions that put the subject in a state from their first day; "amended" changes no dates,
# "expires" ends the subject.
STATE_ACTIONS = frozenset({"in_force", "reimposed", "suspended"})
ACTIONS = STATE_ACTIONS | {"amended", "expires"}


@dataclass(frozen=True, slots=True)
class Meaning:
    """One checked record: what `document` does to `subject` on which dates."""

    document: str
    subject: str
    action: str
    start: date | None
    end: date | None
    summary: str


def checked_meanings(stored: StoredMeaning) -> list[Meaning]:
    """The usable records of one document; a malformed one is logged and left out."""
    out: list[Meaning] = []
    for item in stored.items:
        try:
            out.append(_checked(stored.document_number, item))
        except ValueError as exc:
            log.warning(
                "rules_calendar.bad_record document=%s record=%r error=%s",
                stored.document_number,
                item,
                exc,
            )
    return out


def _checked(document: str, item: object) -> Meaning:
    if not isinstance(item, dict):
        raise ValueError("not an object")
    subject, action = item.get("subject"), item.get("action")
    if not isinstance(subject, str) or not subject:
        raise ValueError("no subject")
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    start, end = _day(item.get("from")), _day(item.get("until"))
    if action in STATE_ACTIONS and start is None:
        raise ValueError(f"{action} without a 'from' date")
    if action == "expires" and start is None and end is None:
        raise ValueError("expires without a date")
    if start is not None and end is not None and end < start:
        raise ValueError(f"'until' {end} before 'from' {start}")
    summary = item.get("summary")
    return Meaning(
        document=document,
        subject=subject,
        action=str(action),
        start=start,
        end=end,
        summary=summary if isinstance(summary, str) else "",
    )


def _day(value: object) -> date | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"date {value!r} is not text")
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        raise ValueError(f"date {value!r} is not YYYY-MM-DD") from None
