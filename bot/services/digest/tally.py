"""Pure reading of change rows and source states into the digest's sections.

Nothing here touches the database: `data.collect_digest` loads the rows and
hands them over, and tests build rows in memory.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from bot.services.digest.model import (
    UNKNOWN_COUNTRY,
    ActionTally,
    InspectionFiling,
    NewNames,
    PressAnnouncement,
    RuleNotice,
    SourceHealth,
)
from bot.services.lists_status import SNAPSHOT_MAX_AGE
from storage.lists_facts import CSL_SOURCE
from storage.models import ChangeRow
from storage.source_state import SourceState
from watchers.freshness import DEFAULT_STALE_AFTER_DAYS, freshness
from watchers.records import normalize_key_text

# Entry-level changes. Baselines ("baseline", "rule_baseline", "press_seen") record
# what was already there, so they are never counted as actions.
ACTION_KINDS = ("added", "removed", "modified")


@dataclass(frozen=True, slots=True, kw_only=True)
class Action:
    kind: str
    list_code: str
    name: str
    country: str


def as_utc(moment: datetime) -> datetime:
    """SQLite hands timestamps back naive; they were stored as UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def actions_from(rows: Iterable[ChangeRow]) -> list[Action]:
    """One action per (kind, list, name, country), in the order the rows come.

    The Federal Register rule and the CSL that catches up with it days later both
    record the same addition; a reader counts it once. A rule that lists one entity
    under three destinations makes three entries, as the rule itself counts them.
    """
    seen: set[tuple[str, str, str, str]] = set()
    actions: list[Action] = []
    for row in rows:
        if row.kind not in ACTION_KINDS:
            continue
        action = Action(
            kind=row.kind,
            list_code=row.list_code or "?",
            name=row.entry_name or row.entry_key or "(unnamed)",
            country=_country(row),
        )
        identity = (action.kind, action.list_code, normalize_key_text(action.name), action.country)
        if identity not in seen:
            seen.add(identity)
            actions.append(action)
    return actions


def _country(row: ChangeRow) -> str:
    # A removal describes the entry as it was; the other kinds as it is now.
    described = (row.before, row.after) if row.kind == "removed" else (row.after, row.before)
    for content in described:
        countries = (content or {}).get("countries")
        if isinstance(countries, list) and countries and isinstance(countries[0], str):
            code = countries[0].strip().upper()
            if code:
                return code
    return UNKNOWN_COUNTRY


def tally(actions: Iterable[Action], key: Callable[[Action], str]) -> tuple[ActionTally, ...]:
    """Counts per key, the busiest first."""
    counts: dict[str, Counter[str]] = {}
    for action in actions:
        counts.setdefault(key(action), Counter())[action.kind] += 1
    tallies = [
        ActionTally(key=k, added=c["added"], removed=c["removed"], modified=c["modified"])
        for k, c in counts.items()
    ]
    return tuple(sorted(tallies, key=lambda t: (-t.total, t.key)))


def new_names(actions: Iterable[Action], *, per_list: int) -> tuple[NewNames, ...]:
    """Distinct added names per list, alphabetical, at most `per_list` each; lists by code."""
    grouped: dict[str, dict[str, str]] = {}
    for action in actions:
        if action.kind == "added":
            group = grouped.setdefault(action.list_code, {})
            group.setdefault(normalize_key_text(action.name), action.name)
    result = []
    for code in sorted(grouped):
        names = sorted(grouped[code].values(), key=str.casefold)
        result.append(
            NewNames(list_code=code, names=tuple(names[:per_list]), more=len(names[per_list:]))
        )
    return tuple(result)


def rule_notices(rows: Iterable[ChangeRow]) -> tuple[RuleNotice, ...]:
    notices = []
    for row in rows:
        after = row.after or {}
        by_action = after.get("entries_by_action")
        notices.append(
            RuleNotice(
                document_number=row.document_number or "?",
                title=_text(after, "title") or row.summary or "(untitled)",
                citation=_text(after, "citation"),
                url=_text(after, "html_url") or _text(after, "pdf_url"),
                publication_date=_date(after, "publication_date"),
                effective_on=_date(after, "effective_on") or row.effective_date,
                entries=_entry_count(by_action),
            )
        )
    return tuple(notices)


def inspection_filings(rows: Iterable[ChangeRow]) -> tuple[InspectionFiling, ...]:
    return tuple(
        InspectionFiling(
            document_number=row.document_number or "?",
            title=_text(row.after or {}, "title") or row.summary or "(untitled)",
            filing_type=_text(row.after or {}, "filing_type"),
            publication_date=_date(row.after or {}, "publication_date"),
            url=_text(row.after or {}, "html_url") or _text(row.after or {}, "pdf_url"),
        )
        for row in rows
    )


def press_announcements(rows: Iterable[ChangeRow]) -> tuple[PressAnnouncement, ...]:
    """Announcements, and the press items whose page could not be read (a person reads
    them: what they announce is not known)."""
    found = []
    for row in rows:
        after = row.after or {}
        unread = _text(after, "page_problem")
        if row.kind != "announcement" and not unread:
            continue
        count = after.get("count")
        found.append(
            PressAnnouncement(
                source=row.source,
                title=_text(after, "title") or row.summary or "(untitled)",
                link=_text(after, "link"),
                lists=_strings(after.get("lists")),
                action=_text(after, "action"),
                count=count if isinstance(count, int) else None,
                countries=_strings(after.get("countries")),
                unread=unread,
                is_action=row.kind == "announcement",
            )
        )
    return tuple(found)


def source_health(
    states: Iterable[SourceState],
    events: Iterable[ChangeRow],
    *,
    until: datetime,
    stale_after_days: int = DEFAULT_STALE_AFTER_DAYS,
    csl_newest_entry: date | None = None,
) -> tuple[SourceHealth, ...]:
    """Each known source's state, with the outages that began or ended in the window, and
    whether it has gone stale (its newest item older than `stale_after_days`).

    The CSL dates no poll items; it is judged by its newest entry, as /screen is: a
    snapshot whose newest entry is older than `SNAPSHOT_MAX_AGE` is stale, however
    recently it was imported."""
    outages = Counter((e.source, e.kind) for e in events)
    health = []
    for state in sorted(states, key=lambda s: s.source):
        newest, stale_after = state.newest_item_on, stale_after_days
        if state.source == CSL_SOURCE and newest is None:
            newest, stale_after = csl_newest_entry, SNAPSHOT_MAX_AGE.days
        last = as_utc(state.last_success_at) if state.last_success_at else None
        health.append(
            SourceHealth(
                source=state.source,
                last_success_at=last,
                age=max(until - last, timedelta(0)) if last else None,
                consecutive_failures=state.consecutive_failures,
                down=state.down,
                last_error=state.last_error,
                went_down=outages[(state.source, "source_down")]
                + outages[(state.source, "source_never_succeeded")],
                recovered=outages[(state.source, "source_recovered")],
                freshness=freshness(newest, today=until.date(), stale_after_days=stale_after),
            )
        )
    return tuple(health)


def _text(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    return (value.strip() or None) if isinstance(value, str) else None


def _date(data: Mapping[str, Any], key: str) -> date | None:
    text = _text(data, key)
    try:
        return date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


def _strings(value: object) -> tuple[str, ...]:
    return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()


def _entry_count(by_action: object) -> int | None:
    if not isinstance(by_action, dict):
        return None
    return sum(n for n in by_action.values() if isinstance(n, int))
