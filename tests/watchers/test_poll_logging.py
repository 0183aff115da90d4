"""What a failing poll logs: one line with the cause, a traceback only for bugs.

Tried: every source pointed at a port where nothing listens (the host is offline),
polled five rounds: one WARNING line per failed poll naming the error type, no
traceback (the issue counted 434 lines in 45 s, about 60 per poll); the same at
DEBUG, where the traceback is kept; and a source plug-in that raises KeyError
(a bug), whose traceback is logged.
"""

from __future__ import annotations

import logging
import socket
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine

from watchers.csl.settings import CslSettings
from watchers.ecfr.settings import EcfrSettings
from watchers.federal_register.settings import FederalRegisterSettings
from watchers.http import HttpFetcher
from watchers.kind_settings import SourcesConfig
from watchers.press.settings import PressSettings
from watchers.registry import build_sources
from watchers.runner import poll_source
from watchers.source import PollContext, PollResult, SourceSchedule


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def offline_sources() -> list[object]:
    base = f"http://127.0.0.1:{closed_port()}"
    return list(
        build_sources(
            SourcesConfig(
                CslSettings(csl_url=f"{base}/consolidated.csv"),
                FederalRegisterSettings(fr_api_url=f"{base}/api/v1/"),
                PressSettings(press_feeds=(f"{base}/rss.xml",), press_pages=()),
                EcfrSettings(
                    ecfr_api_url=f"{base}/api/versioner/v1/", ecfr_text_url=f"{base}/title-15.xml"
                ),
            )
        )
    )


def fetcher() -> HttpFetcher:
    return HttpFetcher(
        connect_timeout=1.0, read_timeout=1.0, retries=1, backoff=0.01, sleep=lambda _: None
    )


def runner_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "watchers.runner"]


def test_an_offline_poll_is_one_line_without_a_traceback(
    engine: Engine, offline_sources: list[object], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    rounds = 5
    for _ in range(rounds):
        for source in offline_sources:
            report = poll_source(
                source,  # type: ignore[arg-type]
                engine=engine,
                fetcher=fetcher(),
                now=datetime.now(UTC),
                down_after=3,
            )
            assert not report.ok
    records = runner_records(caplog)
    assert len(records) == rounds * len(offline_sources)
    assert all(r.getMessage().startswith("poll.failed source=") for r in records)
    assert all("TransportError" in r.getMessage() for r in records)
    assert not any(r.exc_info for r in caplog.records)
    assert sum(len(r.getMessage().splitlines()) for r in caplog.records) == len(caplog.records)


def test_debug_keeps_the_traceback(
    engine: Engine, offline_sources: list[object], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    poll_source(
        offline_sources[0],  # type: ignore[arg-type]
        engine=engine,
        fetcher=fetcher(),
        now=datetime.now(UTC),
        down_after=3,
    )
    (failed,) = [r for r in runner_records(caplog) if r.levelno == logging.WARNING]
    assert failed.exc_info


EVERY_MINUTE = SourceSchedule(interval_seconds=60)


@dataclass
class BrokenSource:
    """A source plug-in with a bug in it."""

    name: str = "broken"
    schedule: SourceSchedule = EVERY_MINUTE

    def poll(self, ctx: PollContext) -> PollResult:
        return {}["missing"]  # type: ignore[no-any-return]


def test_a_bug_is_logged_with_its_traceback(
    engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    report = poll_source(
        BrokenSource(), engine=engine, fetcher=fetcher(), now=datetime.now(UTC), down_after=3
    )
    # The cause first; the runner adds its diagnosis after a dash.
    assert not report.ok and (report.error or "").startswith("KeyError: 'missing'")
    (failed,) = runner_records(caplog)
    assert failed.exc_info and failed.exc_info[0] is KeyError
