"""Import a CSL snapshot: parse, diff against storage, guard, and record, in one transaction.

This is the one path for the CSL: `entitywatch lists import` and the CSL watcher
both call `import_csl`. Either everything (entries, changes, snapshot row) is
committed, or nothing is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from storage.changes import change_dedupe_key, record_event
from storage.models import SnapshotRow
from watchers.csl.guard import GuardViolation, removal_violations
from watchers.csl.parse import SOURCE, parse_csl
from watchers.diff import ListDiff, align_keys, diff_lists
from watchers.entry_rows import apply_diff, insert_entries, load_state, record_entry_changes
from watchers.federal_register.recording import rule_documents_for_keys
from watchers.records import keyed_entries

# Shared by every process that imports the CSL ("csl-imp" in ASCII).
IMPORT_LOCK = 0x63736C2D696D70


class SnapshotRefused(ValueError):
    """The snapshot parsed, but applying it would remove too much of a list."""

    def __init__(self, violations: list[GuardViolation]) -> None:
        self.violations = violations
        detail = "; ".join(v.describe() for v in violations)
        super().__init__(f"snapshot refused: {detail} (use --force to accept it)")


@dataclass(frozen=True, slots=True)
class ListOutcome:
    list_code: str
    status: str  # "baseline" | "applied" | "unchanged"
    entries: int
    added: int = 0
    removed: int = 0
    modified: int = 0


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    status: str  # "baseline" | "applied" | "unchanged"
    content_hash: str
    row_count: int
    lists: dict[str, ListOutcome] = field(default_factory=dict)
    diffs: dict[str, ListDiff] = field(default_factory=dict)

    def as_json(self) -> dict[str, object]:
        return {
            "status": self.status,
            "content_hash": self.content_hash,
            "rows": self.row_count,
            "lists": {
                code: {
                    "status": o.status,
                    "entries": o.entries,
                    "added": o.added,
                    "removed": o.removed,
                    "modified": o.modified,
                }
                for code, o in sorted(self.lists.items())
            },
        }


def _outcome(diff: ListDiff) -> ListOutcome:
    if diff.baseline:
        status = "baseline"
    else:
        status = "applied" if diff.changes else "unchanged"
    return ListOutcome(
        list_code=diff.list_code,
        status=status,
        entries=diff.incoming_count,
        added=len(diff.added),
        removed=len(diff.removed),
        modified=len(diff.modified),
    )


def _overall(lists: dict[str, ListOutcome]) -> str:
    statuses = {o.status for o in lists.values()}
    if statuses == {"baseline"}:
        return "baseline"
    return "applied" if statuses - {"unchanged"} else "unchanged"


def lock_imports(session: Session) -> None:
    """Serialise imports until this transaction ends.

    PostgreSQL: a transaction-scoped advisory lock (READ COMMITTED, so reads after it see
    the previous import's commit). SQLite: `BEGIN IMMEDIATE` takes the database's write
    lock before the first read (the driver would otherwise start the transaction only at
    the first write, after the diff); a second importer waits for it up to the busy
    timeout set in storage.engine.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": IMPORT_LOCK})
    else:
        session.execute(text("BEGIN IMMEDIATE"))


def import_csl(
    engine: Engine,
    data: bytes,
    *,
    now: datetime,
    origin: str,
    fmt: str | None = None,
    force: bool = False,
    max_removed_share: float,
) -> ImportOutcome:
    """Raises `ParseError` for a malformed snapshot and `SnapshotRefused` for a suspicious one."""
    snapshot = parse_csl(data, fmt=fmt)
    with Session(engine) as session, session.begin():
        # A CLI import beside the watcher (or another CLI) must not diff against state the
        # other one is changing: take the import lock first, then read the state inside it.
        lock_imports(session)
        state = load_state(session, source=SOURCE)
        incoming = align_keys(state.entries, keyed_entries(snapshot.entries))
        diffs = diff_lists(state.entries, incoming)
        violations = removal_violations(diffs, max_removed_share=max_removed_share)
        if violations and not force:
            raise SnapshotRefused(violations)
        lists = {code: _outcome(d) for code, d in diffs.items()}
        outcome = ImportOutcome(
            status=_overall(lists),
            content_hash=snapshot.content_hash,
            row_count=snapshot.row_count,
            lists=lists,
            diffs=diffs,
        )
        if outcome.status == "unchanged":
            return outcome
        row = SnapshotRow(
            source=SOURCE,
            fetched_at=now,
            content_hash=snapshot.content_hash,
            row_count=snapshot.row_count,
            status=outcome.status,
            origin=origin,
            detail="forced past the removal guard" if violations else None,
        )
        session.add(row)
        session.flush()
        assert row.id is not None
        for code, diff in diffs.items():
            if diff.baseline:
                members = [(k, e) for k, e in incoming.items() if e.list_code == code]
                insert_entries(session, members, source=SOURCE, now=now)
                record_event(
                    session,
                    dedupe_key=change_dedupe_key(SOURCE, "baseline", code, snapshot.content_hash),
                    source=SOURCE,
                    kind="baseline",
                    list_code=code,
                    now=now,
                    summary=f"{code}: baseline of {len(members)} entries",
                    snapshot_id=row.id,
                )
            elif diff.changes:
                apply_diff(
                    session, diff=diff, incoming=incoming, state=state, source=SOURCE, now=now
                )
                record_entry_changes(
                    session,
                    diff.changes,
                    source=SOURCE,
                    snapshot_id=row.id,
                    now=now,
                    # The CSL catching up with a Federal Register rule joins that rule's action.
                    documents=rule_documents_for_keys(
                        session, (c.key for c in diff.changes), now=now
                    ),
                )
        return outcome
