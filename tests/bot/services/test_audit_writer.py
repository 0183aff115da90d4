"""The batch audit writer: every queued screening row is written once, failures are retried,
and rows that can never be written end up in the log instead of nowhere."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from bot.services.audit_writer import AuditWriter
from storage.models import ScreeningAuditRow
from storage.screening_audit import AuditRecord

T0 = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def record(query: str) -> AuditRecord:
    return AuditRecord(
        origin="slack",
        query=query,
        screened_at=T0,
        list_versions={"csl": "abc"},
        results=[{"name": query, "band": "review", "score": 0.8}],
        top_band="review",
        lists_state="fresh",
        user_id="U1",
        channel_id="C1",
    )


def stored_queries(engine: Engine) -> list[str]:
    with Session(engine) as session:
        return list(session.scalars(select(ScreeningAuditRow.query)))


@contextmanager
def audit_table_away(engine: Engine) -> Iterator[None]:
    """The audit table unwritable (renamed) for a while, on either database."""
    with engine.begin() as connection:
        connection.execute(text("ALTER TABLE screening_audit RENAME TO screening_audit_away"))
    try:
        yield
    finally:
        with engine.begin() as connection:
            connection.execute(text("ALTER TABLE screening_audit_away RENAME TO screening_audit"))


def test_rows_queued_from_many_threads_are_written_once_each(engine: Engine) -> None:
    writer = AuditWriter(engine)

    def screen_many(thread: int) -> None:
        for n in range(50):
            writer.submit(record(f"name {thread}-{n}"))

    threads = [threading.Thread(target=screen_many, args=(t,)) for t in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert writer.flush(timeout=30)
    writer.close()
    stored = stored_queries(engine)
    assert sorted(stored) == sorted(f"name {t}-{n}" for t in range(8) for n in range(50))


def test_a_failing_database_delays_rows_and_loses_none(
    engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    """Tried: the audit table unwritable (renamed away) while screenings keep coming."""
    caplog.set_level(logging.WARNING, logger="bot.services.audit_writer")
    writer = AuditWriter(engine, retry_delay=0.1)
    with audit_table_away(engine):
        for n in range(5):
            writer.submit(record(f"during outage {n}"))
        assert not writer.flush(timeout=0.5)  # still queued, being retried
        assert writer.pending == 5
    writer.submit(record("after outage"))
    assert writer.flush(timeout=15)
    writer.close()
    stored = stored_queries(engine)
    assert sorted(stored) == sorted([f"during outage {n}" for n in range(5)] + ["after outage"])
    failures = [r.getMessage() for r in caplog.records if "audit_write_failed" in r.getMessage()]
    assert failures and all("rows=" in line and "error=" in line for line in failures)
    assert all(r.exc_info is None for r in caplog.records)  # one line each, no traceback


def test_rows_that_cannot_be_written_by_shutdown_are_logged_in_full(
    engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="bot.services.audit_writer")
    writer = AuditWriter(engine, retry_delay=0.1)
    with audit_table_away(engine):
        writer.submit(record("Huawei Technologies"))
        writer.submit(record("Acme \x00 Widgets"))
        writer.close(timeout=0.5)
    unwritten = [
        json.loads(r.getMessage().removeprefix("screening.audit_unwritten "))
        for r in caplog.records
        if r.getMessage().startswith("screening.audit_unwritten ")
    ]
    assert [row["query"] for row in unwritten] == ["Huawei Technologies", "Acme \x00 Widgets"]
    assert unwritten[0]["user_id"] == "U1" and unwritten[0]["screened_at"] == T0.isoformat()
    assert any("audit_unwritten_total rows=2" in r.getMessage() for r in caplog.records)
    assert stored_queries(engine) == []


def test_a_row_submitted_after_close_is_written_directly(engine: Engine) -> None:
    writer = AuditWriter(engine)
    writer.close()
    writer.submit(record("late answer"))
    assert stored_queries(engine) == ["late answer"]
