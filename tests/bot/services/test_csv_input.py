"""The shared CSV input reader, table-driven on bytes as people's tools write them.

Tried: a broken quote in the middle and at the end (only its line refused, the lines
after it read), rows with a cell too many (an unquoted comma) or too few, a trailing
empty cell, a quoted cell with a line break, blank lines (skipped) and rows of
empty cells (kept: the caller decides), CR-only line ends; ; tab and
| delimiters with a quoted delimiter in the header; UTF-8 with and without a BOM,
UTF-16 with a BOM and without (both byte orders), UTF-32 with a BOM, Windows-1252
(only when nothing in the file is valid multi-byte UTF-8), mixed encodings, a byte
Windows-1252 leaves undefined, a NUL; an empty file, a blank-only file, a broken
header; a pipe that has sent only its first lines (nothing waits for the rest).
Quoted cells over two and three lines, with commas inside, under headers of 2, 3, 4
and 5 columns (stored: the line that closes the cell is not taken for a row); a row
swallowed between two stray quotes (refused whole), a line break in a required cell;
rows that leave off trailing optional cells (stored, those cells empty), a row that
ends before a required column or has a cell too many (refused).
"""

from __future__ import annotations

import io
import os
import threading

import pytest

from bot.services.csv_input import CsvFileError, CsvRecord, CsvRefusal, read_csv

BROKEN = 'broken quote: a " opened on this line is never closed'


def read(
    data: bytes, *, wanted: tuple[str, ...] = ("name",), required: tuple[str, ...] | None = None
) -> list[tuple[int, object]]:
    """(line, cells or refusal reason) of every record."""
    with read_csv(io.BytesIO(data), wanted=wanted) as table:
        found = table.records(required=required)
        return [(r.line, r.cells if isinstance(r, CsvRecord) else r.reason) for r in found]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param(
            b'id,name,country\nC-1,Oak,GB\nC-2,"Pine Ltd,US\nC-3,Elm,US\nC-4,"Ash, Inc.",FR\n',
            [(2, ("C-1", "Oak", "GB")), (3, BROKEN), (4, ("C-3", "Elm", "US")),
             (5, ("C-4", "Ash, Inc.", "FR"))],
            id="broken quote in the middle",
        ),
        pytest.param(
            b'id,name,country\nC-1,Oak,GB\nC-2,"Pine Ltd,US\n',
            [(2, ("C-1", "Oak", "GB")), (3, BROKEN)],
            id="broken quote on the last line",
        ),
        pytest.param(
            b'id,name,country\nC-2,"Pine Ltd,US\nC-3,Elm",US\nC-4,Fir,GB\n',
            [(2, 'broken quotes? a " opened on this line closes on line 3, and line 3 reads '
                 "as a row of its own: lines 2-3 refused"),
             (4, ("C-4", "Fir", "GB"))],
            id="two stray quotes that pair up are refused together",
        ),
        pytest.param(
            b'id,name,country\nR-1,Acme, Inc.,US\nR-2,Birch\nR-3,Cedar,DE,\n',
            [(2, "4 cells where the header has 3: a cell that holds a comma must be in "
                 "double quotes"),
             (3, "2 cells where the header has 3"), (4, ("R-3", "Cedar", "DE"))],
            id="ragged rows",
        ),
        pytest.param(
            b'id,address,name\nC-1,"1 Main St\r\nSpringfield",Oak\n\n   \nC-2,,Elm\n,,\n',
            [(2, ("C-1", "1 Main St\r\nSpringfield", "Oak")), (6, ("C-2", "", "Elm")),
             (7, ("", "", ""))],
            id="a line break inside quotes, blank lines",
        ),
        pytest.param(
            b"id,name\rC-1,Oak\rC-2,Elm\r",
            [(2, ("C-1", "Oak")), (3, ("C-2", "Elm"))],
            id="CR line ends",
        ),
        pytest.param(
            b'id,name\nC-1,"Oak"x\nC-2,Elm\n',
            [(2, "not a readable CSV line (',' expected after '\"')"), (3, ("C-2", "Elm"))],
            id="text after a closing quote",
        ),
        pytest.param(
            b"id,name\nC-1,Oak\x00Tree\nC-2,Elm\n",
            [(2, "a NUL character in column 'name': the line is damaged, not text"),
             (3, ("C-2", "Elm"))],
            id="NUL",
        ),
    ],
)  # fmt: skip
def test_records_and_refusals(data: bytes, expected: list[tuple[int, object]]) -> None:
    assert read(data) == expected


def swallowed(first: int, last: int, row: int) -> str:
    return (
        f'broken quotes? a " opened on this line closes on line {last}, and line {row} reads '
        f"as a row of its own: lines {first}-{last} refused"
    )


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param(
            b'name,address\nQuarrel Lane Ltd,"4 Mill Rd, Unit 2\nLeeds, LS1 4AP"\nOsk AB,Lund\n',
            [(2, ("Quarrel Lane Ltd", "4 Mill Rd, Unit 2\nLeeds, LS1 4AP")),
             (4, ("Osk AB", "Lund"))],
            id="2 columns, two lines, commas in both",
        ),
        pytest.param(
            b'name,address\nTarn Holdings,"Suite 9, Floor 2\nHarbour Road\nWan Chai, HK"\n',
            [(2, ("Tarn Holdings", "Suite 9, Floor 2\nHarbour Road\nWan Chai, HK"))],
            id="2 columns, three lines",
        ),
        pytest.param(
            b'id,name,address\nT-1,Tarn Holdings,"Suite 9, Floor 2\nHarbour Rd, Wan Chai\n'
            b'Hong Kong, SAR"\nT-2,Vell Co,Oslo\n',
            [(2, ("T-1", "Tarn Holdings", "Suite 9, Floor 2\nHarbour Rd, Wan Chai\nHong Kong, SAR")),
             (5, ("T-2", "Vell Co", "Oslo"))],
            id="3 columns, three lines, commas in each",
        ),
        pytest.param(
            b'id,name,address,country\nP-1,Pellucid Trading Ltd,"Unit 5, 18 Quay St\n'
            b'Kowloon Bay, Kowloon, SAR",HK\n',
            [(2, ("P-1", "Pellucid Trading Ltd", "Unit 5, 18 Quay St\nKowloon Bay, Kowloon, SAR",
                  "HK"))],
            id="4 columns, the closing line splits into 4 cells alone",
        ),
        pytest.param(
            b'id,name,address,country,tag\nO-1,Ostrava Mills,"Hala 3, Areal 7\r\n'
            b'Ruska 2887, Ostrava, 703 00\r\nCzechia",CZ,steel\r\n',
            [(2, ("O-1", "Ostrava Mills", "Hala 3, Areal 7\r\nRuska 2887, Ostrava, 703 00\r\nCzechia",
                  "CZ", "steel"))],
            id="5 columns, three lines, CRLF",
        ),
        pytest.param(
            b'id,name,address\nC-1,Oak,"1 Main St\nC-2,Elm,Leeds\nC-3,Ash,Paris"\nC-4,Fir,Rome\n',
            [(2, swallowed(2, 4, 3)), (5, ("C-4", "Fir", "Rome"))],
            id="a whole row between two stray quotes",
        ),
        pytest.param(
            b'name,address\nTarn Holdings,"Suite 9\nHarbour Rd, Wan Chai\nHong Kong"\n',
            [(2, swallowed(2, 4, 3))],
            id="2 columns: a middle line with one comma reads as a row (refused, not guessed)",
        ),
        pytest.param(
            b'id,name,country\nC-2,"Pine Ltd,US\nC-3,Elm",US\nC-4,Fir,GB\n',
            [(2, swallowed(2, 3, 3)), (4, ("C-4", "Fir", "GB"))],
            id="a line break in the required name: the closing line counts",
        ),
        pytest.param(
            b'id,name,address,country\nV-1,Vessel Co,"1 Dock Rd\nPort Talbot"\n',
            [(2, ("V-1", "Vessel Co", "1 Dock Rd\nPort Talbot", ""))],
            id="a multi-line cell in a short row",
        ),
        pytest.param(
            b"id,name,country,tag\nK-1,Norrland Freight AB,SE\nK-2,Osk Ltd\nK-3\n"
            b"K-4,Fen Ltd,GB,x,y\nK-5,Fen Ltd,GB,x,\n",
            [(2, ("K-1", "Norrland Freight AB", "SE", "")), (3, ("K-2", "Osk Ltd", "", "")),
             (4, "1 cell where the header has 4: no cell for column 'name'"),
             (5, "5 cells where the header has 4: a cell that holds a comma must be in double "
                 "quotes"),
             (6, ("K-5", "Fen Ltd", "GB", "x"))],
            id="short rows",
        ),
        pytest.param(
            b"id;country;name\nK-1;SE\n",
            [(2, "2 cells where the header has 3")],
            id="the required column last",
        ),
    ],
)  # fmt: skip
def test_multi_line_cells_and_short_rows(data: bytes, expected: list[tuple[int, object]]) -> None:
    assert read(data, required=("id", "name") if data.startswith(b"id") else ("name",)) == expected


def test_without_required_columns_every_column_is() -> None:
    assert read(b"id,name,country\nK-1,Osk Ltd\n") == [(2, "2 cells where the header has 3")]


@pytest.mark.parametrize(
    ("data", "codec", "delimiter"),
    [
        ("id;name;city\r\nC-1;Société Rouge;Zürich\r\n".encode("utf-8-sig"), "utf-8-sig", ";"),
        ("id\tname\tcity\nC-1\tSociété Rouge\tZürich\n".encode("utf-16"), "utf-16", "\t"),
        ("id;name;city\nC-1;Société Rouge;Zürich\n".encode("utf-16-le"), "utf-16-le", ";"),
        ("id|name|city\nC-1|Société Rouge|Zürich\n".encode("utf-16-be"), "utf-16-be", "|"),
        ("id,name,city\nC-1,Société Rouge,Zürich\n".encode("utf-32"), "utf-32", ","),
        ("id;name;city\nC-1;Société Rouge;Zürich\n".encode("cp1252"), "cp1252", ";"),
        ("id,name,city\nC-1,Société Rouge,Zürich\n".encode(), "utf-8", ","),
    ],
)
def test_encodings_and_delimiters_are_detected(data: bytes, codec: str, delimiter: str) -> None:
    with read_csv(io.BytesIO(data), wanted=("name",)) as table:
        assert (table.encoding.codec, table.delimiter) == (codec, delimiter)
        assert table.header == ("id", "name", "city")
        assert [r.cells for r in table.records() if isinstance(r, CsvRecord)] == [
            ("C-1", "Société Rouge", "Zürich")
        ]
        assert (table.describe() is None) == (codec.startswith("utf-8") and delimiter == ",")


def test_windows_1252_only_when_nothing_says_utf8() -> None:
    latin = "id,name\nC-1,Café Noir\nC-2,Crème – Brûlée\n".encode("cp1252")
    with read_csv(io.BytesIO(latin)) as table:
        assert table.describe() == "Windows-1252, comma-separated"
        assert [r.cells[1] for r in table.records() if isinstance(r, CsvRecord)] == [
            "Café Noir",
            "Crème – Brûlée",
        ]
    mixed = "id,name\nC-1,Café Noir\n".encode() + "C-2,Crème\nC-3,Oak\n".encode("cp1252")
    assert read(mixed) == [
        (2, ("C-1", "Café Noir")),
        (3, "byte 0xe8 in column 'name': the file mixes encodings; save it as CSV UTF-8"),
        (4, ("C-3", "Oak")),
    ]
    # 0x81 is undefined in Windows-1252, so the file is not that either.
    undefined = b"id,name\nC-1,Caf\xe9\x81\nC-2,Oak\n"
    assert read(undefined)[0] == (
        2,
        "byte 0xe9 in column 'name': the file mixes encodings; save it as CSV UTF-8",
    )


def test_the_delimiter_is_the_one_that_yields_the_wanted_columns() -> None:
    # More commas than semicolons in the header, but only ";" yields "name".
    data = b'id;"name, legal";name;note\n1;a;Oak;x,y,z\n'
    with read_csv(io.BytesIO(data), wanted=("name", "note")) as table:
        assert table.delimiter == ";"
        assert table.column("name") == 2 and table.column("NOTE") == 3
    with read_csv(io.BytesIO(b"a,b;c\n1,2;3\n")) as table:
        assert table.delimiter == ","


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "is empty: it has no header row"),
        (b"\n \n\r\n", "is empty: it has no header row"),
        (b'id,"name\n', f"line 1 (the header): {BROKEN}"),
        (b"id,n\xe4me\nC-1,\xc3\xa9\n", "line 1 (the header) is not UTF-8 text"),
    ],
)
def test_files_that_cannot_be_read_at_all(data: bytes, message: str) -> None:
    with pytest.raises(CsvFileError, match="^" + message.replace("(", r"\(").replace(")", r"\)")):
        read(data)


def test_columns_are_found_by_name_once() -> None:
    with read_csv(io.BytesIO(b" Name ,id,ID\n")) as table:
        assert table.column("name") == 0
        assert table.column("id") == 1  # the exact spelling wins over the case-folded one
        with pytest.raises(CsvFileError, match="has 2 columns named 'Id'"):
            table.column("Id")
        with pytest.raises(CsvFileError, match="has no column 'company'; its columns are: "):
            table.column("company")
    assert list(read(b"name\n")) == []  # a header-only file has no records


def test_a_pipe_is_read_as_it_arrives() -> None:
    """Detection judges what the pipe has sent so far; it never waits for the end."""
    read_end, write_end = os.pipe()
    writer = os.fdopen(write_end, "wb")
    writer.write("name\nÉcole Verte\n".encode())
    writer.flush()
    got: list[CsvRecord | CsvRefusal] = []
    first_seen = threading.Event()

    def consume() -> None:
        with os.fdopen(read_end, "rb") as stream, read_csv(stream) as table:
            for record in table.records():
                got.append(record)
                first_seen.set()

    reader = threading.Thread(target=consume, daemon=True)
    reader.start()
    assert first_seen.wait(10), "the first record waited for the end of the pipe"
    writer.write(b"Oak Ltd\n\xe9tude\n")
    writer.close()
    reader.join(10)
    assert [(r.line, getattr(r, "cells", None) or r.reason) for r in got] == [  # type: ignore[union-attr]
        (2, ("École Verte",)),
        (3, ("Oak Ltd",)),
        (4, "byte 0xe9 in column 'name': it is not UTF-8 text; save the file as CSV UTF-8"),
    ]


def test_the_callers_stream_stays_open_and_rewound_reads_work() -> None:
    stream = io.BytesIO(b"name\nOak\n")
    with read_csv(stream) as table:
        assert [r.line for r in table.records()] == [2]
    assert not stream.closed
