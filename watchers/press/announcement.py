"""A press text -> what list action it announces: list, action, count, countries, names.

Pure and total: any text gives an `Announcement`; a trade mission or a speech
gives one whose `is_list_action` is False. An action is only read from a
sentence that both names a screening list and uses an action verb, so that a
release which merely mentions the Entity List is not taken for an addition.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from watchers.federal_register.countries import countries_mentioned
from watchers.federal_register.list_names import ListAction, lists_named
from watchers.press.number_words import NUMBER, parse_count
from watchers.press.organisations import organisations_named
from watchers.press.sentences import split_sentences

_ACTIONS: tuple[tuple[ListAction, re.Pattern[str]], ...] = (
    (
        "add",
        re.compile(r"\b(?:adds?|added|adding|additions?|plac(?:es|ed|ing)|designat\w+)\b", re.I),
    ),
    ("remove", re.compile(r"\b(?:remov\w+|delist\w*|tak(?:es|en) off|rescind\w*)\b", re.I)),
    ("revise", re.compile(r"\b(?:revis\w+|modif\w+|amend\w* (?:the |\d+ )?entr\w+)\b", re.I)),
)
_COUNTED = re.compile(
    rf"\b({NUMBER})\s+(?:[\w-]+\s+){{0,4}}?(?:entities|entity|organi[sz]ations?|companies|"
    r"company|firms?|entries|entry|parties|persons|individuals|addresses|institutes)\b",
    re.IGNORECASE,
)
# The United States is the actor in these releases, not a destination.
_ACTOR = "US"


@dataclass(frozen=True, slots=True)
class Announcement:
    lists: tuple[str, ...]  # short codes: "EL", "UVL", "MEU", "DPL", "SDN", ...
    action: ListAction | None
    count: int | None
    countries: tuple[str, ...]  # ISO alpha-2
    organisations: tuple[str, ...]

    @property
    def is_list_action(self) -> bool:
        return bool(self.lists) and self.action is not None


def extract_announcement(text: str) -> Announcement:
    """Read the list action a press text announces, if any."""
    sentences = split_sentences(text)
    acting = [(s, a) for s in sentences if lists_named(s) and (a := _action_in(s)) is not None]
    scope = " ".join(s for s, _ in acting) or text
    return Announcement(
        lists=_unique(code for s, _ in acting for code in lists_named(s)) or lists_named(text),
        action=acting[0][1] if acting else None,
        count=_count_in(s for s, _ in acting),
        countries=tuple(c for c in countries_mentioned(scope) if c != _ACTOR),
        organisations=organisations_named(sentences),
    )


def _action_in(sentence: str) -> ListAction | None:
    """The action whose verb comes first in the sentence."""
    hits = [(m.start(), action) for action, p in _ACTIONS if (m := p.search(sentence))]
    return min(hits)[1] if hits else None


def _count_in(sentences: Iterable[str]) -> int | None:
    for sentence in sentences:
        match = _COUNTED.search(sentence)
        if match:
            return parse_count(match.group(1))
    return None


def _unique(codes: Iterable[str]) -> tuple[str, ...]:
    out: list[str] = []
    for code in codes:
        if code not in out:
            out.append(code)
    return tuple(out)
