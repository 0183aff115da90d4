"""Commas that belong to a company's legal form ("Co., Ltd.", "Foo, Inc.") and those that do not.

Lists join names and addresses with commas too, so a parser that splits at a
comma must first know which commas are part of a name. Pure.
"""

from __future__ import annotations

import re

# A comma followed by one of these is part of the name before it.
_LEGAL_FORM_AFTER_COMMA = re.compile(
    r",\s*(?=(?:Ltd|Limited|Inc|Incorporated|LLC|L\.L\.C|LLP|Co|Company|Corp|Corporation|"
    r"GmbH|S\.?A|S\.?L|S\.?R\.?L|A\.?G|A\.?S|B\.?V|N\.?V|JSC|PJSC|OJSC|CJSC|OOO|Pte|Pvt|"
    r"Bhd|Sdn|PLC|L\.?P|SpA|S\.p\.A)\b)",
    re.IGNORECASE,
)
_COMMA = re.compile(r",\s+")


def comma_is_legal_form(text: str, position: int) -> bool:
    """Whether the comma at `position` introduces a legal form ("Co., Ltd.")."""
    return _LEGAL_FORM_AFTER_COMMA.match(text, position) is not None


def split_at_commas(text: str) -> list[str]:
    """Split a comma-joined list of names, keeping legal forms and parentheses whole.

    "Sasadja, Defense Industries Org, Zibo Elim Trade Company, Ltd." gives three
    names; a comma inside parentheses ("(Shanghai, branch)") never splits.
    """
    parts: list[str] = []
    start = 0
    for comma in _COMMA.finditer(text):
        before = text[start : comma.start()]
        if comma_is_legal_form(text, comma.start()) or before.count("(") > before.count(")"):
            continue
        parts.append(before)
        start = comma.end()
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]
