"""`entitywatch rules status` as a real process, on SQLite and PostgreSQL: the dated periods,
the document numbers and the state on the day asked; a bad --today is one line."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import Engine

from tests.bot.cli.test_cli_process import assert_one_line_error, clean_env, entitywatch
from tests.bot.rules.meaning_rows import insert_affiliates_history


def test_status_prints_periods_documents_and_today(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    insert_affiliates_history(engine)
    env = clean_env(tmp_path, DATABASE_URL=db_url)
    done = entitywatch("rules", "status", "--today", "2026-11-10", env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == (
        "Affiliates rule (owned 50 % or more by listed parties): in force since 2026-11-10 "
        "(FR Doc 2025-19001; suspension by FR Doc 2025-19846 ended 2026-11-09) (today 2026-11-10)"
    )
    assert lines[1] == "  documents: 2025-19001, 2025-19846"
    periods = [line.split() for line in lines[2:]]
    assert periods == [
        ["…", "to", "2025-09-28", "not", "in", "force"],
        ["2025-09-29", "to", "2025-11-09", "in", "force", "FR", "Doc", "2025-19001", "(in_force)"],
        ["2025-11-10", "to", "2026-11-09", "suspended", "FR", "Doc", "2025-19846", "(suspended)"],
        ["*", "2026-11-10", "to", "…", "in", "force", "FR", "Doc", "2025-19846", "(reimposed)"],
    ]

    done = entitywatch("rules", "status", "--json", "--today", "2026-01-15", env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    (subject,) = json.loads(done.stdout)["subjects"]
    assert subject["state"] == "suspended"
    assert subject["next_change"] == "2026-11-10"
    assert subject["next_state"] == "in_force"
    assert subject["documents"] == ["2025-19001", "2025-19846"]
    assert subject["sentence"] == "suspended until 2026-11-09 (FR Doc 2025-19846)"


def test_status_without_rules_says_so(tmp_path: Path) -> None:
    done = entitywatch("rules", "status", env=clean_env(tmp_path), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("No rule read changes what a listing means")
    done = entitywatch("rules", "status", "--json", env=clean_env(tmp_path), cwd=tmp_path)
    assert json.loads(done.stdout)["subjects"] == []


def test_bad_today_is_one_line(tmp_path: Path) -> None:
    """Tried: a US-style date and an impossible day."""
    for text in ("11/10/2026", "2026-02-30"):
        done = entitywatch(
            "rules", "status", "--today", text, env=clean_env(tmp_path), cwd=tmp_path
        )
        assert_one_line_error(done, f"--today {text!r} is not a date like 2026-11-10")
