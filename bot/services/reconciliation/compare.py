"""Each rule read against the CSL and the eCFR text: consistent, pending, lagging. Pure.

A rule's expectations are the entries it added or revised (listed, by name or
alias) and the parties it removed (no longer listed by name), on the lists BIS
keeps in part 744. An entry a later rule acted on again belongs to that later
rule's expectations, not this one's. A comparison is:

- `consistent` when the source lists every expected entry and none removed;
- `pending` while the allowance after the effective date (`RECONCILE_LAG_AFTER`)
  runs: the CSL takes days to follow a rule;
- `lags` when the allowance has passed and the copy of the source held was
  refreshed after it ended, so the gap is the source's and not ours;
- `unknown` when the source is not loaded, or not refreshed since the allowance
  ended (a stale copy proves nothing either way).

Rules in force for more than `WINDOW` are left out: the first run compares the
recent past, not years of rules whose names the lists have since respelled.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from bot.services.reconciliation.model import (
    CONSISTENT,
    LAGS,
    PENDING,
    UNKNOWN,
    RuleComparison,
)
from bot.services.reconciliation.names import ListedKeys
from reference.lists import BIS_RULE_LISTS
from storage.part744 import RuleEntryRow, RuleRead

WINDOW = timedelta(days=180)
EXPECTED_LISTED = ("added", "modified")


@dataclass(frozen=True, slots=True)
class SourceCopy:
    """The copy of one source held now: what it lists, and when it was refreshed."""

    against: str
    keys: ListedKeys
    refreshed_at: datetime | None
    loaded: bool


def compare_rules(
    rules: Sequence[RuleRead],
    entries: Sequence[RuleEntryRow],
    sources: Sequence[SourceCopy],
    *,
    now: datetime,
    lag_after: timedelta,
) -> tuple[RuleComparison, ...]:
    """Every recent rule in force with entries on a part 744 list, against every source."""
    in_force = {
        r.document_number: r
        for r in rules
        if r.effective_date is not None and _recent(r.effective_date, now=now)
    }
    owned = _owners(entries, rules)
    by_rule: dict[str, list[RuleEntryRow]] = {}
    for entry in entries:
        if entry.list_code in BIS_RULE_LISTS and owned.get(_key(entry)) == entry.document_number:
            by_rule.setdefault(entry.document_number, []).append(entry)
    found = [
        _compare(rule, by_rule[number], source, now=now, lag_after=lag_after)
        for number, rule in sorted(in_force.items(), key=lambda item: _order(item[1]))
        if number in by_rule
        for source in sources
    ]
    return tuple(found)


def _recent(effective: date, *, now: datetime) -> bool:
    return now.date() - WINDOW <= effective <= now.date()


def _order(rule: RuleRead) -> tuple[date, str]:
    return rule.effective_date or date.min, rule.document_number


def _key(entry: RuleEntryRow) -> tuple[str, str]:
    return entry.list_code, entry.entry_key


def _owners(
    entries: Iterable[RuleEntryRow], rules: Sequence[RuleRead]
) -> dict[tuple[str, str], str]:
    """The rule that acted last on each entry (by effective date, then document number)."""
    order = {r.document_number: _order(r) for r in rules}
    owners: dict[tuple[str, str], str] = {}
    for entry in sorted(entries, key=lambda e: order.get(e.document_number, (date.min, ""))):
        owners[_key(entry)] = entry.document_number
    return owners


def _compare(
    rule: RuleRead,
    entries: list[RuleEntryRow],
    source: SourceCopy,
    *,
    now: datetime,
    lag_after: timedelta,
) -> RuleComparison:
    assert rule.effective_date is not None
    expected = [e for e in entries if e.kind in EXPECTED_LISTED]
    removed = [e for e in entries if e.kind == "removed"]
    missing = tuple(e.name for e in expected if not source.keys.lists(e.list_code, _texts(e)))
    still = tuple(e.name for e in removed if source.keys.lists(e.list_code, (e.name,)))
    deadline = datetime.combine(rule.effective_date, time.min, tzinfo=UTC) + lag_after
    if not source.loaded:
        state = UNKNOWN
    elif not missing and not still:
        state = CONSISTENT
    elif now < deadline:
        state = PENDING
    elif source.refreshed_at is None or source.refreshed_at < deadline:
        state = UNKNOWN
    else:
        state = LAGS
    return RuleComparison(
        document_number=rule.document_number,
        citation=rule.citation,
        effective_date=rule.effective_date,
        against=source.against,
        list_codes=tuple(sorted({e.list_code for e in entries})),
        expected=len(expected),
        missing=missing,
        removed=len(removed),
        still_listed=still,
        state=state,
        source_as_of=source.refreshed_at,
    )


def _texts(entry: RuleEntryRow) -> tuple[str, ...]:
    # An address-only entry's name is its address, in every source.
    return (entry.name, *entry.aliases)
