"""`watchlist import`: stream a CSV into the watchlist, idempotent by external id.

Accepted rows are upserted in batches; refused lines are counted and reported
with their line number and reason. With `replace`, active counterparties the
file does not mention are retired, and `say` is told how many before it happens.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import BinaryIO

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bot.services.monitoring.csv_rows import Columns, Refused, read_rows
from storage.watchlist import Counterparty, active_ids_missing, retire, upsert_counterparties

BATCH = 2000
# Refusals kept for the report; the count goes on beyond this.
KEPT_REFUSALS = 1000


@dataclass
class ImportReport:
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    retired: int = 0
    refused_count: int = 0
    refused: list[Refused] = field(default_factory=list)

    def refuse(self, refusal: Refused) -> None:
        self.refused_count += 1
        if len(self.refused) < KEPT_REFUSALS:
            self.refused.append(refusal)


def import_watchlist(
    engine: Engine,
    stream: BinaryIO,
    *,
    columns: Columns,
    added_by: str,
    now: datetime,
    replace: bool = False,
    say: Callable[[str], None] = lambda _: None,
) -> ImportReport:
    """One transaction: a file that cannot be read as a whole changes nothing."""
    report = ImportReport()
    given = frozenset(f for f in ("country", "address", "tag") if getattr(columns, f) is not None)
    seen: dict[str, int] = {}
    batch: list[Counterparty] = []
    with Session(engine) as session, session.begin():

        def flush() -> None:
            counts = upsert_counterparties(session, batch, added_by=added_by, now=now, given=given)
            report.added += counts.added
            report.changed += counts.changed
            report.unchanged += counts.unchanged
            batch.clear()

        for line, item in read_rows(stream, columns):
            if isinstance(item, Refused):
                report.refuse(item)
                continue
            if item.external_id in seen:
                first = seen[item.external_id]
                report.refuse(Refused(line, f"id {item.external_id!r} already on line {first}"))
                continue
            seen[item.external_id] = line
            batch.append(item)
            if len(batch) >= BATCH:
                flush()
        flush()
        if replace:
            missing = active_ids_missing(session, set(seen))
            say(f"retiring {len(missing):,} counterparties that are not in the file")
            report.retired = retire(session, missing, now=now)
    return report
