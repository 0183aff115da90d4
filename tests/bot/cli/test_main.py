"""The `entitywatch` CLI in-process: JSON output, one-line errors, exit codes."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli.main import main
from tests.conftest import FIXTURES

SAMPLE_2019 = str(FIXTURES / "csl" / "consolidated-2019-sample.csv")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_import_json_reports_baseline_then_unchanged(
    capsys: pytest.CaptureFixture[str], db_url: str
) -> None:
    assert run(capsys, "db", "upgrade", "--database-url", db_url)[0] == 0
    code, out, _ = run(capsys, "--database-url", db_url, "lists", "import", SAMPLE_2019, "--json")
    assert code == 0
    first = json.loads(out)
    assert first["status"] == "baseline"
    assert first["lists"]["EL"] == {
        "status": "baseline", "entries": 22, "added": 0, "removed": 0, "modified": 0,
    }  # fmt: skip
    code, out, _ = run(capsys, "lists", "import", SAMPLE_2019, "--json", "--database-url", db_url)
    assert json.loads(out)["status"] == "unchanged"


def test_refused_snapshot_exits_non_zero_with_one_line(
    capsys: pytest.CaptureFixture[str], sqlite_url: str, tmp_path: Path
) -> None:
    run(capsys, "lists", "import", SAMPLE_2019, "--database-url", sqlite_url)
    other = FIXTURES / "csl" / "consolidated-2025-sample.csv"
    code, out, err = run(capsys, "lists", "import", str(other), "--database-url", sqlite_url)
    assert code == 1 and out == ""
    assert err.startswith("entitywatch: error: snapshot refused: ") and err.count("\n") == 1
    code, out, _ = run(
        capsys, "lists", "import", str(other), "--force", "--json", "--database-url", sqlite_url
    )
    assert code == 0 and json.loads(out)["lists"]["EL"]["removed"] == 22


@pytest.mark.parametrize(
    ("argv", "env", "message"),
    [
        (["lists", "import", "/nonexistent.csv"], {}, "no such file: /nonexistent.csv"),
        (["parse", "/nonexistent.csv"], {}, "no such file"),
        (["db", "current"], {"REMOVAL_GUARD_SHARE": "1.5"}, "setting REMOVAL_GUARD_SHARE:"),
        (["db", "current"], {"SLACK_BOT_TOKEN": "xapp-wrong"}, "setting SLACK_BOT_TOKEN:"),
        (["db", "current"], {"LOG_LEVEL": "LOUD"}, "setting LOG_LEVEL:"),
        (
            ["db", "current", "--database-url", "postgresql://nobody@127.0.0.1:1/none"],
            {},
            "cannot use the database",
        ),
    ],
)
def test_errors_are_one_line(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    sqlite_url: str,
    argv: list[str],
    env: dict[str, str],
    message: str,
) -> None:
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    code, _, err = run(capsys, *argv)
    assert code == 1
    assert err.startswith("entitywatch: error: ") and message in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_parse_prints_what_the_parser_sees(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "parse", SAMPLE_2019, "--json")
    payload = json.loads(out)
    assert code == 0 and payload["rows"] == 115 and payload["lists"]["EL"] == 22
    code, out, _ = run(capsys, "parse", SAMPLE_2019)
    assert out.splitlines()[0] == "CSL (csv): 115 entries"


def test_python_dash_m_bot_runs(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bot", "db", "upgrade", "--database-url", f"sqlite:///{tmp_path}/x.db"],
        capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    # The newest migration's number (each branch adds its own; the lead chains them).
    assert re.fullmatch(r"database at revision \d{4}\n", done.stdout)
