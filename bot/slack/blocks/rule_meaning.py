"""The alert form of a part 744 rule that changes what a listing means, or that
entitywatch could not read. Pure: a stored change in, mrkdwn lines out.

It reads the `classification`, `meaning` and `effective` keys the Federal Register
watchers write into `after` (contract: `watchers.federal_register.meaning`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.services.alerts.model import ChangeView
from bot.slack.blocks.kit import escape

DOCUMENT_KINDS = frozenset({"public_inspection", "rule_published"})
SUBJECTS = {
    "affiliates": "Affiliates rule (entities 50 % or more owned by listed parties)",
    "tgl": "Temporary general license",
    "fdp": "Foreign direct product rule",
    "license_policy": "License requirement / review policy",
    "suspension": "Suspension",
}
ACTIONS = {
    "in_force": "in force",
    "suspended": "suspended",
    "reimposed": "reimposed",
    "amended": "amended",
    "expires": "expires",
}


def classification(change: ChangeView) -> str | None:
    if change.kind not in DOCUMENT_KINDS:
        return None
    value = (change.after or {}).get("classification")
    return str(value) if value else None


def rule_title(change: ChangeView) -> str | None:
    """The alert's header for a change of meaning or an unreadable rule, else None."""
    title = str((change.after or {}).get("title", ""))
    kind = classification(change)
    where = "on public inspection" if change.kind == "public_inspection" else "published"
    if kind == "meaning":
        return f"Part 744 rule {where} changes what a listing means: {title}"
    if kind == "unreadable":
        return f"Part 744 rule: read it ({where}): {title}"
    return None


def meaning_lines(change: ChangeView) -> list[str]:
    """One line per change of meaning: what, from when, until when."""
    after = change.after or {}
    lines: list[str] = []
    for item in _items(after.get("meaning")):
        subject = SUBJECTS.get(str(item.get("subject")), str(item.get("subject", "")))
        action = ACTIONS.get(str(item.get("action")), str(item.get("action", "")))
        when = ""
        if item.get("from"):
            when += f" from {item['from']}"
        if item.get("until"):
            when += f" until {item['until']}"
        lines.append(f"• *{escape(subject)}*: {escape(action)}{escape(when)}")
    if classification(change) == "unreadable":
        problem = after.get("read_problem") or after.get("parse_error")
        reason = f" ({escape(problem)})" if problem else ""
        lines.append(
            "⚠️ entitywatch could not tell what this part 744 rule does"
            f"{reason}: read the rule itself."
        )
    return lines


def end_dates(changes: Sequence[ChangeView]) -> list[str]:
    """ "Suspension ends 2026-11-09", "TGL expires 2025-11-28": the end dates to diarise."""
    found: list[str] = []
    for change in changes:
        for item in _items((change.after or {}).get("meaning")):
            if not item.get("until"):
                continue
            subject = SUBJECTS.get(str(item.get("subject")), str(item.get("subject", "")))
            verb = "expires" if item.get("action") == "expires" else "ends"
            line = f"{subject} ({item.get('action')}) {verb} {item['until']}"
            if line not in found:
                found.append(line)
    return found


def effective_phrase(changes: Sequence[ChangeView]) -> str | None:
    """The effective date as the filing's DATES text gives it, for a filing on the desk."""
    for change in changes:
        if change.kind != "public_inspection":
            continue
        effective = (change.after or {}).get("effective")
        if not isinstance(effective, dict):
            continue
        kind, on, filed = effective.get("kind"), effective.get("on"), effective.get("filed")
        if kind == "on_filing":
            return f"{on}, effective on filing ({filed})" if filed else f"{on}, on filing"
        if kind == "on_publication" and on:
            return f"{on}, on publication"
        if kind == "date" and on:
            return str(on)
        if kind in ("unknown", "missing"):
            return "see rule (its DATES text could not be read)"
        if kind == "unread":
            return "see rule (the filing's text could not be read)"
    return None


def _items(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []
