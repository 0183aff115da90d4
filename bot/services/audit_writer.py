"""Screening audit rows written after the answer, in batches, by one thread.

/screen answers first and audits right after (Slack allows 3 s, and a busy database
must not make the person wait). Writing each row in its own transaction from the
request threads made them queue on the database's write lock (SQLite) or on a commit
each (PostgreSQL): at 50 concurrent screenings the audit writes, not the matching,
set the latency. Here the rows queue in memory and one thread writes whatever has
queued in one transaction.

Nothing is dropped: a failed batch is retried until it is written; `close` waits for
the queue to drain, and rows it still cannot write are logged in full (one JSON line
each at ERROR) so the trail survives in the logs. A `kill -9` loses what is queued, as
it loses a row between the answer and its commit when each request writes its own.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections import deque
from dataclasses import asdict

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bot.errors import one_line_cause
from storage.screening_audit import AuditRecord, record_screenings

log = logging.getLogger(__name__)


class AuditWriter:
    def __init__(self, engine: Engine, *, max_batch: int = 500, retry_delay: float = 1.0) -> None:
        self._engine = engine
        self._max_batch = max_batch
        self._retry_delay = retry_delay
        self._pending: deque[AuditRecord] = deque()
        self._in_flight = 0
        self._changed = threading.Condition()
        self._closing = False
        self._thread: threading.Thread | None = None

    def submit(self, record: AuditRecord) -> None:
        with self._changed:
            closed = self._closing
            if not closed:
                self._pending.append(record)
                if self._thread is None:
                    self._thread = threading.Thread(
                        target=self._run, name="audit-writer", daemon=True
                    )
                    self._thread.start()
                self._changed.notify_all()
        if closed:
            # After close nobody drains the queue: write it here rather than lose it.
            self._write_now([record])

    @property
    def pending(self) -> int:
        with self._changed:
            return len(self._pending) + self._in_flight

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until every submitted row is written; False if `timeout` passed first."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while self._pending or self._in_flight:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._changed.wait(left)
        return True

    def close(self, timeout: float = 10.0) -> None:
        """Drain the queue (waiting at most `timeout`), stop the thread, log what is left."""
        self.flush(timeout)
        with self._changed:
            self._closing = True
            self._changed.notify_all()
        if self._thread is not None:
            # A batch being written finishes (or is handed back) first.
            self._thread.join(timeout=self._retry_delay + 5.0)
        with self._changed:
            left = list(self._pending)
            self._pending.clear()
        if left:
            _log_unwritten(left)
            log.error("screening.audit_unwritten_total rows=%d", len(left))

    def _run(self) -> None:
        while True:
            with self._changed:
                while not self._pending and not self._closing:
                    self._changed.wait()
                if self._closing:
                    return
                batch = [
                    self._pending.popleft() for _ in range(min(self._max_batch, len(self._pending)))
                ]
                self._in_flight = len(batch)
            try:
                self._write_until_stored(batch)
            finally:
                with self._changed:
                    self._in_flight = 0
                    self._changed.notify_all()

    def _write_until_stored(self, batch: list[AuditRecord]) -> None:
        failures = 0
        while True:
            try:
                self._write(batch)
                if failures:
                    log.warning("screening.audit_written_after_retry rows=%d", len(batch))
                return
            except SQLAlchemyError as exc:
                failures += 1
                # One line per failed attempt, with the cause; the rows stay queued.
                log.warning(
                    "screening.audit_write_failed rows=%d attempt=%d error=%s",
                    len(batch),
                    failures,
                    one_line_cause(exc),
                )
            with self._changed:
                if self._closing:
                    # close() is past its wait: hand the batch back so it is logged, not lost.
                    self._pending.extendleft(reversed(batch))
                    return
                self._changed.wait(self._retry_delay)

    def _write(self, batch: list[AuditRecord]) -> None:
        with Session(self._engine) as session, session.begin():
            record_screenings(session, batch)

    def _write_now(self, records: list[AuditRecord]) -> None:
        try:
            self._write(records)
        except SQLAlchemyError:
            _log_unwritten(records)


def _log_unwritten(records: list[AuditRecord]) -> None:
    """The rows in full, one JSON line each: the trail survives in the logs."""
    for record in records:
        data = asdict(record)
        data["screened_at"] = record.screened_at.isoformat()
        log.error("screening.audit_unwritten %s", json.dumps(data, default=str, ensure_ascii=False))
