"""`watchlist import`: stream a CSV into the watchlist, idempotent by external id.

Accepted rows are upserted in batches; refused lines are counted and reported
with their line number and reason. With `replace`, active counterparties the
file does not mention are retired, and `say` is told how many before it happens,
but never a counterparty a refused line names, and nothing at all when a refused
line's counterparty cannot be told or the file names no counterparty. Retiring
more than `RETIRE_GUARD_SHARE` of the active watchlist needs `force`: a CRM
export cut short or filtered by mistake would otherwise end monitoring of most
counterparties without a word (a retired counterparty raises no alert).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import BinaryIO

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bot.services.monitoring.csv_rows import Columns, Refused, open_watchlist
from storage.watchlist import (
    Counterparty,
    active_ids_missing,
    count_active,
    retire,
    upsert_counterparties,
)

BATCH = 2000
# Refusals kept for the report; the count goes on beyond this.
KEPT_REFUSALS = 1000
# A scheduled CRM sync retires the few counterparties closed since the last one; a
# tenth of the watchlist at once is a file cut short or filtered, until someone says
# otherwise (the same share as the CSL's removal guard).
RETIRE_GUARD_SHARE = 0.10


class ReplaceRefused(ValueError):
    """`replace` would retire more than `RETIRE_GUARD_SHARE`: nothing was stored."""


@dataclass
class ImportReport:
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    retired: int = 0
    refused_count: int = 0
    refused: list[Refused] = field(default_factory=list)
    note: str | None = None  # how the file was read, when not comma-separated UTF-8
    # Why `replace` retired nothing, when it did not run.
    not_retired: str | None = None
    # Counterparties named by refused lines (kept by `replace`), and lines naming none.
    refused_ids: set[str] = field(default_factory=set)
    unnamed_count: int = 0
    unnamed_lines: list[int] = field(default_factory=list)  # the first few

    def refuse(self, refusal: Refused) -> None:
        self.refused_count += 1
        if len(self.refused) < KEPT_REFUSALS:
            self.refused.append(refusal)
        if refusal.external_id is not None:
            self.refused_ids.add(refusal.external_id)
        else:
            self.unnamed_count += 1
            if len(self.unnamed_lines) < 5:
                self.unnamed_lines.append(refusal.line)


def import_watchlist(
    engine: Engine,
    stream: BinaryIO,
    *,
    columns: Columns,
    added_by: str,
    now: datetime,
    replace: bool = False,
    force: bool = False,
    say: Callable[[str], None] = lambda _: None,
) -> ImportReport:
    """One transaction: a file that cannot be read as a whole changes nothing."""
    report = ImportReport()
    given = frozenset(f for f in ("country", "address", "tag") if getattr(columns, f) is not None)
    seen: dict[str, int] = {}
    batch: list[Counterparty] = []
    with Session(engine) as session, session.begin(), open_watchlist(stream, columns) as file:
        report.note = file.note
        active_before = count_active(session)

        def flush() -> None:
            counts = upsert_counterparties(session, batch, added_by=added_by, now=now, given=given)
            report.added += counts.added
            report.changed += counts.changed
            report.unchanged += counts.unchanged
            batch.clear()

        for line, item in file.rows:
            if isinstance(item, Refused):
                report.refuse(item)
                continue
            if item.external_id in seen:
                first = seen[item.external_id]
                report.refuse(
                    Refused(
                        line, f"id {item.external_id!r} already on line {first}", item.external_id
                    )
                )
                continue
            seen[item.external_id] = line
            batch.append(item)
            if len(batch) >= BATCH:
                flush()
        flush()
        if replace:
            _replace(
                session,
                report,
                named=set(seen),
                active=active_before,
                force=force,
                now=now,
                say=say,
            )
    return report


def _replace(
    session: Session,
    report: ImportReport,
    *,
    named: set[str],
    active: int,
    force: bool,
    now: datetime,
    say: Callable[[str], None],
) -> None:
    report.not_retired = _why_not_retire(report, named=named)
    if report.not_retired is not None:
        return
    missing = active_ids_missing(session, named | report.refused_ids)
    if len(missing) > RETIRE_GUARD_SHARE * active and not force:
        raise ReplaceRefused(
            f"--replace would retire {len(missing):,} of the {active:,} active counterparties "
            f"({len(missing) / max(active, 1):.0%}, more than {RETIRE_GUARD_SHARE:.0%}); "
            "nothing was stored. If the file is complete, run again with --force"
        )
    say(f"retiring {len(missing):,} counterparties that are not in the file")
    report.retired = retire(session, missing, now=now)


def _why_not_retire(report: ImportReport, *, named: set[str]) -> str | None:
    if report.unnamed_count:
        shown = ", ".join(str(n) for n in report.unnamed_lines)
        more = " …" if report.unnamed_count > len(report.unnamed_lines) else ""
        return (
            f"nothing retired: refused line(s) {shown}{more} may name counterparties the file "
            "keeps; fix them and import again"
        )
    if not named:
        return "nothing retired: the file names no counterparty that could be read"
    return None
