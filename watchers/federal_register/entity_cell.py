"""The "Entity" cell of an Entity List table row -> name, aliases, addresses.

The cell reads like this (one `LI` per line of the printed table):

    CPUNTO Inc., a.k.a., the following one alias:
      —CPUNTO.
      5929 Route Transcanadienne Ste 130 St. Laurent, Quebec H4T 1Z6 Canada.

Lines that start with an em dash are aliases; the others are addresses, several
of which may share a line joined by "; and". An entry without aliases often
runs name and address together ("Name, No. 5 Road, City, Country."), which is
split at the first part that looks like the start of an address.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from watchers.federal_register.xml_text import element_text, head_text

_AKA = re.compile(r",?\s*\b[af]\.k\.a\.?,?\s*", re.IGNORECASE)
_FOLLOWING = re.compile(r"^the following\b[^:]*:\s*", re.IGNORECASE)
_SEE_ALSO = re.compile(r"\s*\(See (?:alternate )?address(?:es)? under [^)]*\)\.?", re.IGNORECASE)
_ADDRESS_SPLIT = re.compile(r";\s*(?:and\s+)?")
_TRAILING_AND = re.compile(r"[;,]?\s*(?:and|or)?\s*$")
# Where an address starts inside "Name, <address>": a number or a typical first word.
_ADDRESS_START = re.compile(
    r",\s+(?=\d|(?:No\.|Room|Rm\.?|Floor|Flat|Unit|Suite|Ste\.?|Building|Bldg\.?|Block|"
    r"Apartment|Apt\.?|P\.?O\.? Box|Office|House|Plot|Street|Road|Avenue|Ul\.|Via|"
    r"District|Zone)\b)"
)
# Words that end in a period as part of the name, so the period must stay.
_ABBREVIATIONS = frozenset({"co", "ltd", "inc", "corp", "bhd", "pte", "pvt", "jr", "sr", "st"})


@dataclass(frozen=True, slots=True)
class EntityCell:
    name: str
    aliases: tuple[str, ...]
    addresses: tuple[str, ...]


def parse_entity_cell(cell: ET.Element) -> EntityCell:
    """Split an entity cell into its name, its aliases and its addresses."""
    name, inline_aliases, inline_address = _split_head(head_text(cell))
    aliases = [strip_sentence_end(a) for a in _ADDRESS_SPLIT.split(inline_aliases) if a]
    addresses = split_addresses(inline_address) if inline_address else []
    for line in cell.iter("LI"):
        text = element_text(line)
        if text.startswith(("—", "--")):
            aliases.append(strip_sentence_end(text.lstrip("—-").strip()))
        elif text:
            addresses.extend(split_addresses(text))
    return EntityCell(name=name, aliases=tuple(a for a in aliases if a), addresses=tuple(addresses))


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
