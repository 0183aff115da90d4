"""Per-source polling state: conditional-GET validators, last success, failure streaks."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlmodel import SQLModel, col

from storage.inserts import insert_ignoring_duplicates
from storage.models import SourceStateRow


@dataclass(frozen=True, slots=True)
class SourceState:
    """A detached copy of a source's row (the default for a source never polled)."""

    source: str
    etag: str | None = None
    last_modified: str | None = None
    last_attempt_at: datetime | None = None
    last_success_at: datetime | None = None
    consecutive_failures: int = 0
    down: bool = False
    last_error: str | None = None
    cursor: dict[str, Any] = field(default_factory=dict)
    newest_item_on: date | None = None  # the newest item it showed, when it dates them

    @property
    def never_succeeded(self) -> bool:
        return self.last_success_at is None


def load_source_state(session: Session, source: str) -> SourceState:
    row = session.get(SourceStateRow, source)
    return SourceState(source=source) if row is None else _state_of(row)


def _state_of(row: SourceStateRow) -> SourceState:
    return SourceState(
        source=row.source,
        etag=row.etag,
        last_modified=row.last_modified,
        last_attempt_at=row.last_attempt_at,
        last_success_at=row.last_success_at,
        consecutive_failures=row.consecutive_failures,
        down=row.down,
        last_error=row.last_error,
        cursor=dict(row.cursor or {}),
        newest_item_on=row.newest_item_on,
    )


def _row(session: Session, source: str) -> SourceStateRow:
    """The source's row, created if missing, locked for this transaction.

    Two writers may create it at once (`lists import` recording its success beside the
    watcher, or two imports): the insert skips a row the other created, then both lock it.
    """
    table = SQLModel.metadata.tables[SourceStateRow.__tablename__]
    session.execute(
        insert_ignoring_duplicates(session, table).values(
            source=source, consecutive_failures=0, down=False
        )
    )
    row = session.get(SourceStateRow, source, with_for_update=True, populate_existing=True)
    assert row is not None  # inserted above, or by the writer we waited for
    return row


def save_success(
    session: Session,
    source: str,
    *,
    now: datetime,
    etag: str | None,
    last_modified: str | None,
    cursor: dict[str, Any] | None = None,
    keep_validators: bool = False,
    newest_item_on: date | None = None,
) -> None:
    row = _row(session, source)
    if newest_item_on is not None:
        row.newest_item_on = newest_item_on
    if not keep_validators:
        row.etag, row.last_modified = etag, last_modified
    if cursor is not None:
        row.cursor = cursor
    row.last_attempt_at = row.last_success_at = now
    row.consecutive_failures = 0
    row.down = False
    row.last_error = None


def save_failure(
    session: Session, source: str, *, now: datetime, error: str, down_after: int
) -> tuple[int, bool]:
    """Count one more failure. Returns the streak length and whether the source just went down."""
    row = _row(session, source)
    row.last_attempt_at = now
    row.consecutive_failures = (row.consecutive_failures or 0) + 1
    row.last_error = error[:2000]
    went_down = not row.down and row.consecutive_failures >= down_after
    row.down = row.down or went_down
    return row.consecutive_failures, went_down


def all_source_states(session: Session) -> list[SourceState]:
    rows = session.query(SourceStateRow).order_by(SourceStateRow.source).all()
    return [_state_of(row) for row in rows]


def sources_polled_since(session: Session, since: datetime) -> int:
    """How many sources started a poll at or after `since`."""
    stmt = (
        select(func.count())
        .select_from(SourceStateRow)
        .where(col(SourceStateRow.last_attempt_at) >= since)
    )
    return int(session.scalar(stmt) or 0)
