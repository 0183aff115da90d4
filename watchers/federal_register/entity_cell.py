"""The "Entity" cell of an Entity List table row -> name, aliases, addresses.

The cell reads like this (one `LI` per line of the printed table):

    CPUNTO Inc., a.k.a., the following one alias:
      —CPUNTO.
      5929 Route Transcanadienne Ste 130 St. Laurent, Quebec H4T 1Z6 Canada.

Lines that start with an em dash are aliases; the others are addresses, several
of which may share a line joined by "; and". An entry without aliases often
runs name and address together ("Name, No. 5 Road, City, Country."), which is
split at the first part that looks like the start of an address.

Since FR Doc 2024-13148 (June 2024) a cell can hold a bare address with no
name at all ("Unit D, 16/F One Capital Place, 18 Luard Rd, Wan Chai, Hong
Kong."): the address is the entry. Such a cell is read whole, as an address
entry, instead of as a company called "Unit D".

The Unverified List's cell is "Listed person and address": the name, a comma,
then the address ("Atlas Sanatgaran, Komitas 26/114, Yerevan, Armenia."),
split at the first comma that does not belong to a legal form ("Co., Ltd.").
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from watchers.federal_register.xml_text import element_text, head_text
from watchers.legal_forms import comma_is_legal_form

_AKA = re.compile(r",?\s*\b[af]\.k\.a\.?,?\s*", re.IGNORECASE)
_FOLLOWING = re.compile(r"^the following\b[^:]*:\s*", re.IGNORECASE)
_SEE_ALSO = re.compile(r"\s*\(See (?:alternate )?address(?:es)? under [^)]*\)\.?", re.IGNORECASE)
_ADDRESS_SPLIT = re.compile(r";\s*(?:and\s+)?")
_TRAILING_AND = re.compile(r"[;,]?\s*(?:and|or)?\s*$")
# Where an address starts inside "Name, <address>": a number or a typical first word.
_ADDRESS_START = re.compile(
    r",\s+(?=\d|No\.\s|(?:Room|Rm\.?|Floor|Flat|Unit|Suite|Ste\.?|Building|Bldg\.?|Block|"
    r"Apartment|Apt\.?|P\.?O\.? Box|Office|House|Plot|Street|Road|Avenue|Ul\.|Via|"
    r"District|Zone)\b)"
)
# A cell that starts like this is a bare address: a unit, room, flat, office or floor
# with its number ("Unit D", "Room 19C", "Flat/RM 2309", "16/F"), or "No. 5".
_BARE_ADDRESS = re.compile(
    r"^(?:(?:Unit|Room|Rm\.?|Flat(?:/RM)?|Suite|Office|Shop|Apartment|Apt\.?|Block|Floor)"
    r"\s+(?:[\w-]*\d[\w-]*|[A-Z])\b|\d+/F\b|No\.\s*\d)",
    re.IGNORECASE,
)
# Words that end in a period as part of the name, so the period must stay.
_ABBREVIATIONS = frozenset({"co", "ltd", "inc", "corp", "bhd", "pte", "pvt", "jr", "sr", "st"})


@dataclass(frozen=True, slots=True)
class EntityCell:
    name: str
    aliases: tuple[str, ...]
    addresses: tuple[str, ...]
    # True when the listed party is the address itself (no name); `name` is the address.
    is_address: bool = False


def looks_like_bare_address(text: str) -> bool:
    """Whether a name is really an address ("Unit D, 16/F One Capital Place, ...")."""
    return "," in text and _BARE_ADDRESS.match(text.strip()) is not None


def parse_entity_cell(cell: ET.Element, *, address_follows_name: bool = False) -> EntityCell:
    """Split an entity cell into its name, its aliases and its addresses."""
    head = head_text(cell)
    if looks_like_bare_address(head) and _AKA.search(head) is None:
        return _address_cell(cell)
    if address_follows_name and _AKA.search(head) is None:
        name, inline_aliases, inline_address = _split_person_and_address(head)
    else:
        name, inline_aliases, inline_address = _split_head(head)
    aliases = [strip_sentence_end(a) for a in _ADDRESS_SPLIT.split(inline_aliases) if a]
    addresses = split_addresses(inline_address) if inline_address else []
    for line in cell.iter("LI"):
        text = element_text(line)
        if text.startswith(("—", "--")):
            aliases.append(strip_sentence_end(text.lstrip("—-").strip()))
        elif text:
            addresses.extend(split_addresses(text))
    return EntityCell(name=name, aliases=tuple(a for a in aliases if a), addresses=tuple(addresses))


def _address_cell(cell: ET.Element) -> EntityCell:
    # The whole cell is one address (its LI lines, if any, continue it).
    address = strip_sentence_end(element_text(cell))
    return EntityCell(name=address, aliases=(), addresses=(address,), is_address=True)


def _split_person_and_address(head: str) -> tuple[str, str, str]:
    """An Unverified List cell: the name up to the first comma that is not a legal form's."""
    for comma in re.finditer(r",\s+", head):
        if not comma_is_legal_form(head, comma.start()):
            return head[: comma.start()].strip(" ,"), "", head[comma.end() :]
    return strip_sentence_end(head.strip(" ,")), "", ""


def _split_head(head: str) -> tuple[str, str, str]:
    """Name, aliases written on the name line, and an address written on it."""
    aka = _AKA.search(head)
    if aka is not None:
        # "Name, a.k.a., the following N aliases:" puts the aliases on LI lines;
        # older rules write "Name, a.k.a. Other Name." on the name line itself.
        following = _FOLLOWING.match(head[aka.end() :])
        inline = "" if following else head[aka.end() :]
        return head[: aka.start()].strip(" ,"), inline, ""
    address = _ADDRESS_START.search(head)
    if address is not None:
        return head[: address.start()].strip(" ,"), "", head[address.end() :]
    return strip_sentence_end(head.strip(" ,")), "", ""


def split_addresses(text: str) -> list[str]:
    text = _SEE_ALSO.sub("", text)
    parts = (_TRAILING_AND.sub("", part).strip() for part in _ADDRESS_SPLIT.split(text))
    return [strip_sentence_end(part) for part in parts if part]


def strip_sentence_end(text: str) -> str:
    """Drop the period that ends a table line, but not one that ends "Co." or "S.A."."""
    text = _TRAILING_AND.sub("", text.strip())
    if not text.endswith("."):
        return text
    last_word = text[:-1].rsplit(" ", 1)[-1]
    if "." in last_word or last_word.casefold() in _ABBREVIATIONS:
        return text
    return text[:-1]
