"""Full-text XML of a BIS rule -> the entries it adds, revises or removes.

Pure: bytes in, a frozen `RuleDocument` out. Each entry becomes a
`watchers.records.ListEntry` (list code from the supplement the table belongs
to: 4 = Entity List, 6 = Unverified List, 7 = Military End-User List) wrapped
in a `RuleEntry` that says what the rule does to it. An address-only entry is
`ListEntry(entity_type="address", name=<the address>, addresses=(<the address>,))`.

The table gives an entry's content, the amendatory instructions give the
action; they are cross-checked so that a table row the instructions never
mention, or an addition with no table row, fails loudly instead of alerting
on a half-read rule.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass
from datetime import date

from reference.countries import country_code
from reference.lists import SUPPLEMENT_LISTS, ListAction
from watchers.federal_register.amendments import Amendment, amendments_of, name_key
from watchers.federal_register.entity_cell import looks_like_bare_address
from watchers.federal_register.errors import NoEntriesError, RuleXmlError
from watchers.federal_register.gpotable import TableEntry, table_entries
from watchers.federal_register.preamble import read_preamble
from watchers.federal_register.xml_text import SOURCE, element_text, load_rule_root
from watchers.records import ListEntry

_SUPPLEMENT = re.compile(r"Supplement\s+No\.?\s*(\d+)\s+to\s+part\s+744", re.IGNORECASE)
# "84 FR 54002" or a placeholder "88 FR [INSERT FR PAGE NUMBER AND 2/27/2023]".
_CITATION = re.compile(r"\d+\s+FR\s+(?:\d+|\[[^\]]*\]?)")


@dataclass(frozen=True, slots=True)
class RuleEntry:
    """One entry of the rule and what the rule does to it."""

    action: ListAction
    destination: str  # as the rule prints it: "CHINA, PEOPLE'S REPUBLIC OF"
    entry: ListEntry


@dataclass(frozen=True, slots=True)
class RuleDocument:
    document_number: str
    title: str
    action: str  # the ACTION line: "Final rule."
    summary: str
    effective_on: date | None
    citation: str | None
    entries: tuple[RuleEntry, ...]


def parse_rule_xml(
    data: bytes, *, citation: str | None, document_number: str | None = None
) -> RuleDocument:
    """Parse a rule's full-text XML.

    `citation` ("88 FR 12170") replaces the "[INSERT FR PAGE NUMBER ...]"
    placeholder in the table; pass None before publication (public
    inspection), and the placeholder is kept. `document_number`, if given,
    must match the rule's own FR Doc line: a mismatch means the wrong file.
    """
    root = load_rule_root(data)
    if root.tag != "RULE":
        raise RuleXmlError(f"expected a <RULE> document, got <{root.tag}>", source=SOURCE)
    preamble = read_preamble(root)
    number = _checked_number(preamble.document_number, document_number)
    context = _Context(
        document_number=number, citation=citation, effective_on=preamble.effective_on
    )
    entries = tuple(
        e for regtext in root.iter("REGTEXT") for e in _regtext_entries(regtext, context)
    )
    if not entries:
        raise NoEntriesError(
            "no GPOTABLE (Entity List table) and no amendatory instruction naming an entry",
            source=SOURCE,
        )
    return RuleDocument(
        document_number=number,
        title=preamble.title,
        action=preamble.action,
        summary=preamble.summary,
        effective_on=preamble.effective_on,
        citation=citation,
        entries=entries,
    )


@dataclass(frozen=True, slots=True)
class _Context:
    document_number: str
    citation: str | None
    effective_on: date | None


def _checked_number(found: str | None, expected: str | None) -> str:
    if found and expected and found != expected:
        raise RuleXmlError(
            f"the XML is FR Doc {found}, not the requested {expected}", source=SOURCE, where="FRDOC"
        )
    number = found or expected
    if not number:
        raise RuleXmlError("no FR Doc number in the XML and none given", source=SOURCE)
    return number


def _regtext_entries(regtext: ET.Element, context: _Context) -> list[RuleEntry]:
    """The entries one block of amended regulatory text adds, revises or removes."""
    amendments = amendments_of(regtext)
    list_code = _list_code(regtext)
    rows = [
        row
        for table in regtext.iter("GPOTABLE")
        for row in table_entries(table, list_code=list_code)
    ]
    actions = {_key(a.destination, a.name): a.action for a in amendments}
    entries = [
        RuleEntry(
            action=_row_action(row, actions=actions, amendments=amendments),
            destination=row.destination,
            entry=_list_entry(row, list_code=list_code, context=context),
        )
        for row in rows
    ]
    entries.extend(_removals(amendments, rows=rows, list_code=list_code, context=context))
    return entries


def _key(destination: str, name: str) -> tuple[str, str]:
    return name_key(destination), name_key(name)


def _list_code(regtext: ET.Element) -> str:
    # The instruction or the heading names the supplement the table amends.
    match = _SUPPLEMENT.search(element_text(regtext))
    return SUPPLEMENT_LISTS.get(match.group(1), "EL") if match else "EL"


def _row_action(
    row: TableEntry,
    *,
    actions: dict[tuple[str, str], ListAction],
    amendments: tuple[Amendment, ...],
) -> ListAction:
    found = actions.get(_key(row.destination, row.cell.name))
    if found is not None:
        return found
    # The instruction quoted the name differently: use the action it applies
    # under this destination, or in the whole block, if there is just one.
    for scope in (
        [a.action for a in amendments if name_key(a.destination) == name_key(row.destination)],
        [a.action for a in amendments],
    ):
        if len(Counter(scope)) == 1:
            return scope[0]
    raise RuleXmlError(
        f"cannot tell whether {row.cell.name!r} under {row.destination} is added, "
        "revised or removed: no amendatory instruction names it",
        source=SOURCE,
        where=f"GPOTABLE row {row.row_number}",
    )


def _removals(
    amendments: tuple[Amendment, ...], *, rows: list[TableEntry], list_code: str, context: _Context
) -> list[RuleEntry]:
    in_table = {_key(row.destination, row.cell.name) for row in rows}
    removals: list[RuleEntry] = []
    for amendment in amendments:
        if _key(amendment.destination, amendment.name) in in_table:
            continue
        if amendment.action != "remove":
            raise RuleXmlError(
                f"the amendatory text {_VERBS[amendment.action]} {amendment.name!r} under "
                f"{amendment.destination}, but no GPOTABLE row shows it",
                source=SOURCE,
            )
        entry = ListEntry(
            list_code=list_code,
            name=amendment.name,
            entity_type="address" if looks_like_bare_address(amendment.name) else None,
            addresses=(amendment.name,) if looks_like_bare_address(amendment.name) else (),
            countries=_countries(amendment.destination),
            fr_citations=(context.citation,) if context.citation else (),
            fr_document=context.document_number,
            raw=(("destination", amendment.destination),),
        )
        removals.append(RuleEntry(action="remove", destination=amendment.destination, entry=entry))
    return removals


_VERBS: dict[ListAction, str] = {"add": "adds", "revise": "revises", "remove": "removes"}


def _list_entry(row: TableEntry, *, list_code: str, context: _Context) -> ListEntry:
    return ListEntry(
        list_code=list_code,
        name=row.cell.name,
        aliases=row.cell.aliases,
        # An address-only entry (since FR Doc 2024-13148): the address is the listed party.
        entity_type="address" if row.cell.is_address else None,
        countries=_countries(row.destination),
        addresses=row.cell.addresses,
        fr_citations=_citations(row.citation_text, context.citation),
        start_date=context.effective_on,
        license_requirement=row.license_requirement or None,
        license_policy=row.license_policy or None,
        fr_document=context.document_number,
        raw=(("destination", row.destination), ("citation", row.citation_text)),
    )


def _countries(destination: str) -> tuple[str, ...]:
    # ISO alpha-2 like the CSL; an unknown destination keeps its printed name
    # rather than vanishing, so a gap in the country table shows up in alerts.
    code = country_code(destination)
    return (code,) if code else (destination,)


def _citations(text: str, citation: str | None) -> tuple[str, ...]:
    """The table's citations, with this rule's placeholder replaced by its real citation."""
    found: list[str] = []
    for match in _CITATION.finditer(text):
        value = " ".join(match.group(0).split())
        if "[" in value and citation:
            value = citation
        if value not in found:
            found.append(value)
    return tuple(found)
