"""Tie-breaks between candidates of equal score: a family's parent entry before its members.

The Entity List names a parent's affiliates as "Parent Co. (P).  Affiliated Entity:
Member Co.", and lists a parent's foreign offices as entries of their own. A query
for the parent scores all of them 1.00; which one comes first decided what a
reader took the answer to be about (it was the Egypt office of a Chinese group).
Among equal scores the parent comes first: an entry whose name carries no
affiliate qualifier; among those, the one the most other candidates name as
their parent (the text before "Affiliated Entity:"), then the one whose name
the most other candidates extend ("Acme Corp" before "Acme Corp, Lyon Office").
Pure; the index adds these to its rank key.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from functools import lru_cache

# Words that mark an entry as a member of a family named before them.
_QUALIFIER = re.compile(
    r"\b(?:affiliated\s+entit(?:y|ies)|subsidiar(?:y|ies)|subordinate|branch\s+of)\b",
    re.IGNORECASE,
)
_SPACES = re.compile(r"\s+")
_END = " .,;:-"
_LAST = "\U0010ffff"


# Every search ranks its candidates by these, and the candidates are listed names, the
# same few thousand again and again: each name's answers are remembered.
_REMEMBERED = 1 << 15


def qualified(name: str) -> bool:
    """Whether `name` says it is an affiliate, subsidiary or branch of another party."""
    return _parent_of(name) is not None


def parent_counts(names: Sequence[str]) -> list[int]:
    """For each name, how many of the other distinct names say they belong to it."""
    named: dict[str, int] = {}
    for name in set(names):
        parent = _parent_of(name)
        if parent is not None:
            named[parent] = named.get(parent, 0) + 1
    return [named.get(family_key(name), 0) for name in names]


@lru_cache(maxsize=_REMEMBERED)
def _parent_of(name: str) -> str | None:
    found = _QUALIFIER.search(name)
    return None if found is None else family_key(name[: found.start()])


@lru_cache(maxsize=_REMEMBERED)
def family_key(name: str) -> str:
    """`name` compared for extension: case folded, spaces collapsed, trailing stops dropped."""
    return _SPACES.sub(" ", name.casefold()).strip(_END)


def extension_counts(names: Sequence[str]) -> list[int]:
    """For each name, how many of the other distinct names extend it at a word boundary.

    "Acme Corp" is extended by "Acme Corp. Affiliated Entity: Acme Labs" but not by
    "Acme Corporation". Sorted keys and bisection keep this O(n log n) plus the sizes
    of the families found.
    """
    keys = [family_key(name) for name in names]
    order = sorted(set(keys))
    counted: dict[str, int] = {}
    for key in keys:
        if key in counted or not key:
            continue
        start = bisect_right(order, key)
        stop = bisect_left(order, key + _LAST, lo=start)
        counted[key] = sum(1 for other in order[start:stop] if not other[len(key)].isalnum())
    return [counted.get(key, 0) for key in keys]
