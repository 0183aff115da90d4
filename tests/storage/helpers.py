"""Helpers to compare whole-database state before and after an operation."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from storage.models import ChangeRow, ListEntryRow, SnapshotRow


def dump_state(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    """Every stored row of list state, as comparable tuples."""
    out: dict[str, list[tuple[object, ...]]] = {}
    with Session(engine) as session:
        for model in (ListEntryRow, ChangeRow, SnapshotRow):
            table = model.__table__  # type: ignore[attr-defined]
            rows = session.execute(select(table).order_by(*table.primary_key.columns)).all()
            out[table.name] = [tuple(r) for r in rows]
    return out


def rewrite_csv(data: bytes, edit: Callable[[list[dict[str, str]]], list[dict[str, str]]]) -> bytes:
    """Apply `edit` to the rows of a CSV snapshot and serialize it the way the CSL does."""
    reader = csv.DictReader(io.StringIO(data.decode("utf-8")))
    fields = list(reader.fieldnames or [])
    rows = edit(list(reader))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")
