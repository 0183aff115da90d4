"""`entitywatch watchlist hits` and `watchlist resolve`: the hits of `/watch hits` and the
decisions of the Slack buttons, from the terminal (the listing and a decision as real
processes; the other cases in-process).

Tried: listing the undecided hits (text and JSON); confirming one, then listing the
confirmed matches; resolving an undecided hit (refused: only a confirmed match is
resolved); not-same-party without a reason, with "²" days, with --days on confirm
(refused, nothing recorded); a hit number "abc" and 2^70; resolving the confirmed one;
a counterparty name holding ANSI escapes and a bidi override (printed as escapes).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.cli.main import main
from storage.engine import create_db_engine
from storage.models import WatchDecisionRow, WatchlistRow
from tests.bot.cli.test_cli_process import clean_env, entitywatch


def decisions(db: str) -> list[tuple[int, str, str, str]]:
    engine = create_db_engine(db)
    try:
        with Session(engine) as session:
            rows = session.scalars(select(WatchDecisionRow).order_by(WatchDecisionRow.id))
            return [(r.hit_id, r.decision, r.reason, r.decided_by) for r in rows]
    finally:
        engine.dispose()


def run(db: str, *argv: str) -> int:
    return main([*argv, "--database-url", db])


@pytest.fixture
def hits(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> list[int]:
    """Two counterparties that resemble listed parties: two undecided hits."""
    source = tmp_path / "crm.csv"
    source.write_text(
        "id,name\nC-32,32 Group China Limited\nP-1,Ibrahim Abu Salem\n", encoding="utf-8"
    )
    assert (
        run(db, "watchlist", "import", str(source), "--name-column", "name", "--id-column", "id")
        == 0
    )
    capsys.readouterr()
    assert run(db, "watchlist", "hits", "--json") == 0
    listing = json.loads(capsys.readouterr().out)
    assert listing["total"] == len(listing["hits"]) == 2
    return [h["hit"] for h in listing["hits"]]


def test_hits_and_a_decision_as_processes(db: str, tmp_path: Path, hits: list[int]) -> None:
    env = clean_env(tmp_path, DATABASE_URL=db, LOGNAME="officer", USER="officer")
    shown = entitywatch("watchlist", "hits", env=env, cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert lines[0] == "2 undecided hits"
    group = next(i for i, line in enumerate(lines) if "32 Group China Limited" in line)
    assert lines[group - 1].endswith("Entity List  [undecided]")
    assert "counterparty: 32 Group China Limited (id C-32)" in lines[group]
    assert lines[-1].startswith("decide: entitywatch watchlist resolve HIT confirm")
    hit = int(lines[group - 1].split()[0].lstrip("#"))
    assert hit in hits
    done = entitywatch("watchlist", "resolve", str(hit), "confirm", env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Recorded: 32 Group China Limited (id C-32) vs ")
    assert done.stdout.endswith("confirmed as a match.\n")
    assert decisions(db) == [(hit, "confirm", "confirmed from the command line", "cli:officer")]


def test_resolve_follows_the_rules_of_the_buttons(
    db: str, hits: list[int], capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = hits
    refusals = [
        (["resolve", str(first), "resolved", "--reason", "closed"], "is not a confirmed match (undecided)"),
        (["resolve", str(first), "not-same-party"], "a reason is required: --reason TEXT"),
        (["resolve", str(first), "not-same-party", "--reason", "x", "--days", "²"], "the expiry must be a whole number of days from 1 to 3650"),
        (["resolve", str(first), "confirm", "--days", "9"], "--days is for not-same-party only"),
        (["resolve", "abc", "confirm"], "'abc' is not a hit number"),
        (["resolve", str(2**70), "confirm"], f"no counterparty hit #{2**70}"),
    ]  # fmt: skip
    for argv, message in refusals:
        assert run(db, "watchlist", *argv) == 1
        err = capsys.readouterr().err
        assert err.startswith("entitywatch: error: not recorded: ") and message in err, err
        assert err.count("\n") == 1
    assert decisions(db) == []
    assert run(db, "watchlist", "resolve", str(first), "confirm") == 0
    assert (
        run(
            db,
            "watchlist",
            "resolve",
            str(second),
            "not-same-party",
            "--reason",
            "a person, not a firm",
            "--days",
            "90",
        )
        == 0
    )
    assert "cleared until " in capsys.readouterr().out
    capsys.readouterr()
    assert run(db, "watchlist", "hits", "--confirmed") == 0
    confirmed = capsys.readouterr().out
    assert confirmed.startswith("1 confirmed matches not resolved yet\n")
    assert f"#{first} " in confirmed and "[confirmed by cli:" in confirmed
    assert (
        run(db, "watchlist", "resolve", f"#{first}", "resolved", "--reason", "account closed") == 0
    )
    assert capsys.readouterr().out.endswith("resolved.\n")
    assert run(db, "watchlist", "hits", "--confirmed") == 0
    assert run(db, "watchlist", "hits") == 0
    out = capsys.readouterr().out
    assert out == "0 confirmed matches not resolved yet\n0 undecided hits\n"
    assert [d[1] for d in decisions(db)] == ["confirm", "clear", "resolve"]


def test_resolve_prints_control_characters_as_escapes(
    db: str, hits: list[int], capsys: pytest.CaptureFixture[str]
) -> None:
    engine = create_db_engine(db)
    try:
        with Session(engine) as session, session.begin():
            for row in session.scalars(select(WatchlistRow)):
                row.name = f"Red\x1b[2J\x1b[31m {row.name}\u202e\r"
    finally:
        engine.dispose()
    assert run(db, "watchlist", "resolve", str(hits[0]), "confirm") == 0
    out = capsys.readouterr().out
    assert out.startswith("Recorded: Red\\x1b[2J\\x1b[31m ")
    assert "\\u202e\\x0d (id " in out
    assert not {"\x1b", "\u202e", "\r"} & set(out)
