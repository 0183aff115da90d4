"""Fast polling windows: when the next Public Inspection poll is due, on either side of the
windows, across daylight saving time; and the poll job that uses them."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import Engine

from bot.services.poll_jobs import add_poll_jobs
from bot.services.poll_trigger import WindowedIntervalTrigger
from tests.fakes.source_server import SourceServer
from tests.watchers.recorded import PUBLIC_INSPECTION, RecordedSites
from watchers.federal_register.settings import FederalRegisterSettings
from watchers.http import HttpFetcher
from watchers.kind_settings import SourcesConfig
from watchers.poll_windows import PollWindows, parse_windows
from watchers.registry import build_sources
from watchers.runner import poll_source

NEW_YORK = ZoneInfo("America/New_York")
WINDOWS = PollWindows(
    windows=parse_windows("08:40-09:30,16:00-16:30"), zone="America/New_York", fast_seconds=60
)


def at(text: str) -> datetime:
    """A New York wall-clock moment."""
    return datetime.fromisoformat(text).replace(tzinfo=NEW_YORK)


@pytest.mark.parametrize(
    ("previous", "expected"),
    [
        ("2026-07-01 08:20:00", "2026-07-01 08:30:00"),  # 10 min later, still before the window
        ("2026-07-01 08:35:00", "2026-07-01 08:40:00"),  # the window's start, not 08:45
        ("2026-07-01 08:40:00", "2026-07-01 08:41:00"),  # inside: every minute
        ("2026-07-01 09:28:30", "2026-07-01 09:29:30"),
        ("2026-07-01 09:29:30", "2026-07-01 09:39:30"),  # past the end: the usual 10 min
        ("2026-07-01 15:55:00", "2026-07-01 16:00:00"),  # the afternoon window
        ("2026-07-01 16:29:59", "2026-07-01 16:39:59"),
        ("2026-07-01 23:55:00", "2026-07-02 00:05:00"),
        ("2026-12-01 08:39:00", "2026-12-01 08:40:00"),  # winter time: still 08:40 New York
        ("2026-03-08 08:44:00", "2026-03-08 08:45:00"),  # the day clocks go forward
    ],
)
def test_next_poll(previous: str, expected: str) -> None:
    assert WINDOWS.next_poll(at(previous), slow_seconds=600) == at(expected)


def test_windows_are_new_york_time_whatever_the_moments_zone() -> None:
    assert WINDOWS.inside(datetime(2026, 7, 1, 12, 45, tzinfo=UTC))  # 08:45 EDT
    assert WINDOWS.inside(datetime(2026, 12, 1, 13, 45, tzinfo=UTC))  # 08:45 EST
    assert not WINDOWS.inside(datetime(2026, 12, 1, 12, 45, tzinfo=UTC))  # 07:45 EST


def test_the_public_inspection_job_uses_the_windows(engine: Engine) -> None:
    config = SourcesConfig(
        FederalRegisterSettings(
            public_inspection_fast_windows="08:40-09:30",
            public_inspection_fast_poll_seconds=30,
            public_inspection_poll_seconds=900,
        )
    )
    scheduler = BackgroundScheduler(timezone=UTC)
    add_poll_jobs(
        scheduler,
        build_sources(config),
        engine=engine,
        fetcher=HttpFetcher(retries=0),
        down_after=3,
    )
    job = scheduler.get_job("poll:public_inspection")
    assert job is not None
    trigger = job.trigger
    assert isinstance(trigger, WindowedIntervalTrigger)
    assert job.misfire_grace_time == 30
    inside = at("2026-07-01 09:00:00")
    assert trigger.get_next_fire_time(inside, inside) == at("2026-07-01 09:00:30")
    later = trigger.get_next_fire_time(at("2026-07-01 10:00:00"), at("2026-07-01 10:00:00"))
    assert later is not None and 900 <= (later - at("2026-07-01 10:00:00")).seconds <= 930
    # The published rules' source keeps its plain interval.
    other = scheduler.get_job("poll:federal_register")
    assert other is not None and not isinstance(other.trigger, WindowedIntervalTrigger)


def test_none_turns_the_windows_off() -> None:
    config = SourcesConfig(FederalRegisterSettings(public_inspection_fast_windows="none"))
    (source,) = build_sources(config, only="public_inspection")
    assert source.schedule.fast is None


def test_each_fast_poll_is_a_conditional_request(
    engine: Engine, source_server: SourceServer
) -> None:
    """A poll a minute costs the desk a 304 when nothing changed, and a new filing still
    comes through on the next one."""
    sites = RecordedSites(server=source_server)
    (pi,) = build_sources(sites.config(), only="public_inspection")
    fetcher = HttpFetcher(retries=0)
    moment = datetime(2026, 7, 1, 12, 45, tzinfo=UTC)
    statuses = []
    for number in ("2026-31001", "2026-31001", "2026-31002"):
        sites.serve_public_inspection(number=number)
        report = poll_source(pi, engine=engine, fetcher=fetcher, now=moment, down_after=3)
        assert report.ok and report.result is not None
        statuses.append(report.result.status)
    assert statuses == ["changed", "not_modified", "changed"]
    first, *later = source_server.requests(PUBLIC_INSPECTION)
    assert "if-none-match" not in first.headers
    assert all("if-none-match" in r.headers for r in later)
