"""Parties a release mentions as listed already: context, not the news.

Releases name the parties an action is about and, beside them, parties that
were listed before: the party a new entity supplied ("for supplying Kestrow
Dynamics Co., Ltd., which was added to the Entity List in 2021"), a parent
("affiliates of Corad Technology Ltd. -- added to the Entity list in 2019 --"),
a network's hub ("the Special Technology Center, an entity on the BIS Entity
List"). Reporting those as added would be a false alert about a party the
team has screened against for years. Pure; the forms read:

- a name followed by a clause that says it is listed: ", which was added to
  the ... List", "-- added to the ... List in 2019 --", ", an entity on the
  ... List", ", already on the ... List";
- a name after "Entity Listed party" or "listed entity";
- every name in a sentence whose subject is listed parties ("Those listed
  parties include ...").
"""

from __future__ import annotations

import re

# "on the Entity List", "on BIS's Entity List", "on the Commerce Department's lists": being
# on a list, not any "on" ("focused on radar", "on record as a supplier").
_ON_A_LIST = r"on\s+(?:the|its|[A-Z][\w.]*['’]s)\s+(?:[\w.'’-]+\s+){0,5}?(?:black)?lists?\b"
# The clause that follows a name and says it is listed already.
_LISTED_CLAUSE = re.compile(
    r"(?:,\s*|\s+(?:--|—|–)\s*|\s*\(\s*)(?:"
    r"(?:which|who)\s+(?:was|were|has\s+been|have\s+been|had\s+been|is|are)\s+"
    rf"(?:\w+\s+){{0,2}}?(?:(?:added|placed|listed|designated)\b|{_ON_A_LIST})"
    r"|(?:first\s+|previously\s+|already\s+)?(?:added|placed|listed)\s+(?:to|on)\s+(?:the|its)\s+"
    r"[^,;]{0,60}?\blist\b[^,;]{0,12}?\b(?:in|on|since)\s+(?:\w+\s+)?\d{4}"
    r"|an?\s+(?:existing\s+)?(?:entity|party|company|firm|organi[sz]ation)\s+(?:already\s+)?"
    r"(?:on|listed\s+on|named\s+on)\s+(?:the|its)\b"
    rf"|(?:already|previously)\s+(?:(?:listed|added|designated)\b|{_ON_A_LIST})"
    r")",
    re.I,
)
# A name just before such a clause: capitalised words, numbers, brackets, company forms.
_NAME_BEFORE = re.compile(
    r"(?:[A-Z][\w&'’.-]*|\d[\w-]*|\([A-Z][\w -]*\))"
    r"(?:,?\s+(?:[A-Z][\w&'’.-]*|\d[\w-]*|\([A-Z][\w -]*\)|of|and|for|de|&))*$"
)
# "diverting items to Entity Listed party Harlan Motion Corp.", "listed entity Foo".
_LISTED_NOUN = re.compile(
    r"\b(?:Entity[\s-]+Listed|listed|designated)\s+(?:party|entity|company|firm)\s*,?\s+"
    r"(?P<name>(?:[A-Z][\w&'’.-]*|\d[\w-]*)(?:,?\s+(?:[A-Z][\w&'’.-]*|\d[\w-]*|of|and|&))*)"
)
# "Those listed parties include ...": the whole sentence is about listed parties.
_LISTED_SUBJECT = re.compile(
    r"^(?:The|These|Those|Such|Other)\s+(?:listed|designated|sanctioned)\s+"
    r"(?:parties|entities|companies|firms)\b|^(?:The|These|Those)\s+(?:parties|entities|companies)"
    r"\s+(?:already|previously)\s+(?:on|listed)\b",
    re.I,
)
_DESCRIPTOR = re.compile(r"^(?:(?:the|The|And|and)\s+|[A-Z][\w’'-]*-based\s+)+")


def listed_before(sentences: list[str]) -> tuple[str, ...]:
    """Names the sentences mention as listed already, in order of mention."""
    found: list[str] = []
    for sentence in sentences:
        found.extend(_named_before_clause(sentence))
        found.extend(_clean(m.group("name")) for m in _LISTED_NOUN.finditer(sentence))
    return tuple(dict.fromkeys(name for name in found if name))


def about_listed_parties(sentence: str) -> bool:
    """Whether a sentence's subject is parties listed already ("Those listed parties ...")."""
    return bool(_LISTED_SUBJECT.search(sentence))


def _named_before_clause(sentence: str) -> list[str]:
    names: list[str] = []
    for clause in _LISTED_CLAUSE.finditer(sentence):
        before = _NAME_BEFORE.search(sentence[: clause.start()])
        if before:
            names.append(_clean(before.group(0)))
    return names


def _clean(name: str) -> str:
    return _DESCRIPTOR.sub("", name.strip(" ,")).rstrip(" ,")
