"""Load one window of change rows and the source states, and build the `Digest`.

The queries are storage's (`storage.change_reads`, `storage.source_state`); the
reading of the rows is in `tally`, which has no database.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from bot.services.digest import tally
from bot.services.digest.model import Digest
from bot.services.monitoring.confirmed import confirmed_lines
from bot.services.rules_calendar import rules_today, state_lines
from storage.change_reads import changes_between
from storage.lists_facts import load_list_contents
from storage.models import ChangeRow
from storage.ownership_standing import covered_count
from storage.source_state import all_source_states
from watchers.freshness import DEFAULT_STALE_AFTER_DAYS

# Names listed per list before "and N more"; the rest are counted.
NAMES_PER_LIST = 25

RULE_KINDS = ("rule_published",)
FILING_KINDS = ("public_inspection",)
# Press items that announce nothing are listed only when their page could not be read.
PRESS_KINDS = ("announcement", "press_item")
OUTAGE_KINDS = ("source_down", "source_never_succeeded", "source_recovered")
WANTED_KINDS = (*tally.ACTION_KINDS, *RULE_KINDS, *FILING_KINDS, *PRESS_KINDS, *OUTAGE_KINDS)


def collect_digest(
    session: Session,
    *,
    since: datetime,
    until: datetime,
    names_per_list: int = NAMES_PER_LIST,
    stale_after_days: int = DEFAULT_STALE_AFTER_DAYS,
    late_from: datetime | None = None,
) -> Digest:
    """What was detected in [since, until), and each source's health as of `until`; with
    `late_from`, also what was detected in [late_from, since) but committed too late for
    the digest of its window (the scheduled digest).

    `since` and `until` must be timezone-aware; they are compared in UTC, the zone
    the rows are stored in.
    """
    if since.tzinfo is None or until.tzinfo is None:
        raise ValueError("since and until must be timezone-aware")
    since, until = tally.as_utc(since), tally.as_utc(until)
    late = tally.as_utc(late_from) if late_from is not None else None
    rows = window_rows(session, since=since, until=until, late_from=late)
    actions = tally.actions_from(rows)
    return Digest(
        since=since,
        until=until,
        by_list=tally.tally(actions, lambda a: a.list_code),
        by_country=tally.tally(actions, lambda a: a.country),
        new_names=tally.new_names(actions, per_list=names_per_list),
        rules=tally.rule_notices(_of(rows, RULE_KINDS)),
        filings=tally.inspection_filings(_of(rows, FILING_KINDS)),
        press=tally.press_announcements(_of(rows, PRESS_KINDS)),
        sources=tally.source_health(
            all_source_states(session),
            _of(rows, OUTAGE_KINDS),
            until=until,
            stale_after_days=stale_after_days,
            csl_newest_entry=load_list_contents(session, today=until.date()).csl_newest_entry,
        ),
        confirmed_matches=confirmed_lines(session),
        rule_states=tuple(state_lines(session, today=rules_today(until))),
        covered_counterparties=covered_count(session),
        change_ids=tuple(r.id for r in rows if r.id is not None),
    )


def window_rows(
    session: Session, *, since: datetime, until: datetime, late_from: datetime | None = None
) -> list[ChangeRow]:
    """The change rows the digest reads, detected in [since, until), oldest first."""
    return changes_between(
        session, since=since, until=until, kinds=WANTED_KINDS, late_from=late_from
    )


def _of(rows: Sequence[ChangeRow], kinds: tuple[str, ...]) -> list[ChangeRow]:
    return [r for r in rows if r.kind in kinds]
