"""Which delimiter a CSV file uses, judged from its header line.

Excel writes ";" where the decimal separator is a comma (most of Europe), "Unicode
text" is tab-separated, and some ERP exports use "|". The header decides: the
delimiter under which every column the caller asks for is present, else the one the
header holds most of outside quotes; ties go to the comma.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence

DELIMITERS = (",", ";", "\t", "|")


def choose_delimiter(header_line: str, *, wanted: Sequence[str] = ()) -> str:
    counts = {d: _count_outside_quotes(header_line, d) for d in DELIMITERS}
    ranked = sorted(DELIMITERS, key=lambda d: -counts[d])  # stable: ties keep the order
    if wanted:
        fitting = [d for d in ranked if _has_columns(header_line, d, wanted)]
        if fitting:
            return fitting[0]
    return ranked[0]


def _count_outside_quotes(line: str, delimiter: str) -> int:
    count, quoted = 0, False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif char == delimiter and not quoted:
            count += 1
    return count


def _has_columns(line: str, delimiter: str, wanted: Sequence[str]) -> bool:
    try:
        cells = next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        return False
    names = {cell.strip().casefold() for cell in cells}
    return all(name.casefold() in names for name in wanted)
