"""Names a list action removes, in the forms releases use for removals.

A "Revisions to the Entity List" release often adds parties in its lead and
names the parties it removes further down, in words the action verbs do not
cover: "The removal of Indian entities A, B and C will support ...", "The
notice removes D GmbH and E GmbH from the list", "F Ltd. and G Inc. were
removed from the Entity List", or bullets under "Removed from the UVL were:".
Read only once a release is known to be a list action (a "removal of barriers"
in a speech names nobody). Pure.
"""

from __future__ import annotations

import re

from watchers.press.named_parties import bulleted_names, object_names

_REMOVE_VERB = r"(?:remov\w*|delist\w*|tak(?:e|es|en|ing)\s+off|took\s+off)"
# Where an enumeration of names ends and the sentence goes on.
_ENUMERATION = (
    r"(?P<items>[^;:]{1,400}?)(?=\s+(?:will|would|is|was|are|were|has|have|had|from|after|"
    r"because|following|under|based|as|for|effective)\b|[;:]|\.?$)"
)
_REMOVAL_OF = re.compile(rf"\bremovals?\s+of\s+{_ENUMERATION}", re.I)
# "removes D GmbH and E GmbH from the list": the list is the one the release is about.
_REMOVES_FROM = re.compile(
    rf"\b{_REMOVE_VERB}\s+(?P<items>[^;:]{{1,400}}?)\s+(?:from|off)\s+(?:the|its)\s+"
    r"(?:[\w.’'-]+\s+){0,3}?list\b",
    re.I,
)
_REMOVED_SUBJECT = re.compile(
    rf"^(?P<items>[^;:]{{1,400}}?)\s+(?:was|were|has\s+been|have\s+been|are|is)\s+"
    rf"(?:also\s+)?{_REMOVE_VERB}\s+(?:from|off)\b",
    re.I,
)
# "Indian entities A, B and C", "the two parties A and B": the group word is not a name.
_GROUP = re.compile(
    r"^(?:the\s+|these\s+|those\s+)?(?:[\w-]+\s+){0,2}?"
    r"(?:entities|entity|parties|party|companies|company|firms|firm|persons|organi[sz]ations?)"
    r"(?:\s*[,:]\s*|\s+)",
    re.I,
)
_REMOVAL_HEADING = re.compile(rf"\b{_REMOVE_VERB}", re.I)


def removal_names(sentences: list[str]) -> list[str]:
    """Names the sentences say are removed, in order of mention."""
    names: list[str] = []
    for sentence in sentences:
        for pattern in (_REMOVAL_OF, _REMOVES_FROM, _REMOVED_SUBJECT):
            for match in pattern.finditer(sentence):
                names.extend(object_names([_GROUP.sub("", match.group("items").strip())]))
    names.extend(bulleted_names(sentences, heading=_REMOVAL_HEADING))
    return list(dict.fromkeys(names))
