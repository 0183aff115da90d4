"""A slow start-up gives no scheduler warnings (issue 22: two on every start).

`run` plans its jobs, then builds the index and settles the heap before it starts
them: every job is due at once. APScheduler then skipped the leader's first beat
("missed by 0:00:02.9") and, when the first poll elected this replica and the
election pulled every poll forward, refused the poll that was running ("maximum
number of running instances reached").
"""

from __future__ import annotations

import io
import logging
import time

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bot.app import AppRoot
from bot.cli.output.terminal_transport import TerminalTransport
from bot.runtime import build_runtime
from bot.settings import load_settings
from storage.source_state import load_source_state
from tests.fakes.source_server import SourceServer
from tests.watchers.recorded import RecordedSites

# What the index build and the heap settling took at start on a busy two-core machine.
SLOW_START_SECONDS = 1.5


def test_jobs_due_at_start_run_without_scheduler_warnings(
    engine: Engine,
    db_url: str,
    source_server: SourceServer,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    sites = RecordedSites(server=source_server)
    sites.serve_everything()
    for name, value in sites.environment().items():
        monkeypatch.setenv(name, value)
    root = AppRoot(settings=load_settings(database_url=db_url), _engine=engine)
    runtime = build_runtime(root, transport=TerminalTransport(out=io.StringIO()))
    time.sleep(SLOW_START_SECONDS)
    caplog.set_level(logging.WARNING, logger="apscheduler")
    try:
        runtime.start()
        assert runtime.leader.holds  # decided before any job ran
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with Session(engine) as session:
                if load_source_state(session, "csl").last_success_at is not None:
                    break
            time.sleep(0.1)
        else:
            pytest.fail("the CSL was never polled")
    finally:
        runtime.scheduler.shutdown(wait=True)
        runtime.leader.release()
        runtime.screening.close()
    warnings = [r.getMessage() for r in caplog.records if r.name.startswith("apscheduler")]
    assert warnings == []
