"""§ 744.22 of the EAR -> the military-intelligence end users it names, as list entries.

Pure. Paragraph (f)(2) defines a 'military-intelligence end user' and then names
some, one paragraph per country, in this form (eCFR text, 87 FR 13060):

    (2) 'Military-intelligence end user' means any intelligence or reconnaissance
        organization of the armed services ... include, but are not limited to,
        the following:
    (i) <I>Burma.</I> Office of Chief of Military Security Affairs (OCMSA) and the
        Directorate of Signal.
    ...
    (x) <I>Belarus.</I> The Main Intelligence Directorate of the General Staff of
        the Armed Forces of Belarus.

Each organization is an entry of the list "MIEU": its name (the acronym in
brackets becomes an alias), its country, the paragraph that names it as its
citation ("15 CFR 744.22(f)(2)(vii)"), and the section's license terms. Two
organizations share a paragraph when joined by "and" after a bracketed acronym
or by "and the"; any other "and" is part of a name. The Consolidated Screening
List does not carry these parties, so this text is where they come from.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from reference.countries import country_code
from watchers.ecfr.errors import ListTextError
from watchers.records import ListEntry

SOURCE = "ecfr.mieu"
SECTION_URL = "https://www.ecfr.gov/current/title-15/part-744/section-744.22"
_LABEL = re.compile(r"^\(([a-z0-9]+)\)\s*")
_ROMAN = re.compile(r"^[ivxl]+$")
_DEFINITION = re.compile(r"^\(2\)\s*['‘’\"]?\s*military-intelligence end user", re.IGNORECASE)
_COUNTRY_LEAD = re.compile(r"^(?P<country>[^.]+?)\.\s+(?P<rest>.+)$")
_JOIN = re.compile(r"(?<=\))\s+and\s+(?:the\s+)?|\s+and\s+the\s+(?=[A-Z])")
_ACRONYM = re.compile(r"\s*\(([^()]+)\)\s*$")
_CITATION = re.compile(r"\d+\s+FR\s+\d+")
_POLICY = re.compile(r"presumption of denial", re.IGNORECASE)
DEFAULT_REQUIREMENT = "For all items subject to the EAR (§ 744.22(a) and (b))"


@dataclass(frozen=True, slots=True)
class MieuParagraph:
    label: str  # the roman numeral: "vii"
    country: str  # as printed: "Russia"
    text: str  # the organizations, as printed


def parse_mieu(section: ET.Element) -> tuple[ListEntry, ...]:
    """Every military-intelligence end user § 744.22(f)(2) names, in printed order."""
    paragraphs = [_text(p) for p in section.iter("P")]
    items = mieu_paragraphs(paragraphs)
    policy = _review_policy(paragraphs)
    credit = _source_credit(section)
    entries = [entry for item in items for entry in _entries(item, policy=policy, credit=credit)]
    if not entries:
        raise ListTextError("§ 744.22(f)(2) names no organization", source=SOURCE)
    return tuple(entries)


def mieu_paragraphs(paragraphs: list[str]) -> tuple[MieuParagraph, ...]:
    """The country paragraphs (i), (ii), ... that follow the (f)(2) definition."""
    start = next((n for n, text in enumerate(paragraphs) if _DEFINITION.match(text)), None)
    if start is None:
        raise ListTextError(
            "no paragraph (f)(2) defining 'military-intelligence end user' in § 744.22",
            source=SOURCE,
        )
    items: list[MieuParagraph] = []
    for text in paragraphs[start + 1 :]:
        label = _LABEL.match(text)
        if label is None or not _ROMAN.match(label.group(1)):
            break
        lead = _COUNTRY_LEAD.match(text[label.end() :])
        if lead is None:
            raise ListTextError(
                f"paragraph ({label.group(1)}) does not start with a country",
                source=SOURCE,
                where=f"§ 744.22(f)(2)({label.group(1)})",
            )
        items.append(
            MieuParagraph(label=label.group(1), country=lead["country"], text=lead["rest"])
        )
    if not items:
        raise ListTextError(
            "§ 744.22(f)(2) is followed by no (i), (ii), ... paragraph naming end users",
            source=SOURCE,
        )
    return tuple(items)


def _entries(item: MieuParagraph, *, policy: str, credit: str | None) -> list[ListEntry]:
    code = country_code(item.country)
    where = f"§ 744.22(f)(2)({item.label})"
    if code is None:
        raise ListTextError(f"unknown country {item.country!r}", source=SOURCE, where=where)
    citation = f"15 CFR 744.22(f)(2)({item.label})"
    entries = []
    for part in _JOIN.split(item.text.strip().rstrip(".")):
        name, aliases = _name_and_acronym(part)
        if not name:
            raise ListTextError(f"an empty name in {item.text!r}", source=SOURCE, where=where)
        entries.append(
            ListEntry(
                list_code="MIEU",
                name=name,
                aliases=aliases,
                entity_type="Entity",
                countries=(code,),
                fr_citations=(citation,),
                license_requirement=DEFAULT_REQUIREMENT,
                license_policy=policy,
                remarks=f"Named in {citation}" + (f"; section source: {credit}" if credit else ""),
                source_urls=(SECTION_URL,),
            )
        )
    return entries


def _name_and_acronym(part: str) -> tuple[str, tuple[str, ...]]:
    text = re.sub(r"^(?:the|The)\s+", "", part.strip().rstrip("."))
    acronym = _ACRONYM.search(text)
    if acronym is None:
        return text, ()
    return text[: acronym.start()].strip(), (acronym.group(1).strip(),)


def _review_policy(paragraphs: list[str]) -> str:
    """Paragraph (e)'s review policy ("Presumption of denial"), or the section's reference."""
    for text in paragraphs:
        if text.startswith("(e)") and _POLICY.search(text):
            return "Presumption of denial (§ 744.22(e))"
    return "See § 744.22(e)"


def _source_credit(section: ET.Element) -> str | None:
    cita = section.find("CITA")
    if cita is None:
        return None
    text = " ".join("".join(cita.itertext()).split()).strip("[] ")
    return text if _CITATION.search(text) else None


def _text(element: ET.Element) -> str:
    return " ".join("".join(element.itertext()).split())
