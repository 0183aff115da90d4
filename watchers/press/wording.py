"""How press texts name a screening list and what they do to it.

Builds on the Federal Register's list names (`lists_named`) and adds the press's
own words: "trade blacklist" / "export blacklist" is the Entity List, a
"temporary denial order" puts a party on the Denied Persons List, a "military
end-user" list in quotes is the MEU List, and "UVL" is the Unverified List.

A sentence is an *action sentence* only when an action verb governs a list:
"added 11 entities to the Entity List", "removed eight entities from its
Unverified List", "issued a temporary denial order". A relative clause that
describes a past listing ("parties that were added to the Entity List", "an
entity listed on the Entity List") is not an action.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from watchers.federal_register.list_names import ListAction, lists_named

# News wording for the Entity List: "trade blacklist", "economic blacklist", "its blacklist".
_BLACKLIST = (
    r"(?:(?:trade|export|export[\s-]controls?|commerce|economic)\s+black[\s-]?list|"
    r"(?<=its\s)black[\s-]?list|(?<=Commerce’s\s)black[\s-]?list|"
    r"(?<=Commerce's\s)black[\s-]?list)"
)
_PRESS_LISTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("EL", re.compile(r"\b[\"“]?Entit(?:y|ies)[\"”]?\s+List\b", re.I)),
    (
        "EL",
        re.compile(_BLACKLIST, re.I),
    ),
    ("MEU", re.compile(r"\bmilitary[\s-]+end[\s-]+users?[\"”’']*\s+list\b", re.I)),
    ("UVL", re.compile(r"\bUVL\b")),
    ("DPL", re.compile(r"\b(?:temporary\s+)?denial\s+orders?\b|\bTDOs?\b", re.I)),
    (
        "DPL",
        re.compile(
            r"\b(?:suspend\w*|den(?:y|ied|ying))\s+(?:the\s+|its\s+)?export\s+privileges\b", re.I
        ),
    ),
)
_LIST_SPAN = "|".join(
    [
        r"[\"“]?Entit(?:y|ies)[\"”]?\s+List",
        _BLACKLIST,
        r"[\"“‘']?military[\s-]+end[\s-]+users?[\"”’']*\s+(?:\(MEU\)\s+)?list",
        r"MEU\s+List",
        r"Unverified\s+List",
        r"UVL",
        r"Denied\s+Persons\s+List",
    ]
)
# Up to four words between the preposition and the list: "to its so-called", "on the
# U.S. Commerce Department's"; or the agency's name in full: "on the Bureau of Industry and
# Security's".
_AGENCY = (
    r"(?:the\s+)?(?:U\.S\.\s+)?(?:Commerce\s+Department|Department\s+of\s+Commerce|"
    r"Bureau\s+of\s+Industry\s+and\s+Security)[’']s\s+"
)
_DETERMINERS = rf"(?:{_AGENCY}|(?:[\w.’'-]+\s+){{0,4}}?)[\"“‘]?"
# What may stand between a verb and its list. A sentence has been split already, so a full
# stop inside one ends an abbreviation ("Co. Ltd.", "U.S."), not the sentence.
_WITHIN = r"[^;:]"
_ADD = r"add|adds|added|adding|additions?|plac(?:e|es|ed|ing)|puts?|putting|designat\w*|inclusion"
_REMOVE = r"remov\w*|delist\w*|pull(?:s|ed|ing)?|tak(?:e|es|en|ing)\s+off|took\s+off"
_REVISE = r"revis\w*|modif\w*|amend\w*|correct\w*"


def _verb_then_list(verbs: str, prepositions: str) -> re.Pattern[str]:
    return re.compile(
        rf"\b(?P<verb>{verbs})\b(?P<object>{_WITHIN}{{0,320}}?)\s+{prepositions}\s+{_DETERMINERS}"
        rf"(?P<list>{_LIST_SPAN})",
        re.I,
    )


_VERB_THEN_LIST: tuple[tuple[ListAction, re.Pattern[str]], ...] = (
    ("add", _verb_then_list(_ADD, r"(?:to|on|onto)")),
    ("remove", _verb_then_list(_REMOVE, r"(?:from|off)")),
    ("revise", _verb_then_list(_REVISE, r"(?:to|on|in|of)")),
)
_CONTINUATION = re.compile(
    rf"\s*,?\s+(?P<verb>and)\s+(?P<object>{_WITHIN}{{0,120}}?)\s+(?:to|on|onto|from)\s+{_DETERMINERS}"
    rf"(?P<list>{_LIST_SPAN})",
    re.I,
)
# The object of a verb that changes how the list works, not who is on it.
_ABOUT_THE_RULES = re.compile(
    r"\b(?:criteria|process|procedures?|standards?|polic(?:y|ies)|guidance)\b", re.I
)
# "The U.S. blacklists five Chinese supercomputer makers" (not "a blacklisted firm").
_BLACKLISTS = re.compile(
    r"(?<!\bwith\s)(?<!\ba\s)(?<!\bthe\s)(?<!\bof\s)\bblacklist(?:s|ed)\s+(?P<object>[^.;:]{1,120}?)"
    r"(?=\s+(?:to|on|for|over|due|because|after|in|from)\b|[.;:,]|$)",
    re.I,
)
# "expands the Entity List by adding ...", "Entity List Additions" (a Federal Register title);
# not "the Entity List adds restrictions", which describes what the list does.
_LIST_BY_VERB = re.compile(
    rf"(?P<list>{_LIST_SPAN})\s+(?:by\s+(?P<verb>{_ADD}|{_REMOVE})|"
    r"(?P<noun>additions?|removals?|deletions?))\b",
    re.I,
)
# "revises the Unverified List".
_REVISES_LIST = re.compile(rf"\b(?:{_REVISE})\s+(?:the\s+|its\s+)?(?P<list>{_LIST_SPAN})\b", re.I)
# A denial order, as releases and Federal Register titles name it.
_ORDER = (
    r"(?:(?:temporary\s+)?denial\s+orders?|orders?\s+(?:temporarily\s+)?denying\s+export\s+"
    r"privileges)"
)
_DENIAL = re.compile(
    r"\b(?P<verb>issu\w*|impos\w*|renew\w*|extend\w*|lift\w*|rescind\w*|terminat\w*|revok\w*)\b"
    rf"[^.;]{{0,80}}?\b{_ORDER}\b"
    rf"|\b{_ORDER}\b[^.;]{{0,40}}?\b(?P<verb2>renew\w*|extend\w*)\b"
    r"|\b(?P<verb3>suspend\w*)\s+(?:the\s+|its\s+)export\s+privileges\b"
    r"|^(?P<verb4>order)\s+(?:temporarily\s+)?denying\s+export\s+privileges\b",
    re.I,
)
# "parties that were added to the Entity List", "the criteria for addition to the Entity
# List": a description, not the news.
_DESCRIBES_PAST = re.compile(
    r"\b(?:that|which|who|whom)\s+(?:\w+\s+){0,2}(?:were|was|had\s+been|are|is)\s+(?:\w+\s+)?$"
    r"|\b(?:criteria|basis|grounds|process|procedures?|requests?|petitions?|standards?)\s+"
    r"(?:for|of)\s+$",
    re.I,
)


@dataclass(frozen=True, slots=True)
class ActionMention:
    action: ListAction
    lists: tuple[str, ...]
    start: int  # where the verb is, so that the earliest mention can be told
    end: int  # where the list is named: destinations are named before it, reasons after
    object: str  # the words between the verb and the list ("Huawei and 70 affiliates")
    renewal: bool = False


def press_lists_named(text: str) -> tuple[str, ...]:
    """List codes a press text names, in the Federal Register's words or the press's."""
    codes = list(lists_named(text))
    for code, pattern in _PRESS_LISTS:
        if code not in codes and pattern.search(text):
            codes.append(code)
    return tuple(codes)


def actions_in(sentence: str) -> list[ActionMention]:
    """Every list action a sentence states, in order of the verb."""
    found: list[ActionMention] = []
    for action, pattern in _VERB_THEN_LIST:
        for match in pattern.finditer(sentence):
            if _DESCRIBES_PAST.search(sentence[: match.start("verb")]):
                continue
            if press_lists_named(match.group("object")):
                continue  # the verb governs the nearer list ("revises X List, links to Y List")
            if _ABOUT_THE_RULES.search(match.group("object")):
                continue  # "revises the criteria for addition to the Entity List"
            found.append(_mention(action, match))
            found.extend(_continued(action, sentence, match.end()))
    for match in _LIST_BY_VERB.finditer(sentence):
        verb = (match.group("verb") or match.group("noun")).lower()
        by: ListAction = "remove" if re.match(_REMOVE, verb, re.I) else "add"
        lists = press_lists_named(match.group("list"))
        # "expands the Entity List by adding six entities in ...": the destinations follow.
        found.append(ActionMention(by, lists, match.start(), len(sentence), ""))
    for match in _REVISES_LIST.finditer(sentence):
        lists = press_lists_named(match.group("list"))
        found.append(ActionMention("revise", lists, match.start(), match.end(), ""))
    found.extend(_denials(sentence))
    found.extend(
        ActionMention("add", ("EL",), m.start(), m.end(), m.group("object"))
        for m in _BLACKLISTS.finditer(sentence)
    )
    return sorted(found, key=lambda mention: mention.start)


def _mention(action: ListAction, match: re.Match[str]) -> ActionMention:
    return ActionMention(
        action=action,
        lists=press_lists_named(match.group("list")),
        start=match.start(),
        end=match.end(),
        object=match.group("object").strip(" ,"),
    )


def _continued(action: ListAction, sentence: str, end: int) -> list[ActionMention]:
    """ "... to the Entity List and Skyrizon to the MEU List": the same verb, another list."""
    found: list[ActionMention] = []
    while match := _CONTINUATION.match(sentence, end):
        found.append(_mention(action, match))
        end = match.end()
    return found


def _denials(sentence: str) -> list[ActionMention]:
    out: list[ActionMention] = []
    # A denial order's party, and so its country, follows the order: "for Russian airline X".
    end = len(sentence)
    for match in _DENIAL.finditer(sentence):
        verb = next(match.group(g) for g in ("verb", "verb2", "verb3", "verb4") if match.group(g))
        verb = verb.lower()
        if verb.startswith(("renew", "extend")):
            out.append(ActionMention("revise", ("DPL",), match.start(), end, "", renewal=True))
        elif verb.startswith(("lift", "rescind", "terminat", "revok")):
            out.append(ActionMention("remove", ("DPL",), match.start(), end, ""))
        else:
            out.append(ActionMention("add", ("DPL",), match.start(), end, ""))
    return out
