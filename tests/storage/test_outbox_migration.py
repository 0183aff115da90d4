"""Migration 0004 on a database that already holds alerts: a row that failed because the
old sender's crash lookup failed is marked "may have been posted"; other rows are not."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime, column, insert, select, table
from sqlalchemy.orm import Session

from storage.engine import create_db_engine
from storage.migrate import upgrade
from storage.models import OutboxRow
from storage.outcome import failure_reason

PLANNED = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def test_legacy_lookup_failures_may_have_been_posted(db_url: str) -> None:
    engine = create_db_engine(db_url)
    upgrade(engine, "0003")
    # The table as revision 0003 has it (the model already has the new columns).
    legacy = table(
        "outbox",
        *(column(name) for name in ("dedupe_key", "action_key", "channel", "role", "text")),
        *(column(name) for name in ("status", "attempts", "last_error")),
        column("next_attempt_at", DateTime(timezone=True)),
        column("created_at", DateTime(timezone=True)),
    )
    base = {
        "action_key": "a",
        "channel": "C0ALERTS",
        "role": "parent",
        "text": "t",
        "status": "failed",
        "attempts": 3,
        "next_attempt_at": PLANNED,
        "created_at": PLANNED,
    }
    errors = {
        "lookup": "conversations_history: missing_scope",
        "post": "chat_postMessage: is_archived",
    }
    with engine.begin() as connection:
        for key, error in errors.items():
            connection.execute(
                insert(legacy).values(base | {"dedupe_key": key, "last_error": error})
            )
    upgrade(engine)
    with Session(engine) as session:
        rows = {r.dedupe_key: r for r in session.scalars(select(OutboxRow))}
    assert failure_reason(rows["lookup"]).startswith("may have been posted")
    since, until = rows["lookup"].outcome_unknown_since, rows["lookup"].outcome_unknown_until
    assert since is not None and until is not None and since < PLANNED < until
    assert failure_reason(rows["post"]) == "chat_postMessage: is_archived"
    engine.dispose()
