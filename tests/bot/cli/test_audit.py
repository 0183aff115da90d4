"""`entitywatch audit export`: the screening trail round-trips through CSV, on both databases."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine

from bot.cli.main import main
from bot.services.screening import ScreeningService
from screening import Thresholds
from tests.conftest import FIXTURES

SAMPLE_2019 = str(FIXTURES / "csl" / "consolidated-2019-sample.csv")
HEADER = (
    "id,screened_at,origin,user_id,user_name,channel_id,query,top_band,verdict,"
    "result_count,csl_version,results,error,lists_state"
)


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def export(capsys: pytest.CaptureFixture[str], db: str, *argv: str) -> list[dict[str, str]]:
    code, out, err = cli(capsys, "audit", "export", "--out", "-", *argv, "--database-url", db)
    assert code == 0, err
    assert out.splitlines()[0] == HEADER
    return list(csv.DictReader(io.StringIO(out)))


@pytest.fixture
def imported(capsys: pytest.CaptureFixture[str], db_url: str) -> str:
    """The content hash of the 2019 sample, imported into `db_url`."""
    # PostgreSQL is migrated on purpose, never by the commands that use it.
    assert cli(capsys, "db", "upgrade", "--database-url", db_url)[0] == 0
    code, out, err = cli(capsys, "lists", "import", SAMPLE_2019, "--json", "--database-url", db_url)
    assert code == 0, err
    return str(json.loads(out)["content_hash"])


def test_cli_and_batch_screenings_round_trip(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    db_url: str,
    imported: str,
    tmp_path: Path,
) -> None:
    monkeypatch.setenv("LOGNAME", "analyst")
    cli(capsys, "screen", "ABU SALEM Ibrahim", "--database-url", db_url)
    cli(capsys, "screen", "", "--database-url", db_url)
    names = tmp_path / "names.csv"
    names.write_text('name\nAcme Widgets\n=HYPERLINK("http://x")\n', encoding="utf-8")
    cli(
        capsys,
        "screen-file",
        str(names),
        "--out",
        str(tmp_path / "o.csv"),
        "--database-url",
        db_url,
    )
    out_file = tmp_path / "audit.csv"
    code, out, _ = cli(capsys, "audit", "export", "--out", str(out_file), "--database-url", db_url)
    assert (code, out) == (0, f"wrote 4 screenings to {out_file}\n")
    with out_file.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows == export(capsys, db_url)  # the file and standard output agree
    assert [(r["origin"], r["user_name"], r["query"], r["top_band"]) for r in rows] == [
        ("cli", "analyst", "ABU SALEM Ibrahim", "match"),
        ("cli", "analyst", "", "error"),
        ("batch", "analyst", "Acme Widgets", "no match"),
        # A spreadsheet must not run a query typed by someone as a formula.
        ("batch", "analyst", '\'=HYPERLINK("http://x")', "no match"),
    ]
    assert {r["csl_version"] for r in rows} == {imported}
    # The 2019 sample is years old: none of these answers could clear a name.
    assert {r["lists_state"] for r in rows} == {"stale"}
    assert [r["id"] for r in rows] == sorted((r["id"] for r in rows), key=int)
    salem = rows[0]
    results = json.loads(salem["results"])
    assert len(results) == int(salem["result_count"]) >= 1
    assert results[0]["entry_name"] == "ABU SALEM, Ibrahim" and results[0]["list"] == "PLC"
    assert salem["results"] == json.dumps(results, separators=(",", ":"), ensure_ascii=False)
    assert datetime.fromisoformat(salem["screened_at"]).utcoffset() == timedelta(0)
    assert rows[1]["error"] == "query has no letters or digits to screen"
    assert rows[1]["results"] == "[]" and rows[1]["result_count"] == "0"


def test_since_keeps_the_screenings_at_or_after_the_date(
    capsys: pytest.CaptureFixture[str], engine: Engine, db_url: str, imported: str
) -> None:
    for day in (1, 2, 3):
        moment = datetime(2026, 3, day, 12, 0, tzinfo=UTC)
        service = ScreeningService(engine=engine, thresholds=Thresholds(), clock=lambda m=moment: m)
        service.screen(f"query of March {day}", origin="slack", user_id="U1", channel_id="C1")
    assert [r["query"] for r in export(capsys, db_url)] == [
        f"query of March {d}" for d in (1, 2, 3)
    ]
    assert [r["query"] for r in export(capsys, db_url, "--since", "2026-03-02")] == [
        "query of March 2",
        "query of March 3",
    ]
    late = export(capsys, db_url, "--since", "2026-03-03T13:00:00+01:00")
    assert [(r["query"], r["user_id"], r["channel_id"]) for r in late] == [
        ("query of March 3", "U1", "C1")
    ]
    assert late[0]["screened_at"] == "2026-03-03T12:00:00+00:00"
    assert export(capsys, db_url, "--since", "2026-03-03T13:00:01+01:00") == []


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--since", "last tuesday", "--out", "-"], "--since 'last tuesday' is not a date"),
        (["--out", "/nonexistent-dir/audit.csv"], "cannot write /nonexistent-dir/audit.csv"),
    ],
)
def test_bad_arguments_are_one_line_errors(
    capsys: pytest.CaptureFixture[str], sqlite_url: str, argv: list[str], message: str
) -> None:
    code, out, err = cli(capsys, "audit", "export", *argv, "--database-url", sqlite_url)
    assert (code, out) == (1, "")
    assert err.startswith(f"entitywatch: error: {message}") and err.count("\n") == 1
