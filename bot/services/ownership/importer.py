"""`ownership import`: stream a CSV of holdings into storage, idempotent by (owned, owner).

One transaction: a file that cannot be read as a whole changes nothing; a bad row is
refused with its line and the good ones are stored. The owned cell is a watched
counterparty's external id (or the name its id was derived from), else a holding
company's name, which links to the rows where that company is the owner: chains.
A duplicate (owned, owner) pair in one file is refused (the first one stands). Owned
parties whose shares add up to more than 100 % are warned about and kept: the data
is the company's own and a person must look at it. `replace` removes the holdings
the file does not give, unless a line was refused (it might have given one).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, BinaryIO

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bot.services.monitoring.names import derived_id
from bot.services.ownership.csv_rows import (
    HoldingLine,
    OwnershipColumns,
    RefusedLine,
    open_ownership,
)
from storage.ownership import (
    active_external_ids,
    counterparty_key,
    remove_holdings_except,
    totals_over,
    upsert_holdings,
)
from storage.ownership_owners import add_owners

BATCH = 2000
KEPT_REFUSALS = 1000


@dataclass
class OwnershipImportReport:
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    removed: int = 0
    refused_count: int = 0
    refused: list[RefusedLine] = field(default_factory=list)
    note: str | None = None
    # owned reference as given -> total percent, when over 100
    over_100: dict[str, float] = field(default_factory=dict)
    not_removed: str | None = None
    # Owned keys whose holdings changed: what the crossing check re-evaluates.
    touched: set[str] = field(default_factory=set)
    crossings: int = 0  # counterparties whose listed share crossed 50 %, alerted

    def refuse(self, refusal: RefusedLine) -> None:
        self.refused_count += 1
        if len(self.refused) < KEPT_REFUSALS:
            self.refused.append(refusal)


def owner_key(name: str) -> str:
    """Owners are known by their normalized name, so a holding company given as an owned
    party on one row and as an owner on another is one node of the chain."""
    return derived_id(name)


def import_ownership(
    engine: Engine,
    stream: BinaryIO,
    *,
    columns: OwnershipColumns,
    imported_by: str,
    now: datetime,
    replace: bool = False,
    after: Callable[[Session, set[str]], int] | None = None,
) -> OwnershipImportReport:
    """`after` runs in the import's transaction with the owned keys that changed (the
    crossing check: its alerts commit with the holdings, or neither does)."""
    report = OwnershipImportReport()
    seen: dict[tuple[str, str], int] = {}
    refs: dict[str, str] = {}
    batch: list[HoldingLine] = []
    with Session(engine) as session, session.begin(), open_ownership(stream, columns) as file:
        report.note = file.note

        def flush() -> None:
            rows = _resolved(session, batch, imported_by=imported_by)
            kept = []
            for line, row in zip(batch, rows, strict=True):
                pair = (row["owned_key"], row["owner_key"])
                if pair in seen:
                    report.refuse(
                        RefusedLine(
                            line.line,
                            f"{line.owner!r} in {line.owned!r} already on line {seen[pair]}",
                        )
                    )
                    continue
                seen[pair] = line.line
                refs[row["owned_key"]] = line.owned
                kept.append(row)
            counts, touched = upsert_holdings(session, kept, now=now)
            add_owners(session, {r["owner_key"]: r["owner_name"] for r in kept})
            report.added += counts.added
            report.changed += counts.changed
            report.unchanged += counts.unchanged
            report.touched |= touched
            batch.clear()

        for item in file.rows:
            if isinstance(item, RefusedLine):
                report.refuse(item)
                continue
            batch.append(item)
            if len(batch) >= BATCH:
                flush()
        flush()
        if replace:
            _replace(session, report, keep=set(seen))
        over = totals_over(session, refs, limit=100.0)
        report.over_100 = {refs[k]: total for k, total in sorted(over.items())}
        if after is not None:
            report.crossings = after(session, report.touched)
    return report


def _replace(
    session: Session, report: OwnershipImportReport, *, keep: set[tuple[str, str]]
) -> None:
    if report.refused_count:
        report.not_removed = "nothing removed: refused lines may give holdings the file keeps"
        return
    if not keep:
        report.not_removed = "nothing removed: the file gives no holding that could be read"
        return
    gone = remove_holdings_except(session, keep)
    report.removed = len(gone)
    report.touched |= gone


def _resolved(
    session: Session, lines: list[HoldingLine], *, imported_by: str
) -> list[dict[str, Any]]:
    """Rows to store: the owned cell as a counterparty (its id, else the id derived from
    it as a name) or else as a holding company by name."""
    candidates = {line.owned for line in lines} | {derived_id(line.owned) for line in lines}
    watched = active_external_ids(session, candidates)
    rows = []
    for line in lines:
        if line.owned in watched:
            owned = counterparty_key(line.owned)
        elif derived_id(line.owned) in watched:
            owned = counterparty_key(derived_id(line.owned))
        else:
            owned = owner_key(line.owned)
        rows.append(
            {
                "owned_key": owned,
                "owned_ref": line.owned,
                "owner_key": owner_key(line.owner),
                "owner_name": line.owner,
                "owner_ref": line.owner_id,
                "percent": line.percent,
                "as_of": line.as_of,
                "source": line.source,
                "imported_by": imported_by,
            }
        )
    return rows
