"""Rows of a part 744 list `GPOTABLE` in a rule -> one `TableEntry` per entry.

How the printed table is encoded (checked against FR Doc 2023-03929):
- `ENT I="01"` in the first column starts a destination ("CANADA");
- an entry row has a blank `ENT I="22"` first column, then one cell per column
  (older rules put the first entry on the destination row itself);
- a row with fewer cells continues the entry above (an extra address);
- `ENT I="28"` or `ENT A="03"` rows of asterisks stand for unchanged entries
  left out between the amended ones; `ENT I="25"` is the column header.

The three lists have different columns after the country:
- Entity List (Supplement No. 4): Entity / License requirement / License
  review policy / Federal Register citation;
- Unverified List (Supplement No. 6): Listed person and address / Federal
  Register citation;
- Military End-User List (Supplement No. 7): Entity / Federal Register citation.
The header row names them, so columns are read by name; without a header the
list's own column set is assumed.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, replace
from typing import Literal

from watchers.federal_register.entity_cell import EntityCell, parse_entity_cell, split_addresses
from watchers.federal_register.errors import RuleXmlError
from watchers.federal_register.xml_text import SOURCE, element_text

Column = Literal["entity", "requirement", "policy", "citation"]

# The columns after the country, per list, when the table has no header row.
LIST_COLUMNS: dict[str, tuple[Column, ...]] = {
    "EL": ("entity", "requirement", "policy", "citation"),
    "UVL": ("entity", "citation"),
    "MEU": ("entity", "citation"),
}
# Header words -> column; checked in order ("License review policy" names a policy,
# although it contains "license").
_HEADER_WORDS: tuple[tuple[str, Column], ...] = (
    ("policy", "policy"),
    ("requirement", "requirement"),
    ("citation", "citation"),
    ("federal register", "citation"),
    ("entity", "entity"),
    ("person", "entity"),
)


@dataclass(frozen=True, slots=True)
class TableEntry:
    destination: str
    cell: EntityCell
    license_requirement: str
    license_policy: str
    citation_text: str
    row_number: int


def table_entries(table: ET.Element, *, list_code: str = "EL") -> tuple[TableEntry, ...]:
    """Every entry of one list table, in printed order."""
    columns = table_columns(table, list_code=list_code)
    entries: list[TableEntry] = []
    destination: str | None = None
    for number, row in enumerate(table.iter("ROW"), start=1):
        cells = row.findall("ENT")
        if not cells or _is_stars(cells[0]) or cells[0].get("I") == "25":
            continue
        if cells[0].get("I") == "01" and element_text(cells[0]):
            destination = element_text(cells[0])
        rest = cells[1:]
        if not rest or _is_stars(rest[0]) or not element_text(rest[0]):
            continue
        if len(rest) >= len(columns):
            entries.append(
                _entry(
                    rest,
                    columns=columns,
                    destination=destination,
                    row_number=number,
                    # UVL and MEU cells run "Name, address" together with no a.k.a. lines.
                    address_follows_name=list_code in ("UVL", "MEU"),
                )
            )
        elif entries:
            entries[-1] = _with_more_addresses(entries[-1], element_text(rest[0]))
        else:
            raise RuleXmlError(
                "a continuation row before any entry", source=SOURCE, where=f"row {number}"
            )
    return tuple(entries)


def table_columns(table: ET.Element, *, list_code: str) -> tuple[Column, ...]:
    """The table's columns after the country, read from its header row if it has one."""
    names = _header_names(table)
    if not names:
        return LIST_COLUMNS.get(list_code, LIST_COLUMNS["EL"])
    columns: list[Column] = []
    for name in names[1:]:
        column = next((c for word, c in _HEADER_WORDS if word in name.casefold()), None)
        if column is None:
            raise RuleXmlError(
                f"unknown column {name!r} in the table header",
                source=SOURCE,
                where="GPOTABLE header",
            )
        columns.append(column)
    if "entity" not in columns:
        raise RuleXmlError(
            "the table header has no entity or listed-person column",
            source=SOURCE,
            where="GPOTABLE header",
        )
    return tuple(columns)


def _header_names(table: ET.Element) -> list[str]:
    """Column names from the `BOXHD` (when filled in) or from an `ENT I="25"` header row.

    FR Doc 2023-03929 leaves its `CHED`s blank and prints the names as a row.
    """
    boxhd = [element_text(c) for c in table.iter("CHED")]
    if boxhd and all(boxhd):
        return boxhd
    header = next((r for r in table.iter("ROW") if _is_header(r)), None)
    return [element_text(c) for c in header.findall("ENT")] if header is not None else []


def _is_header(row: ET.Element) -> bool:
    cells = row.findall("ENT")
    return bool(cells) and cells[0].get("I") == "25"


def _entry(
    cells: list[ET.Element],
    *,
    columns: tuple[Column, ...],
    destination: str | None,
    row_number: int,
    address_follows_name: bool,
) -> TableEntry:
    if destination is None:
        raise RuleXmlError(
            'an entry row before any destination row (ENT I="01")',
            source=SOURCE,
            where=f"GPOTABLE row {row_number}",
        )
    by_column = dict(zip(columns, cells, strict=False))
    return TableEntry(
        destination=destination,
        cell=parse_entity_cell(by_column["entity"], address_follows_name=address_follows_name),
        license_requirement=_text_of(by_column.get("requirement")),
        license_policy=_text_of(by_column.get("policy")),
        citation_text=_text_of(by_column.get("citation")),
        row_number=row_number,
    )


def _text_of(cell: ET.Element | None) -> str:
    return element_text(cell) if cell is not None else ""


def _with_more_addresses(entry: TableEntry, text: str) -> TableEntry:
    cell = replace(entry.cell, addresses=entry.cell.addresses + tuple(split_addresses(text)))
    return replace(entry, cell=cell)


def _is_stars(cell: ET.Element) -> bool:
    text = element_text(cell)
    return bool(text) and set(text) <= {"*", " "}
