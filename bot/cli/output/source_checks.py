"""`sources check` lines for the terminal: what a person acts on first, then the facts."""

from __future__ import annotations

from datetime import datetime

from storage.source_state import SourceState
from watchers.source_check import SourceCheck


def check_line(check: SourceCheck, state: SourceState | None) -> str:
    answer = check.answer
    answered = (
        f"answered {answer.status} {answer.content_type.split(';')[0] or '-'}"
        if answer.status is not None
        else f"no answer ({answer.failure})"
    )
    items = "-" if answer.items is None else str(answer.items)
    newest = check.newest.isoformat() if check.newest else "-"
    last = _when(state.last_success_at) if state else "never"
    return (
        f"{check.source}: {_verdict(check)} | {answered}; "
        f"items {items}; newest {newest}; last success {last} | {check.url}"
    )


def _verdict(check: SourceCheck) -> str:
    if not check.diagnosis.usable:
        return f"UNUSABLE: {check.diagnosis.text}"
    if check.stale:
        return (
            f"STALE: {check.freshness.describe().removeprefix('stale: ')}: it answers but has "
            "published nothing newer; check that this is still the publisher's current "
            "feed or page (SOURCE_STALE_AFTER_DAYS)"
        )
    return f"ok: {check.diagnosis.text}"


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else "never"
