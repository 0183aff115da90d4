"""`entitywatch ownership import|list|export` through the CLI, on real files.

Tried: a negative share, a non-numeric share, a share over 100, an owner row with no
name, an empty owned party, a bad as-of date, a formula in the owner cell, a duplicate
(owned, owner) pair, shares in one party adding up past 100 % (warned, kept), a
Windows-1252 file that is semicolon-separated with decimal commas (read, said how), a
UTF-16 file, a missing column (the whole file refused, nothing stored); re-importing
the same file (nothing changes), `--replace` (removes what the file no longer gives,
and nothing when a line was refused), an export whose cells cannot run as formulas.
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
from storage.models import OwnershipHoldingRow, OwnershipOwnerRow

HEADER = "counterparty,owner,share,as_of,source"


def run(db_url: str, *args: str) -> int:
    return main([*args, "--database-url", db_url])


def holdings(db_url: str) -> list[tuple[str, str, float]]:
    engine = create_db_engine(db_url)
    try:
        with Session(engine) as session:
            rows = session.scalars(select(OwnershipHoldingRow).order_by(OwnershipHoldingRow.id))
            return [(r.owned_ref, r.owner_name, r.percent) for r in rows]
    finally:
        engine.dispose()


def imported(db_url: str, path: Path, *extra: str) -> int:
    return run(
        db_url,
        "ownership",
        "import",
        str(path),
        "--owned-column",
        "counterparty",
        "--owner-column",
        "owner",
        "--percent-column",
        "share",
        "--as-of-column",
        "as_of",
        "--source-column",
        "source",
        *extra,
    )


def test_bad_rows_are_refused_one_line_each_and_the_good_ones_kept(
    tmp_path: Path, sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "owners.csv"
    path.write_text(
        "\n".join(
            [
                HEADER,
                "C-1,Alpha Holdings Ltd,40,2026-06-30,KYC 2026",
                "C-1,Beta Capital AG,-5,2026-06-30,KYC 2026",
                "C-1,Gamma Invest,forty,2026-06-30,KYC 2026",
                "C-1,,20,2026-06-30,KYC 2026",
                ",Delta SA,20,,",
                "C-2,Epsilon Ltd,120,,",
                "C-2,Zeta Ltd,30,30/06/2026,",
                "C-2,=HYPERLINK(1),30,,",
                "C-1,Alpha Holdings Ltd,45,,",
                "C-3,Eta Ltd,70,,registry",
                "C-3,Theta Ltd,45.5 %,,registry",
            ]
        )
        + "\n"
    )
    assert imported(sqlite_url, path) == 1
    out, err = capsys.readouterr()
    assert "ownership: 3 added, 0 changed, 0 unchanged, 0 removed, 8 refused" in out
    assert "line 3: negative share '-5': shares run from 0 to 100" in out
    assert "line 4: share 'forty' is not a number (write 25 or 25.5 for 25 %)" in out
    assert "line 5: owner row with no name" in out
    assert "line 6: empty owned party" in out
    assert "line 7: share '120' is over 100 %" in out
    assert "line 8: as-of date '30/06/2026' is not a date (write YYYY-MM-DD)" in out
    assert "line 9: owner looks like a spreadsheet formula" in out
    assert "line 10: 'Alpha Holdings Ltd' in 'C-1' already on line 2" in out
    assert "warning: shares in 'C-3' add up to 115.5 % (over 100 %); kept" in out
    assert "8 line(s) refused (listed above); the other lines were stored" in err
    assert holdings(sqlite_url) == [
        ("C-1", "Alpha Holdings Ltd", 40.0),
        ("C-3", "Eta Ltd", 70.0),
        ("C-3", "Theta Ltd", 45.5),
    ]


def test_another_encoding_and_delimiter_are_read_and_said(
    tmp_path: Path, sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "owners-excel.csv"
    text = "counterparty;owner;share;as_of;source\nC-9;Société Générale Participations;25,5;;\n"
    path.write_bytes(text.encode("cp1252"))
    assert imported(sqlite_url, path) == 0
    out, _ = capsys.readouterr()
    assert "as Windows-1252, semicolon-separated" in out
    assert holdings(sqlite_url) == [("C-9", "Société Générale Participations", 25.5)]
    utf16 = tmp_path / "owners-utf16.csv"
    utf16.write_bytes(("\ufeff" + HEADER + "\nC-8,Ωmega Ltd,10,,\n").encode("utf-16-le"))
    assert imported(sqlite_url, utf16) == 0
    assert ("C-8", "Ωmega Ltd", 10.0) in holdings(sqlite_url)


def test_a_missing_column_refuses_the_file_and_stores_nothing(
    tmp_path: Path, db_url: str, engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "owners.csv"
    path.write_text("counterparty,holder,share\nC-1,Alpha,40\n")
    assert imported(db_url, path) == 1
    _, err = capsys.readouterr()
    assert "has no column 'owner'" in err
    assert holdings(db_url) == []


def test_reimport_is_idempotent_and_replace_removes_what_is_gone(
    tmp_path: Path, db_url: str, engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "owners.csv"
    path.write_text(f"{HEADER}\nC-1,Alpha,40,2026-01-01,KYC\nC-1,Beta,20,,\n")
    assert imported(db_url, path) == 0
    assert imported(db_url, path) == 0
    out, _ = capsys.readouterr()
    assert "ownership: 0 added, 0 changed, 2 unchanged, 0 removed, 0 refused" in out
    path.write_text(f"{HEADER}\nC-1,Alpha,45,2026-07-01,KYC\nC-1,Beta,oops,,\n")
    assert imported(db_url, path, "--replace") == 1
    out, _ = capsys.readouterr()
    assert "--replace: nothing removed: refused lines may give holdings the file keeps" in out
    assert holdings(db_url) == [("C-1", "Alpha", 45.0), ("C-1", "Beta", 20.0)]
    path.write_text(f"{HEADER}\nC-1,Alpha,45,2026-07-01,KYC\n")
    assert imported(db_url, path, "--replace") == 0
    out, _ = capsys.readouterr()
    assert "1 unchanged, 1 removed, 0 refused" in out
    assert holdings(db_url) == [("C-1", "Alpha", 45.0)]
    engine = create_db_engine(db_url)
    with Session(engine) as session:
        owners = {o.name for o in session.scalars(select(OwnershipOwnerRow))}
    engine.dispose()
    assert owners == {"Alpha", "Beta"}


def test_list_and_export(
    tmp_path: Path, sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "owners.csv"
    path.write_text(f'{HEADER}\nC-1,"@Alpha, Inc",40,2026-01-01,KYC\nAlpha Holdco,Beta,60,,\n')
    assert imported(sqlite_url, path) == 1  # the formula-looking owner is refused
    path.write_text(f"{HEADER}\nC-1,Alpha Holdco,40,2026-01-01,KYC\nAlpha Holdco,Beta,60,,\n")
    assert imported(sqlite_url, path) == 0
    capsys.readouterr()
    assert run(sqlite_url, "ownership", "list") == 0
    out, _ = capsys.readouterr()
    assert "C-1 <- Alpha Holdco 40 % as of 2026-01-01 · KYC" in out
    assert "Alpha Holdco <- Beta 60 %" in out
    assert run(sqlite_url, "ownership", "export", "--out", "-") == 0
    out, _ = capsys.readouterr()
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["owned", "owner", "owner_id", "percent", "as_of", "source", "updated_at"]
    assert sorted(r[:6] for r in rows[1:]) == [
        ["Alpha Holdco", "Beta", "", "60", "", ""],
        ["C-1", "Alpha Holdco", "", "40", "2026-01-01", "KYC"],
    ]
