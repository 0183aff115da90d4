"""The preamble of a rule's full-text XML: number, title, action, summary, dates."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date, datetime

from watchers.federal_register.errors import RuleXmlError
from watchers.federal_register.xml_text import SOURCE, clean, element_text

_FR_DOC = re.compile(r"FR\s+Doc\.?\s*(?:No\.?\s*)?(\d{2,4})\s*[-–]\s*(\d+)", re.IGNORECASE)
_MONTH_DATE = re.compile(
    r"\b(January|February|March|April|May|June|July|August|September|October|November|"
    r"December)\s+(\d{1,2}),\s+(\d{4})\b"
)

_EFFECTIVE = re.compile(r"\beffective\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Preamble:
    document_number: str | None
    title: str
    action: str
    summary: str
    effective_on: date | None
    dates: str = ""  # the DATES paragraph as printed (read for suspensions, TGL expiry)
    cfr: str = ""  # the CFR heading: "15 CFR Parts 732, 734, 736, 744, and 748"


def read_preamble(root: ET.Element) -> Preamble:
    """Read the parts of the preamble that an alert needs."""
    dates = _section_text(root, "EFFDATE")
    return Preamble(
        document_number=_document_number(root),
        title=_first_text(root, "SUBJECT"),
        action=_section_text(root, "ACT"),
        summary=_section_text(root, "SUM"),
        effective_on=_effective_on(dates),
        dates=dates,
        cfr=" ".join(element_text(e) for e in root.iter("CFR")),
    )


def _first_text(root: ET.Element, tag: str) -> str:
    element = root.find(f".//{tag}")
    return element_text(element) if element is not None else ""


def _section_text(root: ET.Element, tag: str) -> str:
    """The paragraphs of a preamble section, without its "SUMMARY:" style heading."""
    section = root.find(f".//{tag}")
    if section is None:
        return ""
    return clean(" ".join(element_text(p) for p in section if p.tag != "HD"))


def _document_number(root: ET.Element) -> str | None:
    # "[FR Doc. 2023-03929 Filed 2-24-23; 8:45 am]"; some rules use an en dash.
    match = _FR_DOC.search(_first_text(root, "FRDOC"))
    return f"{match.group(1)}-{match.group(2)}" if match else None


def _effective_on(dates_text: str) -> date | None:
    """The date DATES says the rule takes effect ("This rule is effective February 24, 2023.").

    Only a date that follows the word "effective" counts: DATES can also give a
    comment deadline, and a rule filed before publication says "effective [INSERT
    DATE OF PUBLICATION ...]", which is no date yet. None when there is none;
    the caller must not guess one from the publication date.
    """
    effective = _EFFECTIVE.search(dates_text)
    if effective is None:
        return None
    match = _MONTH_DATE.search(dates_text, effective.end())
    if match is None or "[" in dates_text[effective.end() : match.start()]:
        return None
    try:
        return datetime.strptime(" ".join(match.groups()), "%B %d %Y").date()
    except ValueError as error:
        raise RuleXmlError(
            f"impossible effective date {match.group(0)!r}", source=SOURCE, where="DATES"
        ) from error
