"""The runtime reconciles as the leader: after a poll that changed a compared source (not after
others), and on its own 10-minute job, with RECONCILE_LAG_AFTER from the settings."""

from __future__ import annotations

import io
from datetime import timedelta

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from bot.app import AppRoot
from bot.cli.output.terminal_transport import TerminalTransport
from bot.runtime import RECONCILE_SECONDS, build_runtime
from bot.settings import load_settings
from storage.models import ChangeRow
from tests.bot.reconcile_setup import LATER, import_snapshot, record_rule_2023_03929, sample_with
from tests.fakes.source_server import SourceServer
from watchers.runner import PollReport
from watchers.source import PollResult


def lags(engine: Engine) -> list[str]:
    with Session(engine) as session:
        stmt = select(ChangeRow.summary).where(ChangeRow.kind == "list_lag")
        return [s or "" for s in session.scalars(stmt)]


def changed(source: str) -> PollReport:
    return PollReport(source=source, ok=True, result=PollResult(status="changed", changes=("x",)))


def test_the_leader_reconciles_after_a_compared_source_changed(
    engine: Engine, db_url: str, source_server: SourceServer
) -> None:
    record_rule_2023_03929(engine, source_server)
    import_snapshot(engine, sample_with(()), moment=LATER)
    settings = load_settings(database_url=db_url, reconcile_lag_after="2d")
    runtime = build_runtime(
        AppRoot(settings=settings, _engine=engine), transport=TerminalTransport(out=io.StringIO())
    )
    job = runtime.scheduler.get_job("reconcile")
    assert job is not None and job.trigger.interval == timedelta(seconds=RECONCILE_SECONDS)
    assert runtime.reconciliation.lag_after == timedelta(days=2)
    runtime.reconciliation.clock = lambda: LATER
    try:
        runtime.on_report(changed("press:bis.gov"))
        assert lags(engine) == []  # a press poll changes nothing reconciliation compares
        runtime.on_report(changed("csl"))
        assert lags(engine) == [
            "The CSL lacks 13 of the 13 entries FR Doc 2023-03929 added, in force since 2023-02-24"
        ]
        job.func()  # the scheduled round: nothing new to say
        assert len(lags(engine)) == 1
    finally:
        runtime.leader.release()
        runtime.screening.close()
