"""Screening lists: the CSL's short codes, the names people read, and how documents name them.

Reference data shared by the Federal Register parsers (which rules concern a
list we watch), the press extractor (which list an announcement is about) and
the renderers (what an alert calls a list). Codes are the ones the
Consolidated Screening List uses, so every source speaks the same language to
the diff and to the alerts. Imports nothing of ours.
"""

from __future__ import annotations

import re
from typing import Literal

# What a rule or an announcement does to a list entry.
ListAction = Literal["add", "revise", "remove"]

# The three lists BIS keeps in supplements to 15 CFR part 744 and amends by rule.
BIS_RULE_LISTS: tuple[str, ...] = ("EL", "UVL", "MEU")

# Supplement number in 15 CFR part 744 -> list code (the GPOTABLE heading names it).
SUPPLEMENT_LISTS: dict[str, str] = {"4": "EL", "6": "UVL", "7": "MEU"}

# Short code -> the name an alert shows. Codes as the CSL's `source` strings carry them.
LIST_NAMES: dict[str, str] = {
    "EL": "Entity List",
    "UVL": "Unverified List",
    "MEU": "Military End-User List",
    "DPL": "Denied Persons List",
    "SDN": "SDN List",
    "SSI": "Sectoral Sanctions Identifications List",
    "FSE": "Foreign Sanctions Evaders List",
    "ISN": "Nonproliferation Sanctions",
    "DTC": "ITAR Debarred List",
    "CAP": "CAPTA List",
    "CMIC": "Chinese Military-Industrial Complex Companies List",
    "NS-MBS": "Non-SDN Menu-Based Sanctions List",
    "PLC": "Palestinian Legislative Council List",
    "MIEU": "Military-Intelligence End-User list",
}

# Lists that exporters must screen and the Consolidated Screening List does not carry;
# entitywatch reads them from the regulation text (the eCFR) instead.
LISTS_NOT_ON_CSL: tuple[str, ...] = ("MIEU",)

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("EL", re.compile(r"\bEntity\s+List\b", re.IGNORECASE)),
    ("UVL", re.compile(r"\bUnverified\s+List\b", re.IGNORECASE)),
    (
        "MEU",
        re.compile(r"\bMilitary\s+End[\s-]+Users?\s+(?:\(MEU\)\s+)?List\b|\bMEU\s+List\b", re.I),
    ),
    ("DPL", re.compile(r"\bDenied\s+Persons\s+List\b", re.IGNORECASE)),
    (
        "SDN",
        re.compile(r"\bSpecially\s+Designated\s+Nationals\b|\bSDN\s+List\b|\bSDNs?\b", re.I),
    ),
    ("DTC", re.compile(r"\bDebarred\s+Parties\s+List\b|\bITAR\s+Debarred\b", re.IGNORECASE)),
    ("SSI", re.compile(r"\bSectoral\s+Sanctions\s+Identifications\b", re.IGNORECASE)),
    ("CMIC", re.compile(r"\bChinese\s+Military[\s-]+Industrial\s+Complex\b", re.IGNORECASE)),
)


def list_name(code: str | None) -> str:
    """The name of a list for people ("EL" -> "Entity List"); an unknown code as given."""
    return LIST_NAMES.get(code or "", code or "List")


def lists_named(text: str) -> tuple[str, ...]:
    """Short codes of the screening lists a text names, in a fixed order (EL first)."""
    return tuple(code for code, pattern in _PATTERNS if pattern.search(text))


def bis_rule_lists_named(text: str) -> tuple[str, ...]:
    """Like `lists_named`, restricted to the lists BIS amends by Federal Register rule."""
    return tuple(code for code in lists_named(text) if code in BIS_RULE_LISTS)


# The EAR section that sets the license requirement and review policy of a list whose
# rule tables carry no such columns (Supplements No. 6 and 7 to part 744).
LIST_RULE_SECTIONS: dict[str, str] = {"UVL": "§ 744.15", "MEU": "§ 744.21", "MIEU": "§ 744.22"}

# The parts of 15 CFR part 744 that hold a screening list, by eCFR identifier -> list code.
# The military-intelligence end users are named in § 744.22(f)(2), not in a supplement.
PART_744_LISTS: dict[str, str] = {
    "Supplement No. 4 to Part 744": "EL",
    "Supplement No. 6 to Part 744": "UVL",
    "Supplement No. 7 to Part 744": "MEU",
    "744.22": "MIEU",
}
