"""Names of the US screening lists as documents write them -> the CSL's short codes.

Shared by the Federal Register parsers (which rules concern a list we watch)
and the press extractor (which list an announcement is about). Codes are the
ones the Consolidated Screening List uses, so every source speaks the same
language to the diff and to the alerts.
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


def lists_named(text: str) -> tuple[str, ...]:
    """Short codes of the screening lists a text names, in a fixed order (EL first)."""
    return tuple(code for code, pattern in _PATTERNS if pattern.search(text))


def bis_rule_lists_named(text: str) -> tuple[str, ...]:
    """Like `lists_named`, restricted to the lists BIS amends by Federal Register rule."""
    return tuple(code for code in lists_named(text) if code in BIS_RULE_LISTS)
