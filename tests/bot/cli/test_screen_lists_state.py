"""No false all-clear from the CLI: `screen` and `screen-file` on a fresh install, on stale
lists and on fresh lists, and exit with their verdict. The exit-status contract and each
state run the CLI as a process; the variations run `main()` in-process (a process costs
seconds of import time on a busy machine).

Tried: no database at all; lists refreshed 9 days ago; an old snapshot imported today;
the Federal Register failing for 30 hours (and for 2, which is tolerated); a CSL poll
answered 304 that keeps old lists fresh; a match on stale lists (still a match).
"""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from bot.cli.main import main
from storage.engine import create_db_engine
from storage.migrate import upgrade
from storage.models import ScreeningAuditRow
from tests.bot.cli.test_run import bot_env, stopped_output
from tests.bot.lists_ages import current_sample, federal_register_failing, import_current_sample
from tests.conftest import FIXTURES
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.source_replies import strong_etag
from tests.fakes.source_server import SourceServer
from tests.watchers.recorded import RecordedSites
from watchers.csl.source import CslSource
from watchers.http import HttpFetcher
from watchers.runner import poll_source
from watchers.source import SourceSchedule

NOW = datetime.now(UTC)
UNLISTED = "Acme Widgets Plumbing Supplies"


def entitywatch(*argv: str, db: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "LISTS_"))}
    return subprocess.run(
        [sys.executable, "-m", "bot", *argv, "--database-url", db],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def in_process(capsys: pytest.CaptureFixture[str], *argv: str, db: str) -> tuple[int, str, str]:
    code = main([*argv, "--database-url", db])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'lists.db'}"


@pytest.fixture
def engine(db: str) -> Iterator[Engine]:
    eng = create_db_engine(db)
    upgrade(eng)
    yield eng
    eng.dispose()


def audit_states(engine: Engine) -> list[tuple[str, str, str | None]]:
    with Session(engine) as session:
        rows = session.scalars(select(ScreeningAuditRow).order_by(ScreeningAuditRow.id))
        return [(r.query, r.top_band, r.lists_state) for r in rows]


def test_fresh_install_cannot_clear_and_says_lists_not_loaded(
    capsys: pytest.CaptureFixture[str], db: str
) -> None:
    done = entitywatch("screen", "Hikvision", db=db)
    assert done.returncode == 5, done.stderr
    dated, nothing, verdict = done.stdout.splitlines()
    assert dated.startswith("no Consolidated Screening List loaded")
    assert nothing == "no candidate on any list scored high enough to show"
    assert verdict.startswith("verdict: CANNOT CLEAR: lists not loaded")
    assert "entitywatch poll --source csl --once" in done.stderr
    code, out, _ = in_process(capsys, "screen", "Hikvision", "--json", db=db)
    answer = json.loads(out)
    assert (code, answer["verdict"], answer["lists"]["state"]) == (5, "cannot clear", "not_loaded")
    engine = create_db_engine(db)
    assert audit_states(engine) == [
        ("Hikvision", "no match", "not_loaded"),
        ("Hikvision", "no match", "not_loaded"),
    ]
    engine.dispose()


def test_stale_lists_cannot_clear_and_say_how_old(
    capsys: pytest.CaptureFixture[str], engine: Engine, db: str
) -> None:
    nine_days_ago = NOW - timedelta(days=9)
    import_current_sample(engine, at=nine_days_ago)
    done = entitywatch("screen", UNLISTED, db=db)
    assert done.returncode == 5, done.stderr
    assert done.stdout.splitlines()[-1] == (
        f"verdict: CANNOT CLEAR: lists are 9 days old: last refresh {nine_days_ago.date()}"
    )
    # A hit on stale lists is still a hit, with the warning beside it.
    code, out, _ = in_process(capsys, "screen", "ABU SALEM Ibrahim", db=db)
    assert code == 4 and "ABU SALEM, Ibrahim" in out
    assert out.splitlines()[-1].startswith(
        "verdict: match (and the lists are not current: lists are 9 days old"
    )
    assert audit_states(engine) == [
        (UNLISTED, "no match", "stale"),
        ("ABU SALEM Ibrahim", "match", "stale"),
    ]


def test_fresh_lists_exit_with_the_verdict(engine: Engine, db: str) -> None:
    import_current_sample(engine, at=NOW - timedelta(hours=1))
    codes = {
        query: entitywatch("screen", query, db=db).returncode
        for query in ("Ibrahim Salem", "ABU SALEM Ibrahim", "!!!")
    }
    assert codes == {"Ibrahim Salem": 3, "ABU SALEM Ibrahim": 4, "!!!": 1}
    cleared = entitywatch("screen", UNLISTED, "--json", db=db)
    answer = json.loads(cleared.stdout)
    assert (cleared.returncode, answer["verdict"], answer["results"]) == (0, "no match", [])
    lists = answer["lists"]
    assert lists["state"] == "fresh" and lists["reason"] is None
    assert lists["csl_as_of"] == (NOW - timedelta(hours=1) - timedelta(days=10)).date().isoformat()
    assert entitywatch("screen", "x", "--limit", "0", db=db).returncode == 2


def test_an_old_snapshot_imported_today_warns_and_cannot_clear(
    capsys: pytest.CaptureFixture[str], db: str
) -> None:
    sample = str(FIXTURES / "csl" / "consolidated-2019-sample.csv")
    code, _, err = in_process(capsys, "lists", "import", sample, db=db)
    assert code == 0
    (warning,) = err.splitlines()
    assert warning.startswith(
        "entitywatch: warning: the newest entry of these lists is from 2019-08-13"
    )
    assert "not fit for real screening" in warning
    code, out, _ = in_process(capsys, "screen", UNLISTED, db=db)
    assert code == 5
    assert "the lists' newest entry is from 2019-08-13: not a current snapshot" in out


def test_a_current_snapshot_imports_without_a_warning_and_a_reimport_refreshes(
    capsys: pytest.CaptureFixture[str], engine: Engine, db: str, tmp_path: Path
) -> None:
    nine_days_ago = NOW - timedelta(days=9)
    import_current_sample(engine, at=nine_days_ago)
    assert in_process(capsys, "screen", UNLISTED, db=db)[0] == 5
    snapshot = tmp_path / "current.csv"
    snapshot.write_bytes(current_sample(today=nine_days_ago.date()))
    code, out, err = in_process(capsys, "lists", "import", str(snapshot), "--json", db=db)
    assert (code, err) == (0, "")
    report = json.loads(out)
    # The same file again: nothing changes, but the operator vouched for it just now.
    assert (report["status"], report["warning"]) == ("unchanged", None)
    assert report["newest_entry"] == (nine_days_ago.date() - timedelta(days=10)).isoformat()
    assert in_process(capsys, "screen", UNLISTED, db=db)[0] == 0


@pytest.mark.parametrize(("hours", "code"), [(30, 5), (2, 0)])
def test_federal_register_failing_for_a_day_cannot_clear(
    capsys: pytest.CaptureFixture[str], engine: Engine, db: str, hours: int, code: int
) -> None:
    import_current_sample(engine, at=NOW - timedelta(hours=1))
    federal_register_failing(engine, last_success=NOW - timedelta(hours=hours), failures=1)
    got, out, _ = in_process(capsys, "screen", UNLISTED, db=db)
    assert got == code
    if code:
        since = (NOW - timedelta(hours=hours)).strftime("%Y-%m-%d %H:%M UTC")
        assert out.splitlines()[-1] == (
            f"verdict: CANNOT CLEAR: Federal Register not reachable since {since}"
        )


def test_a_csl_poll_answered_304_keeps_the_lists_fresh(
    capsys: pytest.CaptureFixture[str], engine: Engine, db: str, source_server: SourceServer
) -> None:
    body = current_sample(today=NOW.date())
    source_server.route("/csl.csv", body=body, content_type="text/csv", etag=strong_etag(body))
    csl = CslSource(
        url=source_server.url("/csl.csv"),
        max_removed_share=0.1,
        schedule=SourceSchedule(interval_seconds=3600, jitter_seconds=0),
    )
    fetcher = HttpFetcher(connect_timeout=2.0, read_timeout=2.0, retries=0, backoff=0.0)
    for moment in (NOW - timedelta(days=9), NOW - timedelta(minutes=5)):
        report = poll_source(csl, engine=engine, fetcher=fetcher, now=moment, down_after=3)
        assert report.ok, report.error
    assert report.result and report.result.status == "not_modified"
    assert in_process(capsys, "screen", UNLISTED, db=db)[0] == 0


def test_screen_file_on_stale_lists_writes_cannot_clear_rows(
    engine: Engine, db: str, tmp_path: Path
) -> None:
    import_current_sample(engine, at=NOW - timedelta(days=9))
    source = tmp_path / "in.csv"
    source.write_text(f"name\n{UNLISTED}\nABU SALEM Ibrahim\n", encoding="utf-8")
    done = entitywatch("screen-file", str(source), db=db)
    assert done.returncode == 0
    assert done.stderr.startswith(
        "entitywatch: warning: no name can be cleared: lists are 9 days old"
    )
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    unlisted = rows[0]
    assert (unlisted["query"], unlisted["verdict"], unlisted["lists_state"]) == (
        UNLISTED,
        "cannot clear",
        "stale",
    )
    assert unlisted["why"].startswith("lists are 9 days old")
    assert {r["verdict"] for r in rows[1:]} == {"match"}
    assert all(r["lists_as_of"] for r in rows)


def test_run_warns_at_start_when_the_lists_cannot_clear(
    slack_api: FakeSlackApi, source_server: SourceServer, tmp_path: Path, signing_secret: str
) -> None:
    sites = RecordedSites(server=source_server)
    sites.serve_everything()
    env = bot_env(slack_api=slack_api, sites=sites, tmp_path=tmp_path, secret=signing_secret)
    # The check runs before the scheduler starts, so no poll has loaded a list yet.
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "run", "--host", "127.0.0.1"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        assert wait_for_health(f"http://127.0.0.1:{env['PORT']}", process)
    finally:
        process.send_signal(signal.SIGINT)
        output = stopped_output(process, within=STOP_WITHIN)
    # SIGINT, like SIGTERM, ends `run` through its own loop, not an exception.
    assert process.returncode == 0 and "run.stopping signal=SIGINT" in output
    assert "Traceback" not in output
    (line,) = [x for x in output.splitlines() if "run.lists_cannot_clear" in x]
    assert "WARNING" in line and "state=not_loaded" in line and "lists not loaded" in line


# A graceful stop lets the running poll finish; on a loaded two-core CI machine that has
# taken over 30 s (systemd allows 90 by default).
STOP_WITHIN = 90


def wait_for_health(base: str, process: subprocess.Popen[str]) -> bool:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if requests.get(f"{base}/healthz", timeout=1).status_code == 200:
                return True
        except requests.ConnectionError:
            time.sleep(0.2)
    return False
