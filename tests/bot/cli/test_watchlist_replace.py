"""`watchlist import --replace` retires only what the file clearly leaves out.

Tried, on both databases: a counterparty whose line is refused (a formula-looking
country) while the file names it; a broken-quote line that names nobody readable; a
file whose every line is refused; a header-only file; a file that would retire more
than a tenth of the watchlist (refused whole, then applied with --force); a normal
sync that retires one of many (no --force needed).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from bot.cli.main import main
from storage.models import WatchlistRow

IMPORT = ("watchlist", "import", "--name-column", "name", "--id-column", "id")


def active(engine: Engine) -> list[str]:
    with Session(engine) as session:
        stmt = select(WatchlistRow.external_id).where(WatchlistRow.retired_at.is_(None))  # type: ignore[union-attr]
        return sorted(session.scalars(stmt))


def load(tmp_path: Path, db_url: str, count: int) -> None:
    base = tmp_path / "base.csv"
    lines = [f"K-{n:02d},Counterparty Number {n} Holdings,GB" for n in range(count)]
    base.write_text("id,name,country\n" + "\n".join(lines) + "\n", encoding="utf-8")
    assert main([*IMPORT, str(base), "--country-column", "country", "--database-url", db_url]) == 0


def replace(tmp_path: Path, db_url: str, body: str, *extra: str) -> int:
    path = tmp_path / "replace.csv"
    path.write_text(body, encoding="utf-8")
    argv = [*IMPORT, str(path), "--country-column", "country", "--replace", *extra]
    return main([*argv, "--database-url", db_url])


def every_line_but(skipped: set[int], count: int = 20) -> str:
    lines = [
        f"K-{n:02d},Counterparty Number {n} Holdings,GB" for n in range(count) if n not in skipped
    ]
    return "id,name,country\n" + "\n".join(lines) + "\n"


def test_a_refused_line_keeps_its_counterparty(
    tmp_path: Path, db_url: str, engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    load(tmp_path, db_url, 20)
    body = every_line_but({3, 4}) + "K-03,Counterparty Number 3 Holdings,=GB\n"
    assert replace(tmp_path, db_url, body) == 1
    out = capsys.readouterr().out
    assert "line 20: country looks like a spreadsheet formula" in out
    assert "retiring 1 counterparties that are not in the file" in out
    assert [k for k in [f"K-{n:02d}" for n in range(20)] if k not in active(engine)] == ["K-04"]


def test_a_refused_line_that_names_nobody_retires_nothing(
    tmp_path: Path, db_url: str, engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    load(tmp_path, db_url, 20)
    body = every_line_but({3, 4}) + 'K-03,"Counterparty Number 3 Holdings,GB\n'
    assert replace(tmp_path, db_url, body) == 1
    captured = capsys.readouterr()
    assert (
        "--replace: nothing retired: refused line(s) 20 may name counterparties the file "
        "keeps; fix them and import again"
    ) in captured.out
    assert "--replace retired nothing" in captured.err
    assert len(active(engine)) == 20


@pytest.mark.parametrize(
    "body",
    [
        "id,name,country\n",
        "id,name,country\nK-00,=cmd,GB\n,Nameless,GB\nK-01,,GB\n",
    ],
    ids=["header only", "every line refused"],
)
def test_a_file_that_names_nobody_retires_nothing(
    tmp_path: Path, db_url: str, engine: Engine, capsys: pytest.CaptureFixture[str], body: str
) -> None:
    load(tmp_path, db_url, 5)
    assert replace(tmp_path, db_url, body, "--force") == 1
    captured = capsys.readouterr()
    assert "0 retired" in captured.out
    assert "--replace: nothing retired" in captured.out
    assert len(active(engine)) == 5


def test_retiring_more_than_a_tenth_needs_force(
    tmp_path: Path, db_url: str, engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    load(tmp_path, db_url, 20)
    body = every_line_but({1, 2, 3}) + "K-99,A New Customer Partners,FR\n"
    assert replace(tmp_path, db_url, body) == 1
    assert capsys.readouterr().err == (
        f"entitywatch: error: {tmp_path / 'replace.csv'}: --replace would retire 3 of the 20 "
        "active counterparties (15%, more than 10%); nothing was stored. If the file is "
        "complete, run again with --force\n"
    )
    assert "K-99" not in active(engine) and len(active(engine)) == 20
    assert replace(tmp_path, db_url, body, "--force") == 0
    assert "K-99" in active(engine) and len(active(engine)) == 18
    # A sync that retires 2 of 18 (11 %) needs it too; 1 of 18 does not.
    assert replace(tmp_path, db_url, every_line_but({1, 2, 3, 4})) == 1
    assert len(active(engine)) == 18
    assert (
        replace(
            tmp_path, db_url, every_line_but({1, 2, 3, 4}) + "K-99,A New Customer Partners,FR\n"
        )
        == 0
    )
    assert len(active(engine)) == 17 and "K-04" not in active(engine)
