"""Storing the lists read from the eCFR text, in one transaction.

The military-intelligence end users are a list of their own: its first reading
is a baseline (one summary, and every counterparty is screened again, since none
was screened against this list before); later readings record each addition,
removal and change, and alert them like any list action. A change joins the
thread of the rule that amended § 744.22 when the eCFR's history names exactly
one rule read for the newest amendment.

The supplements' entries (Entity List, Unverified List, MEU List) are kept as
the eCFR states them, without change rows: the Federal Register rules already
alert those actions, and reconciliation compares the three sources. A text that
would remove more than `MAX_REMOVED_SHARE` of a list is refused, as a CSL
snapshot is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from storage.changes import change_dedupe_key, record_event
from storage.models import SnapshotRow
from storage.part744 import changes_of_kinds
from storage.watchlist import mark_all_unscreened
from watchers.csl.guard import removal_violations
from watchers.diff import ListDiff, align_keys, diff_lists
from watchers.ecfr.amendments import AMENDMENT
from watchers.ecfr.amendments import SOURCE as VERSIONS_SOURCE
from watchers.ecfr.errors import SuspiciousText
from watchers.ecfr.regulation import RegulationLists
from watchers.entry_rows import (
    StoredState,
    apply_diff,
    insert_entries,
    load_state,
    record_entry_changes,
)
from watchers.records import ListEntry, keyed_entries

TEXT_SOURCE = "ecfr_text"
ALERTED_LISTS = frozenset({"MIEU"})
MAX_REMOVED_SHARE = 0.25
# How recent an amendment must be for a change to join its rule's thread (as the CSL's does).
CORRELATION_WINDOW = timedelta(days=45)


@dataclass(frozen=True, slots=True)
class TextOutcome:
    status: str  # "baseline" | "applied" | "unchanged"
    changes: tuple[str, ...]


def store_regulation_lists(
    session: Session, lists: RegulationLists, *, now: datetime, origin: str
) -> TextOutcome:
    state = load_state(session, source=TEXT_SOURCE)
    incoming = align_keys(state.entries, keyed_entries(list(lists.entries)))
    diffs = diff_lists(state.entries, incoming)
    violations = removal_violations(diffs, max_removed_share=MAX_REMOVED_SHARE)
    if violations:
        raise SuspiciousText(
            "refused: " + "; ".join(v.describe() for v in violations), source=TEXT_SOURCE
        )
    if all(not d.baseline and not d.changes for d in diffs.values()):
        return TextOutcome(status="unchanged", changes=())
    snapshot = _snapshot(session, lists, now=now, origin=origin, diffs=diffs)
    lines: list[str] = []
    for _code, diff in sorted(diffs.items()):
        lines += _store_list(
            session, diff, incoming=incoming, state=state, now=now, snapshot=snapshot
        )
    status = "baseline" if all(d.baseline for d in diffs.values()) else "applied"
    return TextOutcome(status=status, changes=tuple(lines))


def _snapshot(
    session: Session,
    lists: RegulationLists,
    *,
    now: datetime,
    origin: str,
    diffs: dict[str, ListDiff],
) -> int:
    row = SnapshotRow(
        source=TEXT_SOURCE,
        fetched_at=now,
        content_hash=lists.content_hash,
        row_count=len(lists.entries),
        status="baseline" if all(d.baseline for d in diffs.values()) else "applied",
        origin=origin,
        detail=f"amended_on={lists.amended_on.isoformat()}" if lists.amended_on else None,
    )
    session.add(row)
    session.flush()
    assert row.id is not None
    return row.id


def _store_list(
    session: Session,
    diff: ListDiff,
    *,
    incoming: dict[str, ListEntry],
    state: StoredState,
    now: datetime,
    snapshot: int,
) -> list[str]:
    code = diff.list_code
    if diff.baseline:
        members = [(k, e) for k, e in incoming.items() if e.list_code == code]
        insert_entries(session, members, source=TEXT_SOURCE, now=now)
        if code not in ALERTED_LISTS:
            return [f"{code}: {len(members)} entries as the eCFR states them"]
        record_event(
            session,
            dedupe_key=change_dedupe_key(TEXT_SOURCE, "baseline", code),
            source=TEXT_SOURCE,
            kind="baseline",
            list_code=code,
            now=now,
            summary=f"{code}: baseline of {len(members)} military-intelligence end users "
            "named in 15 CFR 744.22(f)(2) (eCFR)",
            snapshot_id=snapshot,
        )
        screened_again = mark_all_unscreened(session)
        return [
            f"{code}: baseline of {len(members)} entries; {screened_again} counterparties "
            "to screen against it"
        ]
    if not diff.changes:
        return []
    apply_diff(session, diff=diff, incoming=incoming, state=state, source=TEXT_SOURCE, now=now)
    if code not in ALERTED_LISTS:
        return [f"{code}: eCFR text +{len(diff.added)} -{len(diff.removed)} ~{len(diff.modified)}"]
    document = _amending_rule(session, list_code=code, now=now)
    record_entry_changes(
        session,
        diff.changes,
        source=TEXT_SOURCE,
        snapshot_id=snapshot,
        now=now,
        documents={c.key: document for c in diff.changes} if document else None,
    )
    return [f"{c.kind} {code} {c.name}" for c in diff.changes]


def _amending_rule(session: Session, *, list_code: str, now: datetime) -> str | None:
    """The one rule read that the eCFR's newest amendment of this list's part names, if that
    amendment is recent (an old rule's thread is another action)."""
    recent = now.date() - CORRELATION_WINDOW
    rows = [
        r
        for r in changes_of_kinds(session, source=VERSIONS_SOURCE, kinds=(AMENDMENT,))
        if r.list_code == list_code and r.effective_date is not None and r.effective_date >= recent
    ]
    if not rows:
        return None
    newest = max(rows, key=lambda r: (r.effective_date, r.id or 0))
    rules = (newest.after or {}).get("rules") or []
    return str(rules[0]) if len(rules) == 1 else None
