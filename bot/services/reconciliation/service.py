"""Reconciliation against storage: compare the rules read with the CSL and the eCFR text
held now, and alert each lag once and its end once.

An operations alert ("list_lag") goes out when a rule's comparison turns `lags`,
and one "list_caught_up" when the same comparison is `consistent` again; both
reply in one thread per rule and source. The alerts are change rows keyed by rule,
source and episode (how many times this rule has caught up before), so a
restart, a second replica or a rerun records nothing twice, and a source that
relapses (the CSL once dropped thousands of rows for a day) alerts again.
`pending` and `unknown` comparisons alert nothing: in particular a source that
cannot be read or was not refreshed never produces a "caught up".
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bot.services.reconciliation.compare import WINDOW, SourceCopy, compare_rules
from bot.services.reconciliation.model import CONSISTENT, CSL, ECFR, LAGS, RuleComparison
from bot.services.reconciliation.names import ListedKeys
from reference.lists import BIS_RULE_LISTS
from storage.changes import change_dedupe_key, record_event
from storage.lists_facts import load_list_refreshes
from storage.part744 import changes_of_kinds, listed_names, rule_entries, rules_read
from storage.source_state import load_source_state

log = logging.getLogger(__name__)

SOURCE = "reconciliation"
LAG = "list_lag"
CAUGHT_UP = "list_caught_up"
DEFAULT_LAG_AFTER = timedelta(days=3)


def load_comparisons(
    session: Session, *, now: datetime, lag_after: timedelta, csl_keys: ListedKeys | None = None
) -> tuple[RuleComparison, ...]:
    """Every recent rule against the CSL and the eCFR text, as storage holds them now.

    `csl_keys`: the CSL's keys when the caller has read them already (`lists status`)."""
    rules = rules_read(session)
    recent = [
        r.document_number
        for r in rules
        if r.effective_date is not None and r.effective_date >= now.date() - WINDOW
    ]
    entries = rule_entries(session, recent)
    return compare_rules(
        rules,
        entries,
        [_csl_copy(session, csl_keys), _ecfr_copy(session)],
        now=now,
        lag_after=lag_after,
    )


def source_keys(session: Session, *, source: str) -> ListedKeys:
    """The name and alias keys of `source`'s entries on the part 744 lists."""
    keys = ListedKeys()
    for row in listed_names(session, source=source, lists=BIS_RULE_LISTS):
        keys.add(row.list_code, (row.name, *row.aliases))
    return keys


def _csl_copy(session: Session, keys: ListedKeys | None) -> SourceCopy:
    keys = keys if keys is not None else source_keys(session, source=CSL)
    return SourceCopy(
        against=CSL,
        keys=keys,
        refreshed_at=load_list_refreshes(session).csl_refreshed_at,
        loaded=bool(keys.by_list),
    )


def _ecfr_copy(session: Session) -> SourceCopy:
    keys = source_keys(session, source=ECFR)
    return SourceCopy(
        against=ECFR,
        keys=keys,
        refreshed_at=load_source_state(session, ECFR).last_success_at,
        loaded=bool(keys.by_list),
    )


def record_outcomes(
    session: Session, comparisons: Sequence[RuleComparison], *, now: datetime
) -> list[str]:
    """Record a lag or a catching-up where a comparison changed; returns their summaries."""
    lags, ups = _episodes(session)
    new: list[str] = []
    for c in comparisons:
        key = (c.against, c.document_number)
        is_open = lags[key] > ups[key]
        if c.state == LAGS and not is_open:
            kind, summary = LAG, _capital(c.lag_text())
        elif c.state == CONSISTENT and is_open:
            kind, summary = CAUGHT_UP, _caught_up_text(c, now=now)
        else:
            continue
        recorded = record_event(
            session,
            dedupe_key=change_dedupe_key(SOURCE, kind, c.against, c.document_number, str(ups[key])),
            source=SOURCE,
            kind=kind,
            now=now,
            list_code=c.list_codes[0] if c.list_codes else None,
            effective_date=c.effective_date,
            summary=summary,
            after=_facts(c, episode=ups[key]),
        )
        if recorded:
            new.append(summary)
    return new


def _episodes(session: Session) -> tuple[Counter[tuple[str, str]], Counter[tuple[str, str]]]:
    lags: Counter[tuple[str, str]] = Counter()
    ups: Counter[tuple[str, str]] = Counter()
    for row in changes_of_kinds(session, source=SOURCE, kinds=(LAG, CAUGHT_UP)):
        after = row.after or {}
        key = (str(after.get("against")), str(after.get("document_number")))
        (lags if row.kind == LAG else ups)[key] += 1
    return lags, ups


def _facts(c: RuleComparison, *, episode: int) -> dict[str, Any]:
    return {
        "against": c.against,
        "document_number": c.document_number,
        "citation": c.citation,
        "effective_date": c.effective_date.isoformat(),
        "expected": c.expected,
        "missing": list(c.missing[:50]),
        "missing_count": len(c.missing),
        "removed": c.removed,
        "still_listed": list(c.still_listed[:50]),
        "still_listed_count": len(c.still_listed),
        "source_as_of": c.source_as_of.isoformat() if c.source_as_of else None,
        "episode": episode,
    }


def _caught_up_text(c: RuleComparison, *, now: datetime) -> str:
    days = (now.date() - c.effective_date).days
    return (
        f"{_capital(c.source_name)} has caught up with FR Doc {c.document_number}: it lists all "
        f"{c.expected} entries the rule added or revised"
        + (f" and none of the {c.removed} it removed" if c.removed else "")
        + f" ({days} days after it took effect on {c.effective_date.isoformat()})"
    )


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


@dataclass
class ReconciliationService:
    engine: Engine
    lag_after: timedelta = DEFAULT_LAG_AFTER
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))

    def run_once(self) -> list[str]:
        """Compare and record, in one transaction (the leader's fenced engine)."""
        now = self.clock()
        with Session(self.engine) as session, session.begin():
            comparisons = load_comparisons(session, now=now, lag_after=self.lag_after)
            new = record_outcomes(session, comparisons, now=now)
        lagging = sum(1 for c in comparisons if c.state == LAGS)
        log.info(
            "reconcile.done comparisons=%d lagging=%d alerts=%d",
            len(comparisons),
            lagging,
            len(new),
        )
        return new

    def comparisons(self) -> tuple[RuleComparison, ...]:
        with Session(self.engine) as session:
            return load_comparisons(session, now=self.clock(), lag_after=self.lag_after)
