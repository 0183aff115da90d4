"""Reading CSV files people hand us (watchlists, batch screening, ownership), line by line.

    with read_csv(stream, wanted=("name",)) as table:    # stream: binary, caller-owned
        position = table.column("name")                  # CsvFileError if missing
        for item in table.records(required=("name",)):   # CsvRecord | CsvRefusal
            ...

`table.encoding` (detected: BOM, UTF-16, UTF-8, an unambiguous Windows-1252),
`table.delimiter` (, ; tab |), `table.header`, `table.describe()` (a note when the file
is not comma-separated UTF-8). A record has `line` (its first physical line; the header
is line 1), `end_line` and `cells` (exactly the header's width: a row that leaves off
trailing cells after the last `required` column gets them empty). A refusal has `line`
and a one-line `reason`: a broken quote (the lines after it are still read), a row with
too many cells or ending before a required column, a NUL, bytes the encoding cannot
read. Blank lines are skipped; a row of empty cells is a record (the caller decides).
`CsvFileError` is for the file as a whole. Pure apart from reading the stream.
"""

from bot.services.csv_input.encoding import TextEncoding
from bot.services.csv_input.errors import CsvFileError
from bot.services.csv_input.records import CsvRecord, CsvRefusal
from bot.services.csv_input.table import CsvInput, read_csv

__all__ = ["CsvFileError", "CsvInput", "CsvRecord", "CsvRefusal", "TextEncoding", "read_csv"]
