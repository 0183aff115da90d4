"""Rows of the Entity List `GPOTABLE` in a rule -> one `TableEntry` per entry.

How the printed table is encoded (checked against FR Doc 2023-03929):
- `ENT I="01"` in the first column starts a destination ("CANADA");
- an entry row has a blank `ENT I="22"` first column, then the five cells
  entity / license requirement / license review policy / FR citation
  (older rules put the first entry on the destination row itself);
- a row with only one more cell continues the entry above (an extra address);
- `ENT I="28"` or `ENT A="03"` rows of asterisks stand for unchanged entries
  left out between the amended ones; `ENT I="25"` is the column header.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, replace

from watchers.federal_register.entity_cell import EntityCell, parse_entity_cell, split_addresses
from watchers.federal_register.errors import RuleXmlError
from watchers.federal_register.xml_text import SOURCE, element_text

_ENTRY_CELLS = 4  # entity, license requirement, license review policy, FR citation


@dataclass(frozen=True, slots=True)
class TableEntry:
    destination: str
    cell: EntityCell
    license_requirement: str
    license_policy: str
    citation_text: str
    row_number: int


def table_entries(table: ET.Element) -> tuple[TableEntry, ...]:
    """Every entry of one Entity List table, in printed order."""
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
        if len(rest) >= _ENTRY_CELLS:
            entries.append(_entry(rest, destination=destination, row_number=number))
        elif entries:
            entries[-1] = _with_more_addresses(entries[-1], element_text(rest[0]))
        else:
            raise RuleXmlError(
                "a continuation row before any entry", source=SOURCE, where=f"row {number}"
            )
    return tuple(entries)


def _entry(cells: list[ET.Element], *, destination: str | None, row_number: int) -> TableEntry:
    if destination is None:
        raise RuleXmlError(
            'an entry row before any destination row (ENT I="01")',
            source=SOURCE,
            where=f"GPOTABLE row {row_number}",
        )
    return TableEntry(
        destination=destination,
        cell=parse_entity_cell(cells[0]),
        license_requirement=element_text(cells[1]),
        license_policy=element_text(cells[2]),
        citation_text=element_text(cells[3]),
        row_number=row_number,
    )


def _with_more_addresses(entry: TableEntry, text: str) -> TableEntry:
    cell = replace(entry.cell, addresses=entry.cell.addresses + tuple(split_addresses(text)))
    return replace(entry, cell=cell)


def _is_stars(cell: ET.Element) -> bool:
    text = element_text(cell)
    return bool(text) and set(text) <= {"*", " "}
