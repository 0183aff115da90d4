"""`entitywatch screen-file IN.csv`: one row per (query, result), streamed, audited as "batch"."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from bot.cli.main import main
from storage.models import ScreeningAuditRow

HEADER = (
    "query,rank,name,entry_name,list,score,band,country,fr_citation,why,"
    "address,verdict,lists_state,lists_as_of,fr_newest,source_note"
)
NO_LETTERS = "query has no letters or digits to screen"


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def read_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def groups(rows: list[dict[str, str]]) -> list[list[dict[str, str]]]:
    """Output rows split per input query: a group starts at rank 1 or at a result-less row."""
    found: list[list[dict[str, str]]] = []
    for row in rows:
        if row["rank"] in ("", "1"):
            found.append([])
        found[-1].append(row)
    return found


def run(capsys: pytest.CaptureFixture[str], db: str, *argv: str) -> tuple[int, str, str]:
    code = main(["screen-file", *argv, "--database-url", db])
    out, err = capsys.readouterr()
    return code, out, err


def test_other_columns_are_kept_and_formula_cells_neutralised(
    capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path
) -> None:
    """Tried: formula starts in the query and in kept columns (=, +, -, @, tab, CR), a kept
    column named like a result column, a row that ends before the query column and a row
    with an unquoted comma (both refused, with their own output rows, exit 1), a row that
    leaves off its trailing cells (screened, those cells empty)."""
    rows = [
        ["customer_id", "company", "score", "note"],
        ["C-001", "ABU SALEM Ibrahim", "7", '=HYPERLINK("http://x","y")'],
        ["@SUM(A1)", "+Acme Widgets", "-3", "\tcmd"],
        ["C-003", "=1+2", "", ""],
        ["C-004", "Acme Widgets", "1", "\rx"],
        ["C-005", "Acme, Inc.", "1", "x"],  # an unquoted comma: a cell too many
        ["C-006"],
        ["C-007", "Acme Widgets"],
    ]
    source = write_csv(tmp_path / "in.csv", rows)
    source.write_bytes(source.read_bytes().replace(b'"Acme, Inc."', b"Acme, Inc."))
    code, out, err = run(capsys, db, str(source), "--column", "company")
    assert code == 1
    assert err.splitlines()[-1] == (
        f"entitywatch: error: {source}: 2 line(s) not screened (verdict 'not screened' in the "
        "output): line 7: 5 cells where the header has 4: a cell that holds a comma must be in "
        "double quotes; line 8: 1 cell where the header has 4: no cell for column 'company'"
    )
    assert out.splitlines()[0] == "customer_id,input_score,note," + HEADER
    found = groups(read_rows(out))
    first, second, third, fourth, fifth, sixth, seventh = (group[0] for group in found)
    # A ragged row is not screened as shifted cells: it is a row that says so.
    assert (fifth["customer_id"], fifth["query"], fifth["verdict"]) == ("", "", "not screened")
    # Physical lines: the quoted CR of C-004's note ends line 5.
    assert fifth["why"].startswith("line 7: 5 cells where the header has 4")
    assert (sixth["verdict"], sixth["why"]) == (
        "not screened",
        "line 8: 1 cell where the header has 4: no cell for column 'company'",
    )
    assert (seventh["customer_id"], seventh["input_score"], seventh["note"]) == ("C-007", "", "")
    assert seventh["query"] == "Acme Widgets" and seventh["verdict"] != "not screened"
    assert (first["customer_id"], first["input_score"], first["entry_name"]) == (
        "C-001",
        "7",
        "ABU SALEM, Ibrahim",
    )
    assert first["note"] == '\'=HYPERLINK("http://x","y")'
    assert (second["customer_id"], second["query"], second["input_score"], second["note"]) == (
        "'@SUM(A1)",
        "'+Acme Widgets",
        "'-3",
        "'\tcmd",
    )
    assert (third["customer_id"], third["query"], third["note"]) == ("C-003", "'=1+2", "")
    assert (fourth["note"], fourth["verdict"]) == ("'\rx", "no match")


def test_an_existing_out_file_is_kept_unless_forced(
    capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path
) -> None:
    source = write_csv(tmp_path / "in.csv", [["name"], ["Acme Widgets"]])
    out_path = tmp_path / "out.csv"
    out_path.write_text("precious\n", encoding="utf-8")
    code, _, err = run(capsys, db, str(source), "--out", str(out_path))
    assert (code, err) == (
        1,
        f"entitywatch: error: {out_path} exists; use --force to overwrite it\n",
    )
    assert out_path.read_text(encoding="utf-8") == "precious\n"
    code, _, _ = run(capsys, db, str(source), "--out", str(out_path), "--force")
    assert code == 0 and out_path.read_text(encoding="utf-8").startswith(HEADER)
    # --force never lets the output replace the input.
    code, _, err = run(capsys, db, str(source), "--out", str(source), "--force")
    assert code == 1 and "is the input file" in err


def test_one_row_per_query_and_result_with_the_exact_header(
    capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path
) -> None:
    queries = ["ABU SALEM Ibrahim", "", "😀", "Acme Widgets Plumbing Supplies", "Co., Ltd."]
    rows = [["id", "name"], *[[str(number), query] for number, query in enumerate(queries)]]
    source = write_csv(tmp_path / "in.csv", rows)
    code, out, err = run(capsys, db, str(source))
    assert code == 0 and err == f"screened 5 names from {source}: 1 match, 1 no match, 3 error\n"
    assert out.splitlines()[0] == "id," + HEADER  # the input's other columns come first
    found = groups(read_rows(out))
    assert [group[0]["query"] for group in found] == queries
    assert [group[0]["id"] for group in found] == ["0", "1", "2", "3", "4"]
    assert all(row["id"] == group[0]["id"] for group in found for row in group)
    salem, blank, emoji, unknown, vague = found
    assert [r["rank"] for r in salem] == [str(n) for n in range(1, len(salem) + 1)]
    # The same candidates, scores and bands as `entitywatch screen --json`.
    single = json.loads(main_json(capsys, db, "ABU SALEM Ibrahim"))["results"]
    assert [(r["entry_name"], float(r["score"]), r["band"], r["list"]) for r in salem] == [
        (r["entry_name"], r["score"], r["band"], r["list"]) for r in single
    ]
    assert salem[0]["entry_name"] == "ABU SALEM, Ibrahim" and salem[0]["band"] == "match"
    result_cells = ("rank", "name", "entry_name", "list", "score", "country", "fr_citation")
    expected_why = [NO_LETTERS, NO_LETTERS, "", "query holds only legal forms or filler words"]
    for group, why in zip((blank, emoji, unknown, vague), expected_why, strict=True):
        (only,) = group
        assert [only[cell] for cell in result_cells] == [""] * len(result_cells)
        assert only["band"] == "no match" and only["why"].startswith(why)
        assert why or only["why"] == ""
    assert [g[0]["verdict"] for g in found] == ["match", "error", "error", "no match", "error"]
    assert {r["lists_state"] for r in read_rows(out)} == {"fresh"}


def main_json(capsys: pytest.CaptureFixture[str], db: str, query: str) -> str:
    assert main(["screen", query, "--json", "--database-url", db]) == 4  # a match
    return capsys.readouterr().out


def test_out_file_and_batch_audit_rows(
    capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOGNAME", "batch-user")
    source = write_csv(
        tmp_path / "in.csv", [["Name"], ["ABU SALEM Ibrahim"], [""], ["Acme Widgets"]]
    )
    out_path = tmp_path / "out.csv"
    code, out, err = run(capsys, db, str(source), "--out", str(out_path), "--column", "name")
    assert (code, out) == (0, "")
    assert err.strip() == (
        f"screened 3 names from {source} into {out_path}: 1 match, 1 no match, 1 error"
    )
    assert out_path.read_text(encoding="utf-8").splitlines()[0] == HEADER
    engine = create_engine(db)
    with Session(engine) as session:
        audits = list(session.scalars(select(ScreeningAuditRow).order_by(ScreeningAuditRow.id)))
    engine.dispose()
    assert [(a.origin, a.user_name, a.query, a.top_band) for a in audits] == [
        ("batch", "batch-user", "ABU SALEM Ibrahim", "match"),
        ("batch", "batch-user", "", "error"),
        ("batch", "batch-user", "Acme Widgets", "no match"),
    ]


def test_many_rows_stream_through_in_order(
    capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path
) -> None:
    names = ["ABU SALEM Ibrahim", "", "Acme Widgets", "54th Research Institute of China", "😀"]
    rows = [names[i % len(names)] for i in range(2_000)]
    source = write_csv(tmp_path / "in.csv", [["name"], *[[n] for n in rows]])
    out_path = tmp_path / "out.csv"
    assert run(capsys, db, str(source), "--out", str(out_path))[0] == 0
    found = groups(read_rows(out_path.read_text(encoding="utf-8")))
    assert [g[0]["query"] for g in found] == rows


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs a FIFO")
def test_rows_are_written_before_the_input_ends(
    capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path
) -> None:
    """Proof of streaming: the first answer appears while the input is still open."""
    fifo = tmp_path / "in.csv"
    os.mkfifo(fifo)
    out_path = tmp_path / "out.csv"
    codes: list[int] = []

    def screen_fifo() -> None:
        codes.append(main(["screen-file", str(fifo), "--out", str(out_path), "--database-url", db]))

    worker = threading.Thread(target=screen_fifo, daemon=True)
    worker.start()
    with os.fdopen(open_writer(fifo), "w", encoding="utf-8") as feed:
        feed.write("name\nABU SALEM Ibrahim\n")
        feed.flush()
        assert wait_for(lambda: "ABU SALEM, Ibrahim" in read_text(out_path))
        assert worker.is_alive()  # still waiting for more input
        feed.write("Acme Widgets\n")
    worker.join(timeout=30)
    assert codes == [0]
    assert [g[0]["query"] for g in groups(read_rows(read_text(out_path)))] == [
        "ABU SALEM Ibrahim",
        "Acme Widgets",
    ]


def open_writer(fifo: Path) -> int:
    # Opening a FIFO for writing blocks until the reader opens it; poll instead, with a deadline.
    deadline = time.monotonic() + 30
    while True:
        try:
            fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.01)
            continue
        os.set_blocking(fd, True)
        return fd


def wait_for(condition: object, timeout: float = 30.0) -> bool:
    assert callable(condition)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return False


def read_text(path: Path) -> str:
    return path.read_text(encoding="utf-8") if path.exists() else ""


class Terminal(io.StringIO):
    """Standard error as a terminal would present it to the process."""

    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal(
    capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = write_csv(tmp_path / "in.csv", [["name"], ["Acme Widgets"], ["ABU SALEM"]])
    code, _, err = run(capsys, db, str(source), "--out", str(tmp_path / "a.csv"))
    assert code == 0 and "\r" not in err
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    argv = ["screen-file", str(source), "--out", str(tmp_path / "b.csv"), "--database-url", db]
    assert main(argv) == 0
    shown = terminal.getvalue()
    assert shown.startswith("\r[") and "] 100%  2 rows\n" in shown


@pytest.mark.parametrize(
    ("content", "argv", "message"),
    [
        (b"id,company\n1,Acme\n", ["--column", "name"], "has no column 'name'; its columns are: 'id', 'company'"),
        (b"", [], "is empty: it has no header row"),
        (b"n\xe4me\n\xc3\xa9\n", [], "line 1 (the header) is not UTF-8 text; save the file as CSV UTF-8"),
        (b"Name,NAME\nx,y\n", [], "has 2 columns named 'name': 'Name', 'NAME'; rename one"),
    ],
)  # fmt: skip
def test_bad_files_are_one_line_errors(
    capsys: pytest.CaptureFixture[str],
    db: str,
    tmp_path: Path,
    content: bytes,
    argv: list[str],
    message: str,
) -> None:
    source = tmp_path / "in.csv"
    source.write_bytes(content)
    code, out, err = run(capsys, db, str(source), *argv)
    assert (code, out) == (1, "")
    assert err == f"entitywatch: error: {source} {message}\n"


def test_missing_input_and_output_over_input_are_refused(
    capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path
) -> None:
    missing = tmp_path / "nope.csv"
    assert run(capsys, db, str(missing))[2] == f"entitywatch: error: no such file: {missing}\n"
    source = write_csv(tmp_path / "in.csv", [["name"], ["Acme"]])
    code, _, err = run(capsys, db, str(source), "--out", str(source))
    assert code == 1 and "is the input file" in err
    assert source.read_bytes() == b"name\r\nAcme\r\n"


def test_closed_stdout_stops_with_one_line(db: str, tmp_path: Path) -> None:
    """`entitywatch screen-file big.csv | head -1`: no traceback when the reader goes away."""
    source = write_csv(tmp_path / "in.csv", [["name"], *[["ABU SALEM Ibrahim"]] * 3_000])
    argv = [sys.executable, "-m", "bot", "screen-file", str(source), "--database-url", db]
    with subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as child:
        assert child.stdout and child.stderr
        assert child.stdout.readline().decode().strip() == HEADER
        child.stdout.close()
        err = child.stderr.read().decode()
        code = child.wait(timeout=60)
    assert code == 1 and "Traceback" not in err
    assert (
        err.splitlines()[-1]
        == "entitywatch: error: standard output was closed; stopped before the end"
    )
