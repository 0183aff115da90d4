"""The files people hand `watchlist import` and `screen-file`, through `entitywatch` as a
process: exit status, stdout and stderr as a shell sees them.

Tried: a broken quote in the middle of a watchlist (only its line refused, the lines
after it stored, exit 1); a semicolon-separated UTF-16 file from Excel and a
Windows-1252 file (read, and said how); a ragged row in `screen-file` (not screened as
shifted cells: a row that says so, exit 1) with the count by verdict; a NUL in a
watchlist on PostgreSQL (only its line refused, with its number); "Zeta Trading Ltd"
then "Zeta Trading Ltd." without an id column (one counterparty); `watchlist export`
over an existing file (kept unless --force); `watchlist list` of names holding ANSI
escapes and control characters (shown as escapes, never sent raw).
"""

from __future__ import annotations

import csv
import io
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.cli.main import main
from storage.engine import create_db_engine
from storage.migrate import upgrade
from storage.models import WatchlistRow
from tests.bot.cli.test_cli_process import clean_env, entitywatch


def cli(tmp_path: Path, db: str, *argv: str) -> subprocess.CompletedProcess[str]:
    """One `entitywatch` process (each costs seconds of imports: one per finding)."""
    return entitywatch(*argv, env=clean_env(tmp_path, DATABASE_URL=db), cwd=tmp_path)


def in_process(db: str, *argv: str) -> int:
    return main([*argv, "--database-url", db])


def stored(db: str) -> list[tuple[str, str, str | None, bool]]:
    engine = create_db_engine(db)
    try:
        with Session(engine) as session:
            rows = session.scalars(select(WatchlistRow).order_by(WatchlistRow.id))
            return [(r.external_id, r.name, r.country, r.retired_at is None) for r in rows]
    finally:
        engine.dispose()


IMPORT = ("watchlist", "import", "--name-column", "name", "--id-column", "id")


def test_a_broken_quote_refuses_its_line_and_swallows_nothing(
    tmp_path: Path, sqlite_url: str
) -> None:
    source = tmp_path / "crm.csv"
    source.write_bytes(
        b'id,name,country\nK-1,Quillon Optics,GB\nK-2,"Marrow Instruments,DE\n'
        b'K-3,Tessaly Ports,NL\nK-4,"Brindle, Hart & Co",US\n'
    )
    done = cli(tmp_path, sqlite_url, *IMPORT, str(source), "--country-column", "country")
    assert done.returncode == 1, done.stderr
    assert "3 added, 0 changed, 0 unchanged, 0 retired, 1 refused" in done.stdout
    assert 'line 3: broken quote: a " opened on this line is never closed' in done.stdout
    assert done.stderr == (
        f"entitywatch: error: {source}: 1 line(s) refused (listed above); the other lines were "
        "stored. Fix the file and import it again\n"
    )
    assert stored(sqlite_url) == [
        ("K-1", "Quillon Optics", "GB", True),
        ("K-3", "Tessaly Ports", "NL", True),
        ("K-4", "Brindle, Hart & Co", "US", True),
    ]


@pytest.mark.postgres
def test_a_nul_refuses_only_its_line_with_its_number(tmp_path: Path, postgres_url: str) -> None:
    """PostgreSQL refuses NUL in text: once it refused the whole file, without a line."""
    engine = create_db_engine(postgres_url)
    upgrade(engine)  # a PostgreSQL database is migrated by `db upgrade`, not on first use
    engine.dispose()
    source = tmp_path / "crm.csv"
    source.write_bytes(b"id,name\nK-1,Quillon Optics\nK-2,Marrow\x00Instruments\nK-3,Tessaly\n")
    done = cli(tmp_path, postgres_url, *IMPORT, str(source))
    assert done.returncode == 1, done.stderr
    assert "line 3: a NUL character in column 'name': the line is damaged, not text" in (
        done.stdout
    )
    assert [r[0] for r in stored(postgres_url)] == ["K-1", "K-3"]


def test_utf16_semicolon_and_windows_1252_files_are_read_and_said_so(
    tmp_path: Path, sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    excel = tmp_path / "excel.csv"
    excel.write_bytes("id;name\r\nK-1;Société Brûlée\r\nK-2;Łódź Widgets\r\n".encode("utf-16"))
    done = cli(tmp_path, sqlite_url, *IMPORT, str(excel))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(
        f"read {excel} as UTF-16 (with a byte-order mark), semicolon-separated\nwatchlist: 2 added"
    )
    legacy = tmp_path / "legacy.csv"
    legacy.write_bytes("id,name\nK-3,Café Noir\n".encode("cp1252"))
    assert in_process(sqlite_url, *IMPORT, str(legacy)) == 0
    assert capsys.readouterr().out.startswith(f"read {legacy} as Windows-1252, comma-separated\n")
    assert [r[1] for r in stored(sqlite_url)] == ["Société Brûlée", "Łódź Widgets", "Café Noir"]


def test_screen_file_refuses_a_ragged_row_and_counts_by_verdict(tmp_path: Path, db: str) -> None:
    """Once `R-1,Acme, Inc.,US` was screened as "Acme" with country " Inc.", exit 0."""
    source = tmp_path / "in.csv"
    source.write_text(
        "ref,name,country\nR-1,Acme, Inc.,US\nR-2,ABU SALEM Ibrahim,\nR-3,Blue Heron Bakery,US\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.csv"
    done = cli(tmp_path, db, "screen-file", str(source), "--out", str(out))
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"screened 2 names from {source} into {out}: 1 match, 1 no match",
        f"entitywatch: error: {source}: 1 line(s) not screened (verdict 'not screened' in the "
        "output): line 2: 4 cells where the header has 3: a cell that holds a comma must be in "
        "double quotes",
    ]
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    first = rows[0]
    assert (first["ref"], first["query"], first["input_country"]) == ("", "", "")
    assert (first["verdict"], first["why"][:8]) == ("not screened", "line 2: ")
    # Nothing was screened as the shifted "Acme" with country " Inc.".
    assert "Acme" not in {r["query"] for r in rows}
    assert [r["ref"] for r in rows if r["rank"] in ("", "1")] == ["", "R-2", "R-3"]


def test_screen_file_reads_a_utf16_semicolon_file(
    tmp_path: Path, db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "in.csv"
    source.write_bytes("ref;name\r\nR-1;ABU SALEM Ibrahim\r\n".encode("utf-16"))
    assert in_process(db, "screen-file", str(source)) == 0
    out, err = capsys.readouterr()
    assert err.splitlines() == [
        f"entitywatch: reading {source} as UTF-16 (with a byte-order mark), semicolon-separated",
        f"screened 1 names from {source}: 1 match",
    ]
    assert "ABU SALEM, Ibrahim" in out


def test_names_that_differ_in_punctuation_are_one_counterparty(
    tmp_path: Path, sqlite_url: str
) -> None:
    first = tmp_path / "a.csv"
    first.write_text("name\nZeta Trading Ltd\n", encoding="utf-8")
    second = tmp_path / "b.csv"
    second.write_text("name\nZeta Trading Ltd.\n", encoding="utf-8")
    names_only = ("watchlist", "import", "--name-column", "name")
    assert in_process(sqlite_url, *names_only, str(first)) == 0
    done = cli(tmp_path, sqlite_url, *names_only, str(second))
    assert done.returncode == 0, done.stderr
    assert "0 added, 1 changed" in done.stdout
    ((_, name, _, active),) = stored(sqlite_url)
    assert (name, active) == ("Zeta Trading Ltd.", True)


def test_watchlist_export_keeps_an_existing_file_unless_forced(
    tmp_path: Path, sqlite_url: str
) -> None:
    target = tmp_path / "watchlist.csv"
    target.write_text("the only copy of last quarter's review\n", encoding="utf-8")
    done = cli(tmp_path, sqlite_url, "watchlist", "export", "--out", str(target))
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == f"entitywatch: error: {target} exists; use --force to overwrite it\n"
    assert target.read_text(encoding="utf-8") == "the only copy of last quarter's review\n"
    assert in_process(sqlite_url, "watchlist", "export", "--out", str(target), "--force") == 0
    assert target.read_text(encoding="utf-8").startswith("external_id,name,")


def test_watchlist_list_shows_control_characters_as_escapes(
    tmp_path: Path, sqlite_url: str
) -> None:
    source = tmp_path / "crm.csv"
    source.write_bytes(
        b'id,name,tag\nK-1,"Red \x1b[31mAlert\x1b[0m Ltd",ops\x1b]0;pwned\x07\n'
        b"K-2,Plain\xe2\x80\xaeNAME Ltd,\n"
    )
    assert in_process(sqlite_url, *IMPORT, str(source), "--tag-column", "tag") == 0
    done = cli(tmp_path, sqlite_url, "watchlist", "list")
    assert done.returncode == 0, done.stderr
    assert "\x1b" not in done.stdout and "\x07" not in done.stdout and "\u202e" not in done.stdout
    assert "K-1  Red \\x1b[31mAlert\\x1b[0m Ltd · ops\\x1b]0;pwned\\x07" in done.stdout
    assert "K-2  Plain\\u202eNAME Ltd" in done.stdout
