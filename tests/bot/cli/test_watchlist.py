"""`entitywatch watchlist import|list|export` through the CLI, on real files.

Tried: a Latin-1 line in a UTF-8 file (only it refused), a missing column (the whole
file refused in one line, nothing stored), empty names and ids, a 10 MB cell of junk,
formula-looking cells, a duplicate id, a broken quote at the end, a name the engine
cannot screen (exit 1 after the report); re-importing the same file (nothing changes),
`--replace` (refused past a tenth of the watchlist, then with --force says how many it
retires first), no id column (ids from the normalized name, punctuation ignored), and
an export whose cells cannot run as formulas. A quoted address over two lines whose
closing line splits into as many cells as the header (stored), rows that leave off the
trailing optional cells as CRMs write them (stored, those fields empty), a row that
ends before the name (refused).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from bot.cli.main import main
from storage.engine import create_db_engine
from storage.models import WatchlistRow


def rows(db_url: str) -> list[WatchlistRow]:
    engine = create_db_engine(db_url)
    try:
        with Session(engine) as session:
            return list(session.scalars(select(WatchlistRow).order_by(WatchlistRow.id)))
    finally:
        engine.dispose()


def run(db_url: str, *args: str) -> int:
    return main([*args, "--database-url", db_url])


def test_bad_rows_are_refused_line_by_line_and_the_good_ones_kept(
    tmp_path: Path, db_url: str, engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    junk = "x" * 10_000_000
    lines = [
        b"id,name,country",
        b"C-1,ACME Ltd,GB",
        "C-2,Soci\u00e9t\u00e9 G\u00e9n\u00e9rale Export,FR".encode("latin-1"),
        b"C-3,,US",
        b",Nameless Id Ltd,US",
        f"C-4,{junk},US".encode(),
        b'C-5,=HYPERLINK("http://x"),US',
        b"C-6,@SUM(A1),US",
        b"C-1,ACME Again Ltd,GB",
        "C-7,Blue Harbor Caf\u00e9s,US".encode(),
        b'C-8,"Unclosed quote Ltd,US',
        b"C-9,Ltd.,US",
    ]
    path = tmp_path / "counterparties.csv"
    path.write_bytes(b"\n".join(lines) + b"\n")
    args = ("watchlist", "import", str(path), "--name-column", "name", "--id-column", "id")
    assert run(db_url, *args, "--country-column", "country") == 1
    out, err = capsys.readouterr()
    assert "2 added, 0 changed, 0 unchanged, 0 retired, 9 refused" in out
    # Valid UTF-8 elsewhere in the file: the Latin-1 line is refused, not guessed.
    assert (
        "line 3: byte 0xe9 in column 'name': the file mixes encodings; save it as CSV UTF-8" in out
    )
    assert "line 4: empty name" in out
    assert "line 5: empty id" in out
    assert "line 6: name is 10,000,000 characters (at most 500, as for /screen)" in out
    assert "line 7: name looks like a spreadsheet formula" in out
    assert "line 8: name looks like a spreadsheet formula" in out
    assert "line 9: id 'C-1' already on line 2" in out
    assert 'line 11: broken quote: a " opened on this line is never closed' in out
    assert "line 12: name cannot be screened: query holds only legal forms" in out
    assert err == (
        f"entitywatch: error: {path}: 9 line(s) refused (listed above); the other lines were "
        "stored. Fix the file and import it again\n"
    )
    assert [(r.external_id, r.name, r.country) for r in rows(db_url)] == [
        ("C-1", "ACME Ltd", "GB"),
        ("C-7", "Blue Harbor Caf\u00e9s", "US"),
    ]


def test_a_missing_column_refuses_the_file_and_stores_nothing(
    tmp_path: Path, db_url: str, engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "c.csv"
    path.write_text("id,company\nC-1,ACME Ltd\n", encoding="utf-8")
    assert run(db_url, "watchlist", "import", str(path), "--name-column", "name") == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        f"entitywatch: error: {path} has no column 'name'; its columns are: 'id', 'company'"
    ]
    assert rows(db_url) == []


def test_reimport_is_idempotent_replace_retires_and_export_neutralises(
    tmp_path: Path, db_url: str, engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    first = tmp_path / "first.csv"
    first.write_text(
        "name\nACME Ltd\n-Minus Corp\nBlue Harbor Foods\nRiver Mills\n", encoding="utf-8"
    )
    args = ("watchlist", "import", "--name-column", "name")
    assert run(db_url, *args, str(first)) == 1  # the formula-looking line is refused
    assert "3 added" in capsys.readouterr().out
    before = [(r.external_id, r.name) for r in rows(db_url)]
    assert before[0][0].startswith("name:")  # derived from the normalized name
    assert run(db_url, *args, str(first)) == 1
    assert "0 added, 0 changed, 3 unchanged" in capsys.readouterr().out
    assert [(r.external_id, r.name) for r in rows(db_url)] == before

    second = tmp_path / "second.csv"
    second.write_text("name\nacme  LTD.\n", encoding="utf-8")
    # 2 of 3 is more than the guard's tenth: refused whole, nothing stored.
    assert run(db_url, *args, str(second), "--replace") == 1
    assert capsys.readouterr().err == (
        f"entitywatch: error: {second}: --replace would retire 2 of the 3 active "
        "counterparties (67%, more than 10%); nothing was stored. If the file is complete, "
        "run again with --force\n"
    )
    assert [(r.external_id, r.name) for r in rows(db_url)] == before
    assert run(db_url, *args, str(second), "--replace", "--force") == 0
    out = capsys.readouterr().out
    assert out.index("retiring 2 counterparties that are not in the file") < out.index("2 retired")
    assert "0 added, 1 changed" in out  # the same normalized name, the same id, a new spelling
    active = [r for r in rows(db_url) if r.retired_at is None]
    assert [r.name for r in active] == ["acme LTD."]

    with Session(engine) as session, session.begin():
        session.add(
            WatchlistRow(
                external_id="=1+1",
                name="+Plus Trading",
                added_by="test",
                added_at=active[0].added_at,
                updated_at=active[0].added_at,
            )
        )
    out_file = tmp_path / "export.csv"
    assert run(db_url, "watchlist", "export", "--out", str(out_file)) == 0
    exported = list(csv.DictReader(io.StringIO(out_file.read_text(encoding="utf-8"))))
    assert [(r["external_id"], r["name"]) for r in exported][-1] == ("'=1+1", "'+Plus Trading")
    assert run(db_url, "watchlist", "list") == 0
    assert "2 active counterparties" in capsys.readouterr().out


def test_a_file_without_a_column_keeps_what_is_stored_in_it(
    tmp_path: Path, db_url: str, engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    full = tmp_path / "full.csv"
    full.write_text("id,name,country\nC-1,ACME Ltd,GB\n", encoding="utf-8")
    names_only = tmp_path / "names.csv"
    names_only.write_text("id,name\nC-1,ACME Ltd\n", encoding="utf-8")
    base = ("watchlist", "import", "--name-column", "name", "--id-column", "id")
    assert run(db_url, *base, str(full), "--country-column", "country") == 0
    assert run(db_url, *base, str(names_only)) == 0
    assert "0 added, 0 changed, 1 unchanged" in capsys.readouterr().out
    assert [(r.name, r.country) for r in rows(db_url)] == [("ACME Ltd", "GB")]


def test_multi_line_addresses_and_short_rows_are_stored(
    tmp_path: Path, db_url: str, engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "crm.csv"
    path.write_bytes(
        b"id,name,address,country,tag\n"
        b'H-1,Halvard Shipping Ltd,"Unit 7, 40 Quay Rd\nKowloon Bay, Kowloon, SAR",HK\n'
        b"H-2,Mirren Optics GmbH,Kiel\n"
        b"H-3\n"
        b"H-4,Sable Rock Mining,Perth,AU,ops\n"
    )
    args = ("watchlist", "import", str(path), "--name-column", "name", "--id-column", "id")
    columns = ("--address-column", "address", "--country-column", "country", "--tag-column", "tag")
    assert run(db_url, *args, *columns) == 1
    out = capsys.readouterr().out
    assert "3 added, 0 changed, 0 unchanged, 0 retired, 1 refused" in out
    assert "line 5: 1 cell where the header has 5: no cell for column 'name'" in out
    assert [(r.external_id, r.name, r.address, r.country, r.tag) for r in rows(db_url)] == [
        ("H-1", "Halvard Shipping Ltd", "Unit 7, 40 Quay Rd Kowloon Bay, Kowloon, SAR", "HK", None),
        ("H-2", "Mirren Optics GmbH", "Kiel", None, None),
        ("H-4", "Sable Rock Mining", "Perth", "AU", "ops"),
    ]
