"""`lists status` and the App Home's list lines: per list, where it comes from, as of when,
how many entries, the newest rule included and what lags. Storage in, frozen data out.

Beside `bot.services.lists_status` (whether the lists can clear a name), this says
list by list what entitywatch holds: the CSL's entries, the entries of rules the CSL
has not caught up with (screened from the rule), the eCFR's text of part 744, and
the lags reconciliation finds (`bot.services.reconciliation`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from bot.services.answer_sources import RULE_SOURCE
from bot.services.lists_status import ListsStatus, assess_lists
from bot.services.reconciliation.model import CONSISTENT, CSL, ECFR, LAGS, PENDING, RuleComparison
from bot.services.reconciliation.names import ListedKeys
from bot.services.reconciliation.service import load_comparisons, source_keys
from reference.lists import BIS_RULE_LISTS, LISTS_NOT_ON_CSL, PART_744_LISTS, list_name
from storage.list_counts import NewestEntry, entry_counts, newest_entries
from storage.lists_facts import load_list_contents, load_list_refreshes
from storage.part744 import listed_names
from storage.source_state import load_source_state

FIRST = (*BIS_RULE_LISTS, *LISTS_NOT_ON_CSL)
_SUPPLEMENTS = {code: ident for ident, code in PART_744_LISTS.items()}


@dataclass(frozen=True, slots=True)
class ListOverview:
    list_code: str
    name: str
    origin: str
    entries: int  # what /screen answers from for this list
    csl_entries: int
    from_rules: int  # entries of rules the CSL does not list yet
    ecfr_entries: int | None  # None: the eCFR text does not hold this list, or was not read
    csl_newest: NewestEntry | None
    newest_rule: RuleComparison | None  # the newest rule whose entries the CSL lists
    lags: tuple[RuleComparison, ...]
    pending: tuple[RuleComparison, ...]
    csl_lacks_from_ecfr: int | None  # eCFR entries whose names the CSL does not list
    ecfr_through: date | None = None  # the eCFR text's date, for a list read from it

    def as_json(self) -> dict[str, Any]:
        newest = self.newest_rule
        return {
            "list": self.list_code,
            "name": self.name,
            "source": self.origin,
            "entries": self.entries,
            "csl_entries": self.csl_entries,
            "from_rules_not_on_csl": self.from_rules,
            "ecfr_entries": self.ecfr_entries,
            "csl_newest_entry": self.csl_newest.start_date.isoformat() if self.csl_newest else None,
            "newest_rule_included": _rule_json(newest) if newest else None,
            "lags": [_lag_json(c) for c in self.lags],
            "pending": [_lag_json(c) for c in self.pending],
            "csl_lacks_ecfr_entries": self.csl_lacks_from_ecfr,
            "ecfr_through": _iso(self.ecfr_through),
        }


@dataclass(frozen=True, slots=True)
class ListsOverview:
    status: ListsStatus
    csl_refreshed_at: datetime | None
    ecfr_amended_on: date | None
    ecfr_read_at: datetime | None
    lists: tuple[ListOverview, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "lists_state": self.status.as_json(),
            "csl_refreshed_at": _iso(self.csl_refreshed_at),
            "ecfr_amended_on": _iso(self.ecfr_amended_on),
            "ecfr_read_at": _iso(self.ecfr_read_at),
            "lists": [item.as_json() for item in self.lists],
        }


def load_overview(
    session: Session, *, now: datetime, lag_after: timedelta, max_age: timedelta
) -> ListsOverview:
    counts = entry_counts(session)
    csl_keys = source_keys(session, source=CSL)
    comparisons = load_comparisons(session, now=now, lag_after=lag_after, csl_keys=csl_keys)
    refreshes = load_list_refreshes(session)
    ecfr_state = load_source_state(session, ECFR)
    amended = ecfr_state.cursor.get("amended_on")
    ecfr_lacking = _csl_lacks_ecfr(session, csl_keys) if _holds(counts, ECFR) else {}
    newest = newest_entries(session, source=CSL, today=now.date())
    codes = _codes(counts)
    rule_only = _rule_entries_not_on_csl(session)
    through = date.fromisoformat(amended) if amended else None
    lists = tuple(
        replace(
            _overview(code, counts, comparisons, newest.get(code), ecfr_lacking, rule_only),
            ecfr_through=through if (ECFR, code) in counts else None,
        )
        for code in codes
    )
    status = assess_lists(
        load_list_contents(session, today=now.date()), refreshes, now=now, max_age=max_age
    )
    return ListsOverview(
        status=status,
        csl_refreshed_at=refreshes.csl_refreshed_at,
        ecfr_amended_on=through,
        ecfr_read_at=ecfr_state.last_success_at,
        lists=lists,
    )


def _codes(counts: dict[tuple[str, str], int]) -> list[str]:
    held = {code for _, code in counts}
    rest = sorted(held - set(FIRST))
    return [*FIRST, *rest]


def _holds(counts: dict[tuple[str, str], int], source: str) -> bool:
    return any(s == source for s, _ in counts)


def _overview(
    code: str,
    counts: dict[tuple[str, str], int],
    comparisons: tuple[RuleComparison, ...],
    csl_newest: NewestEntry | None,
    ecfr_lacking: dict[str, int],
    rule_only: dict[str, int],
) -> ListOverview:
    csl = counts.get((CSL, code), 0)
    ecfr = counts.get((ECFR, code))
    mine = [c for c in comparisons if code in c.list_codes]
    on_csl = [c for c in mine if c.against == CSL]
    included = [c for c in on_csl if c.state == CONSISTENT]
    from_rules = rule_only.get(code, 0)
    entries = (ecfr or 0) if code in LISTS_NOT_ON_CSL else csl + from_rules
    return ListOverview(
        list_code=code,
        name=list_name(code),
        origin=_origin(code),
        entries=entries,
        csl_entries=csl,
        from_rules=from_rules,
        ecfr_entries=ecfr,
        csl_newest=csl_newest,
        newest_rule=max(included, key=_newest_first, default=None),
        lags=tuple(c for c in mine if c.state == LAGS),
        pending=tuple(c for c in mine if c.state == PENDING),
        csl_lacks_from_ecfr=ecfr_lacking.get(code) if ecfr is not None else None,
    )


def _newest_first(c: RuleComparison) -> tuple[date, str]:
    return c.effective_date, c.document_number


def _origin(code: str) -> str:
    if code in LISTS_NOT_ON_CSL:
        return "eCFR, 15 CFR 744.22(f)(2) (the CSL does not carry it)"
    if code in BIS_RULE_LISTS:
        return f"CSL, Federal Register rules, eCFR {_SUPPLEMENTS[code]}"
    return "CSL"


def _rule_entries_not_on_csl(session: Session) -> dict[str, int]:
    """Per list, the rules' entries /screen answers from because the CSL lacks their key."""
    on_csl = {row.entry_key for row in listed_names(session, source=CSL, lists=BIS_RULE_LISTS)}
    found: dict[str, int] = {}
    for row in listed_names(session, source=RULE_SOURCE, lists=BIS_RULE_LISTS):
        if row.entry_key not in on_csl:
            found[row.list_code] = found.get(row.list_code, 0) + 1
    return found


def _csl_lacks_ecfr(session: Session, on_csl: ListedKeys) -> dict[str, int]:
    lacking: dict[str, int] = {}
    for row in listed_names(session, source=ECFR, lists=BIS_RULE_LISTS):
        if not on_csl.lists(row.list_code, (row.name, *row.aliases)):
            lacking[row.list_code] = lacking.get(row.list_code, 0) + 1
    return lacking


def _rule_json(c: RuleComparison) -> dict[str, Any]:
    return {
        "document_number": c.document_number,
        "citation": c.citation,
        "effective_date": c.effective_date.isoformat(),
    }


def _lag_json(c: RuleComparison) -> dict[str, Any]:
    return _rule_json(c) | {
        "against": c.against,
        "missing": len(c.missing),
        "expected": c.expected,
        "still_listed": len(c.still_listed),
        "text": c.short_text(),
    }


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value else None
