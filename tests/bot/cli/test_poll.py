"""`entitywatch poll --once` and `entitywatch parse` against recorded documents."""

from __future__ import annotations

import json
import time
from datetime import timedelta

import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from bot.cli.main import main
from bot.services.poll_jobs import add_poll_jobs
from storage.models import SourceStateRow
from tests.conftest import FIXTURES
from tests.fakes.source_server import SourceServer
from tests.watchers.recorded import RecordedSites
from watchers.http import HttpFetcher
from watchers.registry import build_sources


@pytest.fixture
def sites(source_server: SourceServer, monkeypatch: pytest.MonkeyPatch) -> RecordedSites:
    recorded = RecordedSites(server=source_server)
    recorded.serve_everything()
    for name, value in recorded.environment().items():
        monkeypatch.setenv(name, value)
    return recorded


def test_poll_once_prints_each_source(
    capsys: pytest.CaptureFixture[str], sites: RecordedSites, sqlite_url: str
) -> None:
    assert main(["poll", "--once", "--database-url", sqlite_url]) == 0
    out = capsys.readouterr().out
    assert "csl: baseline" in out and "federal_register: baseline" in out
    assert "public_inspection: changed" in out and "press:127.0.0.1: baseline" in out
    assert main(["poll", "--once", "--source", "csl", "--database-url", sqlite_url]) == 0
    assert capsys.readouterr().out.strip() == "csl: not_modified"


def test_poll_unknown_source_is_a_one_line_error(
    capsys: pytest.CaptureFixture[str], sites: RecordedSites, sqlite_url: str
) -> None:
    assert main(["poll", "--once", "--source", "nope", "--database-url", sqlite_url]) == 1
    err = capsys.readouterr().err
    assert err.startswith("entitywatch: error: unknown source 'nope'; known: ")


def test_poll_once_exits_non_zero_when_a_source_fails(
    capsys: pytest.CaptureFixture[str], sites: RecordedSites, sqlite_url: str
) -> None:
    sites.server.route("/csl/consolidated.csv", status=500, body=b"x", content_type="text/plain")
    assert main(["poll", "--once", "--source", "csl", "--database-url", sqlite_url]) == 1
    assert "csl: FAILED HttpStatusError: HTTP 500" in capsys.readouterr().out


PARSE_CASES = [
    ("federal_register/2023-03929.xml", "fr-rule", lambda p: len(p["entries"]) == 13),
    ("federal_register/documents-page-1.json", "fr-documents", lambda p: len(p["documents"]) == 2),
    ("federal_register/public-inspection-current.json", "public-inspection", lambda p: [f["document_number"] for f in p["filings"]] == ["2019-22210"]),
    ("press/press-feed.rss.xml", "press-feed", lambda p: sum(i["action"] == "add" for i in p["items"]) == 1),
    ("press/2019-10-entity-list-28-chinese-organizations.txt", "press-text", lambda p: p["count"] == 28 and p["countries"] == ["CN"]),
    ("csl/consolidated-2025-sample.json", "csl", lambda p: p["rows"] == 13),
]  # fmt: skip


@pytest.mark.parametrize(("path", "kind", "check"), PARSE_CASES, ids=[c[1] for c in PARSE_CASES])
def test_parse_sniffs_each_kind(
    capsys: pytest.CaptureFixture[str], path: str, kind: str, check: object
) -> None:
    assert main(["parse", str(FIXTURES / path), "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["kind"] == kind
    assert callable(check) and check(payload)


def test_scheduler_runs_one_job_per_source(engine: Engine, sites: RecordedSites) -> None:
    sources = build_sources(sites.config())
    scheduler = BackgroundScheduler()
    reports: list[str] = []
    add_poll_jobs(
        scheduler,
        sources,
        engine=engine,
        fetcher=HttpFetcher(retries=0),
        down_after=3,
        on_report=lambda r: reports.append(r.source),
        start_in=timedelta(seconds=0),
        stagger=timedelta(seconds=0),
    )
    jobs = scheduler.get_jobs()
    assert sorted(j.id for j in jobs) == sorted(f"poll:{s.name}" for s in sources)
    assert all(j.max_instances == 1 and j.coalesce for j in jobs)
    assert all(j.misfire_grace_time and j.misfire_grace_time >= 30 for j in jobs)
    scheduler.start()
    try:
        deadline = time.monotonic() + 20
        while len(set(reports)) < len(sources) and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        scheduler.shutdown(wait=True)
    assert set(reports) == {s.name for s in sources}
    with Session(engine) as session:
        states = session.scalars(select(SourceStateRow)).all()
    assert {s.source for s in states if s.last_success_at} == {s.name for s in sources}
