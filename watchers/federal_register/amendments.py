"""The amendatory instructions of a rule: which entries it adds, revises or removes.

The table of a rule shows the entries as they will read, but only the
instructions (`AMDPAR`) say what happens to each one:

    b. Under CHINA, PEOPLE'S REPUBLIC OF, by adding, in alphabetical order,
       entries for "AOOK Technology Ltd."; ... and "Spacety Co., Ltd.";
    c. Under RUSSIA, by revising the entry for "X" and by removing the entry for "Y".

Removed entries appear only here: a removal has no table row.
"""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from reference.lists import ListAction
from watchers.federal_register.xml_text import element_text

_UNDER = re.compile(
    # "Under RUSSIA, by adding ..." and "By adding under ARMENIA, in alphabetical order, ..."
    r"\b[Uu]nder\s+(?:the\s+destination\s+of\s+)?([A-Z][A-Z ,.'’()-]*?),?\s+(?:by|the|an?|in)\s"
)
_VERB = re.compile(r"\b(adding|revising|removing)\b", re.IGNORECASE)
_QUOTED = re.compile(r"“([^”]+)”|\"([^\"]+)\"")
_ACTIONS: dict[str, ListAction] = {"adding": "add", "revising": "revise", "removing": "remove"}


@dataclass(frozen=True, slots=True)
class Amendment:
    """One entry named by an amendatory instruction."""

    destination: str
    name: str
    action: ListAction


def name_key(text: str) -> str:
    """Loose identity of a name for matching instructions to table rows.

    Instructions and table disagree on punctuation ("Spacety Co. Ltd." in the
    preamble, "Spacety Co., Ltd." in the table), so only letters and digits count.
    """
    folded = unicodedata.normalize("NFKC", text).replace("’", "'").casefold()
    return " ".join(re.sub(r"[^\w]+", " ", folded).split())


def amendments_of(root: ET.Element) -> tuple[Amendment, ...]:
    """Every (destination, name, action) the rule's amendatory paragraphs name."""
    found: list[Amendment] = []
    for paragraph in root.iter("AMDPAR"):
        found.extend(_amendments_in(element_text(paragraph)))
    return tuple(found)


def _amendments_in(text: str) -> list[Amendment]:
    under = _UNDER.search(text)
    if under is None:
        return []  # "Supplement No. 4 to part 744 is amended:" and the like
    destination = under.group(1).strip()
    verbs = list(_VERB.finditer(text))
    found: list[Amendment] = []
    for index, verb in enumerate(verbs):
        end = verbs[index + 1].start() if index + 1 < len(verbs) else len(text)
        action = _ACTIONS[verb.group(1).lower()]
        for quoted in _QUOTED.finditer(text, verb.end(), end):
            name = _clean_quoted(quoted.group(1) or quoted.group(2))
            if name:
                found.append(Amendment(destination=destination, name=name, action=action))
    return found


def _clean_quoted(text: str) -> str:
    # A closing quote sometimes sits inside the italic "and" (“</E> Name”), which
    # leaves a leading space; a trailing comma or semicolon belongs to the sentence.
    return text.strip().rstrip(",;").strip()
