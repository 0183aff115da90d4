"""Dates and CFR parts in the words of a rule: its DATES paragraph and its CFR heading.

Pure. `effective_from_dates` reads when a rule takes effect from DATES text as
filed on Public Inspection, where it is often a date, sometimes a placeholder
("[INSERT DATE OF PUBLICATION IN THE FEDERAL REGISTER]") and sometimes "on
filing"; anything else is `unknown`, never a guess. `cfr_parts_in` reads the
title 15 parts a rule amends ("15 CFR Parts 732, 734, 736, 744, and 748").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

MONTH_DATE = re.compile(
    r"\b(January|February|March|April|May|June|July|August|September|October|November|"
    r"December)\s+(\d{1,2}),?\s+(\d{4})\b"
)
_EFFECTIVE = re.compile(r"\beffective\b", re.IGNORECASE)
# Placeholders and phrases the Federal Register uses for "the day it goes on the desk".
_ON_FILING = re.compile(
    r"\[\s*INSERT\s+DATE\s+OF\s+(?:FILING|PUBLIC\s+INSPECTION)[^\]]*\]?"
    r"|\b(?:upon|on)\s+(?:its\s+)?filing\b|\bdate\s+of\s+filing\b"
    r"|\bfiled\s+for\s+public\s+inspection\b|\bupon\s+(?:public\s+)?inspection\b",
    re.IGNORECASE,
)
_ON_PUBLICATION = re.compile(
    r"\[\s*INSERT\s+DATE\s+OF\s+PUBLICATION[^\]]*\]?|\b(?:upon|on)\s+(?:the\s+date\s+of\s+)?"
    r"publication\b",
    re.IGNORECASE,
)
_CFR_HEADING = re.compile(
    r"\b15\s+CFR\s+Parts?\s+((?:\d{3}[a-z]?(?:\s*(?:,|and|&)\s*)*)+)", re.IGNORECASE
)
_PART_NUMBER = re.compile(r"\d{3}")

EffectiveKind = Literal["date", "on_filing", "on_publication", "unknown", "missing"]


@dataclass(frozen=True, slots=True)
class Effective:
    """When a rule takes effect, as its DATES text says."""

    kind: EffectiveKind
    on: date | None  # the date, for kind "date"
    text: str  # the sentence read (clipped), for the alert and the log


def dates_in(text: str) -> list[tuple[int, date]]:
    """Every "Month D, YYYY" of `text` with its offset; impossible dates are skipped."""
    found: list[tuple[int, date]] = []
    for match in MONTH_DATE.finditer(text):
        try:
            day = datetime.strptime(" ".join(match.groups()), "%B %d %Y").date()
        except ValueError:
            continue
        found.append((match.start(), day))
    return found


def effective_from_dates(dates_text: str) -> Effective:
    """Read the effective date of a DATES paragraph."""
    text = " ".join(dates_text.split())
    if not text:
        return Effective(kind="missing", on=None, text="")
    clipped = text[:300]
    effective = _EFFECTIVE.search(text)
    if effective is None:
        return Effective(kind="unknown", on=None, text=clipped)
    # The first statement after "effective" decides: a date, or a placeholder.
    rest = text[effective.end() :]
    candidates: list[tuple[int, EffectiveKind, date | None]] = []
    filing = _ON_FILING.search(rest)
    if filing:
        candidates.append((filing.start(), "on_filing", None))
    publication = _ON_PUBLICATION.search(rest)
    if publication:
        candidates.append((publication.start(), "on_publication", None))
    dated = dates_in(rest)
    if dated:
        candidates.append((dated[0][0], "date", dated[0][1]))
    if not candidates:
        return Effective(kind="unknown", on=None, text=clipped)
    _, kind, on = min(candidates, key=lambda c: c[0])
    return Effective(kind=kind, on=on, text=clipped)


def cfr_parts_in(text: str) -> tuple[int, ...]:
    """The title 15 parts a rule's CFR heading lists, in order, without repeats."""
    parts: list[int] = []
    for heading in _CFR_HEADING.finditer(text):
        for number in _PART_NUMBER.findall(heading.group(1)):
            if int(number) not in parts:
                parts.append(int(number))
    return tuple(parts)
