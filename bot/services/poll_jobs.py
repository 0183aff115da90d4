"""APScheduler 3.x jobs: one per source, each with its own interval and jitter.

`max_instances=1` keeps a slow poll from overlapping itself, `coalesce` turns a
backlog of missed runs (after a sleep or a long GC) into one run, and the misfire
grace is half an interval: a run that is later than that waits for the next one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import Engine

from bot.services.poll_trigger import WindowedIntervalTrigger
from watchers.http import HttpFetcher
from watchers.runner import PollReport, poll_source
from watchers.source import Source

log = logging.getLogger(__name__)

ReportHandler = Callable[[PollReport], None]


def add_poll_jobs(
    scheduler: BaseScheduler,
    sources: list[Source],
    *,
    engine: Engine,
    fetcher: HttpFetcher,
    down_after: int,
    on_report: ReportHandler | None = None,
    start_in: timedelta = timedelta(seconds=1),
    stagger: timedelta = timedelta(seconds=2),
    should_run: Callable[[], bool] = lambda: True,
) -> None:
    """One interval job per source. `should_run` is asked before each run (leader election)."""
    first = datetime.now(UTC) + start_in
    for index, source in enumerate(sources):
        scheduler.add_job(
            _poll_job,
            trigger=_trigger(source),
            id=f"poll:{source.name}",
            name=f"poll {source.name}",
            kwargs={
                "source": source,
                "engine": engine,
                "fetcher": fetcher,
                "down_after": down_after,
                "on_report": on_report,
                "should_run": should_run,
            },
            max_instances=1,
            coalesce=True,
            misfire_grace_time=max(30, _shortest(source) // 2),
            # Stagger the first runs so that start-up does not hit every source at once.
            next_run_time=first + stagger * index,
            replace_existing=True,
        )


def _trigger(source: Source) -> BaseTrigger:
    schedule = source.schedule
    if schedule.fast is not None:
        return WindowedIntervalTrigger(
            windows=schedule.fast,
            slow_seconds=schedule.interval_seconds,
            jitter_seconds=schedule.jitter_seconds,
        )
    return IntervalTrigger(seconds=schedule.interval_seconds, jitter=schedule.jitter_seconds)


def _shortest(source: Source) -> int:
    fast = source.schedule.fast
    interval = source.schedule.interval_seconds
    return min(interval, fast.fast_seconds) if fast is not None else interval


def _poll_job(
    *,
    source: Source,
    engine: Engine,
    fetcher: HttpFetcher,
    down_after: int,
    on_report: ReportHandler | None,
    should_run: Callable[[], bool],
) -> None:
    if not should_run():
        return
    report = poll_source(
        source, engine=engine, fetcher=fetcher, now=datetime.now(UTC), down_after=down_after
    )
    if on_report is not None:
        on_report(report)
