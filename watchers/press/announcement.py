"""A press text -> what list action it announces: list, action, count, countries, names.

Pure and total: any text gives an `Announcement`. Precision first: a wrong press
alert costs trust, a missed one only minutes (the Federal Register carries the
legal action). So:
- an action is read only from a sentence where an action verb governs a list
  ("added 11 entities to the Entity List"), not from one that mentions a list;
- a release whose lead is about a penalty, a settlement, a conviction, a speech
  or an event is kept with that category and never taken for a list action,
  unless the lead itself states a list action;
- countries come from the action sentences (up to their "for ..." reason
  clause) and from location phrases ("70 entities in Russia and one in
  Belarus"); names from enumerations, company forms, the objects of the action
  verbs, denial orders and bullet lists.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from watchers.federal_register.countries import countries_mentioned
from watchers.federal_register.list_names import ListAction
from watchers.press.categories import Category, headline_category, lead_category
from watchers.press.listed_before import about_listed_parties, listed_before
from watchers.press.named_parties import (
    bulleted_names,
    denied_parties,
    listed_after_subject,
    object_names,
)
from watchers.press.number_words import NUMBER, parse_count
from watchers.press.organisations import organisations_named
from watchers.press.places import destinations_in, without_citations
from watchers.press.removals import removal_names
from watchers.press.sentences import split_sentences
from watchers.press.wording import ActionMention, actions_in, press_lists_named

_COUNTED = re.compile(
    rf"\b({NUMBER})\s+(?:[\w-]+\s+){{0,4}}?(?:entities|entity|organi[sz]ations?|companies|"
    r"company|firms?|entries|entry|parties|persons|individuals|addresses|institutes)\b",
    re.IGNORECASE,
)
# The reason an action gives ("for supporting Russia's military") names no destination.
_REASON = re.compile(
    r"\s(?:for|because\s+of|due\s+to|citing|over)\s+(?:\w+ing\b|alleged\b|activities\b|its\b|"
    r"their\b|support\b|involvement\b|diversion\b|actions?\b|conduct\b|concerns?\b)",
    re.I,
)
_LEAD_SENTENCES = 3
# Past in the passive after the lead is history ("Huawei was placed on the Entity List in
# 2019"), not the news.
_PASSIVE = re.compile(
    r"\b(?:was|were|had\s+been|has\s+been|have\s+been)\s+(?:\w+\s+)?"
    r"(?:added|placed|put|designated|removed|listed)\b",
    re.I,
)
_NATIONALITY = re.compile(r"^(?:China|Chinese|Russia|Russian|Iran|Iranian)\s+")
# The United States is the actor in these releases, not a destination.
_ACTOR = "US"
# Stated first when a release does several things: an addition is what needs acting on.
_ACTION_ORDER: tuple[ListAction, ...] = ("add", "remove", "revise")


@dataclass(frozen=True, slots=True)
class Announcement:
    lists: tuple[str, ...]  # short codes: "EL", "UVL", "MEU", "DPL", ...
    action: ListAction | None
    count: int | None
    countries: tuple[str, ...]  # ISO alpha-2
    organisations: tuple[str, ...]  # every party named as acted on
    category: Category = "other"
    removed: tuple[str, ...] = ()  # those of `organisations` named as removed

    @property
    def is_list_action(self) -> bool:
        return self.category == "list_action" and bool(self.lists) and self.action is not None


def extract_announcement(text: str) -> Announcement:
    """Read the list action a press text announces, if any."""
    sentences = split_sentences(text)
    lead = sentences[:_LEAD_SENTENCES]
    acting = [
        (s, mentions)
        for index, s in enumerate(sentences)
        if (mentions := actions_in(s)) and (index < _LEAD_SENTENCES or not _PASSIVE.search(s))
    ]
    lead_acts = any(s in lead for s, _ in acting)
    category = headline_category(lead[0] if lead else "") or (
        None if lead_acts else lead_category(" ".join(lead))
    )
    if category is not None or not acting:
        return _not_an_action(text, category or "other")
    mentions = [m for _, ms in acting for m in ms]
    names, removed = _names(sentences, acting)
    return Announcement(
        lists=_unique(code for m in mentions for code in m.lists),
        action=_action(mentions),
        count=_count_in(s for s, _ in acting),
        countries=_countries(sentences, acting),
        organisations=names,
        category="list_action",
        removed=removed,
    )


def _not_an_action(text: str, category: Category) -> Announcement:
    # Kept for the record (the digest lists it); never alerted as a list action.
    return Announcement(
        lists=press_lists_named(text),
        action=None,
        count=None,
        countries=tuple(c for c in countries_mentioned(text) if c != _ACTOR),
        organisations=(),
        category=category,
    )


def _action(mentions: list[ActionMention]) -> ListAction:
    if any(m.renewal for m in mentions):
        return "revise"  # a renewed denial order: the party stays denied, on new terms
    stated = {m.action for m in mentions}
    return next(a for a in _ACTION_ORDER if a in stated)


def _countries(
    sentences: list[str], acting: list[tuple[str, list[ActionMention]]]
) -> tuple[str, ...]:
    codes: list[str] = []
    for sentence, mentions in acting:
        scope = sentence[: max(m.end for m in mentions)]
        reason = _REASON.search(scope)
        named = without_citations(scope[: reason.start()] if reason else scope)
        codes.extend(countries_mentioned(named))
    codes.extend(destinations_in(sentences))
    return _unique(c for c in codes if c != _ACTOR)


def _names(
    sentences: list[str], acting: list[tuple[str, list[ActionMention]]]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Every party named as acted on, and those of them named as removed."""
    mentions = [m for _, ms in acting for m in ms if m.object]
    removed = object_names([m.object for m in mentions if m.action == "remove"])
    removed += removal_names(sentences)
    # The objects of the action verbs first: the headline's spelling of a name wins.
    found = object_names([m.object for m in mentions]) + removed
    news = [s for s in sentences if not about_listed_parties(s)]
    found += organisations_named(news)
    if any("DPL" in m.lists for _, ms in acting for m in ms):
        # "Export Restrictions Against Rossiya Airlines": the headline may name the party.
        for sentence in sentences:
            found += denied_parties(sentence)
    found += bulleted_names(sentences)
    for sentence in news:
        found += listed_after_subject(sentence)
    listed = [_folded(n) for n in listed_before(sentences)]
    names = _whole_names(_unique_names(n for n in found if not _among(_folded(n), listed)))
    return names, tuple(n for n in names if n in _unique_names(removed))


def _whole_names(unique: tuple[str, ...]) -> tuple[str, ...]:
    # "Research Institute" inside "CASC 9th Academy 771 Research Institute" is not a name.
    return tuple(n for n in unique if not any(n != other and n in other for other in unique))


def _among(name: str, listed: list[str]) -> bool:
    """Whether a name is (a part of) one mentioned as listed already."""
    return any(name and name in other for other in listed)


def _folded(name: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", _NATIONALITY.sub("", name).casefold()).split())


def _unique_names(names: Iterable[str]) -> tuple[str, ...]:
    # "China National Offshore Oil Corporation" (headline) and "Chinese National ..." (body).
    out: dict[str, str] = {}
    for name in names:
        out.setdefault(_NATIONALITY.sub("", name).casefold(), name)
    return tuple(out.values())


def _count_in(sentences: Iterable[str]) -> int | None:
    for sentence in sentences:
        match = _COUNTED.search(sentence)
        if match:
            return parse_count(match.group(1))
    return None


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    out: list[str] = []
    for item in items:
        if item not in out:
            out.append(item)
    return tuple(out)
