"""A list supplement of part 744 in the eCFR title XML -> its entries.

Pure. In the GPO bulk eCFR XML a supplement's table is an HTML-like `TABLE` of
`TR` rows (the user guide's example: `TH` header cells, `TD` cells): the first
column is the country, written once for the rows that follow it, then the
entity (name; "a.k.a." and aliases on lines that start with an em dash;
addresses), and for the Entity List the license requirement, the review policy
and the Federal Register citation. Lines inside a cell are separated by `<br/>`
or `<P>` elements. Columns are read by their header's words, as in a rule's
table (`watchers.federal_register.gpotable`); the entity cell is split the same
way (`watchers.federal_register.entity_cell`).

A table with no entry is refused: an empty supplement is a broken download or a
changed format, never "everyone was removed".
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

from reference.countries import country_code
from watchers.ecfr.errors import ListTextError
from watchers.federal_register.entity_cell import EntityCell, parse_entity_cell
from watchers.records import ListEntry

SOURCE = "ecfr.supplement"
_LINE_BREAKS = frozenset({"br", "BR", "P", "FP", "LI"})
_COLUMN_WORDS: tuple[tuple[str, str], ...] = (
    ("policy", "policy"),
    ("requirement", "requirement"),
    ("citation", "citation"),
    ("federal register", "citation"),
    ("country", "country"),
    ("entity", "entity"),
    ("person", "entity"),
)


@dataclass(frozen=True, slots=True)
class SupplementRow:
    destination: str
    cell: EntityCell
    license_requirement: str
    license_policy: str
    citation: str


def parse_supplement(appendix: ET.Element, *, list_code: str) -> tuple[ListEntry, ...]:
    """Every entry of one supplement's table(s), in printed order."""
    rows = [row for table in appendix.iter("TABLE") for row in table_rows(table, list_code)]
    if not rows:
        raise ListTextError(f"no entry in the table of the {list_code} supplement", source=SOURCE)
    return tuple(_entry(row, list_code=list_code) for row in rows)


def table_rows(table: ET.Element, list_code: str) -> list[SupplementRow]:
    columns: list[str] = []
    rows: list[SupplementRow] = []
    destination = ""
    for number, tr in enumerate(table.iter("TR"), start=1):
        headers = tr.findall("TH")
        if headers and not tr.findall("TD"):
            columns = [_column(_text(th), where=f"header row {number}") for th in headers]
            continue
        cells = dict(zip(columns, tr.findall("TD"), strict=False))
        if not columns or "entity" not in cells:
            raise ListTextError(
                "a table row before any header naming its columns",
                source=SOURCE,
                where=f"{list_code} row {number}",
            )
        country = _text(cells.get("country"))
        destination = country or destination
        entity = cells["entity"]
        if not _text(entity):
            continue
        if not destination:
            raise ListTextError(
                "an entry before any country", source=SOURCE, where=f"{list_code} row {number}"
            )
        rows.append(
            SupplementRow(
                destination=destination,
                cell=parse_entity_cell(
                    _as_lines(entity), address_follows_name=list_code in ("UVL", "MEU")
                ),
                license_requirement=_text(cells.get("requirement")),
                license_policy=_text(cells.get("policy")),
                citation=_text(cells.get("citation")),
            )
        )
    return rows


def _column(name: str, *, where: str) -> str:
    folded = name.casefold()
    for word, column in _COLUMN_WORDS:
        if word in folded:
            return column
    raise ListTextError(f"unknown column {name!r}", source=SOURCE, where=where)


def _entry(row: SupplementRow, *, list_code: str) -> ListEntry:
    code = country_code(row.destination)
    cell = row.cell
    return ListEntry(
        list_code=list_code,
        name=cell.name,
        aliases=cell.aliases,
        entity_type="address" if cell.is_address else None,
        countries=(code,) if code else (),
        addresses=cell.addresses,
        fr_citations=tuple(c.strip() for c in row.citation.split(";") if c.strip()),
        license_requirement=row.license_requirement or None,
        license_policy=row.license_policy or None,
    )


def _as_lines(cell: ET.Element) -> ET.Element:
    """The cell as an `ENT` whose first line is its text and each later line an `LI`,
    the form `parse_entity_cell` reads."""
    lines = [line for line in _lines(cell) if line]
    entity = ET.Element("ENT")
    entity.text = lines[0] if lines else ""
    for line in lines[1:]:
        ET.SubElement(entity, "LI").text = line
    return entity


def _lines(cell: ET.Element) -> list[str]:
    lines: list[str] = [""]
    _walk(cell, lines)
    return [" ".join(line.split()) for line in lines]


def _walk(element: ET.Element, lines: list[str]) -> None:
    if element.text:
        lines[-1] += element.text
    for child in element:
        if child.tag in _LINE_BREAKS:
            lines.append("")
        _walk(child, lines)
        if child.tag in _LINE_BREAKS and child.tag not in ("br", "BR"):
            lines.append("")
        if child.tail:
            lines[-1] += child.tail


def _text(cell: ET.Element | None) -> str:
    return " ".join("".join(cell.itertext()).split()) if cell is not None else ""
