"""The rules calendar as terminal text and as JSON (`entitywatch rules status`)."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.services.rules_calendar import STATE_WORDS, SUBJECT_LABELS, Calendar, Period


def subject_label(subject: str) -> str:
    return SUBJECT_LABELS.get(subject, subject)


def render_calendars(calendars: list[Calendar], *, today: date) -> str:
    if not calendars:
        return (
            "No rule read changes what a listing means (no dated calendar yet); "
            "the Federal Register watchers record one when they read such a rule."
        )
    blocks = [_render_one(calendar, today=today) for calendar in calendars]
    return "\n\n".join(blocks)


def _render_one(calendar: Calendar, *, today: date) -> str:
    state = calendar.state_on(today)
    lines = [
        f"{subject_label(calendar.subject)}: {state.sentence()} (today {today})",
        f"  documents: {', '.join(calendar.documents)}",
    ]
    for index, period in enumerate(calendar.periods):
        mark = "*" if index == calendar.index_on(today) else " "
        row = f"  {mark} {_span(period):<26} {STATE_WORDS[period.state]:<13}{_by(period)}"
        lines.append(row.rstrip())
    if state.next_change is not None and state.next_state is not None:
        lines.append(
            f"  next: {STATE_WORDS[state.next_state]} from {state.next_change}"
            f" (FR Doc {state.next_document})"
        )
    return "\n".join(lines)


def _span(period: Period) -> str:
    start = str(period.start) if period.start else "…"
    end = str(period.end) if period.end else "…"
    return f"{start} to {end}"


def _by(period: Period) -> str:
    if period.document is None:
        return ""
    return f"FR Doc {period.document} ({period.action})"


def calendars_json(calendars: list[Calendar], *, today: date) -> dict[str, Any]:
    return {
        "today": today.isoformat(),
        "subjects": [_one_json(calendar, today=today) for calendar in calendars],
    }


def _one_json(calendar: Calendar, *, today: date) -> dict[str, Any]:
    state = calendar.state_on(today)
    return {
        "subject": calendar.subject,
        "label": subject_label(calendar.subject),
        "state": state.state,
        "since": _iso(state.since),
        "until": _iso(state.until),
        "next_change": _iso(state.next_change),
        "next_state": state.next_state,
        "sentence": state.sentence(),
        "documents": list(calendar.documents),
        "periods": [
            {
                "state": p.state,
                "from": _iso(p.start),
                "until": _iso(p.end),
                "document": p.document,
                "action": p.action,
                "summary": p.summary,
            }
            for p in calendar.periods
        ],
    }


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
