"""How alike two words of a person's name are when the typo look-up found no link.

A surname with two slips in six letters, another romanisation ("Wasyl"/"Vasyl",
"Hsiao"/"Xiao"), a familiar form of a given name ("Misha"/"Mikhail") or a
given name cut short ("Chris"/"Christopher"): none is one edit away, so the
look-up misses them, and a person's name has only two or three words to agree
on. `near_similarity` says how alike such words are, 0..1; the scorer pairs
them only beside words that agree outright, and never scores a match with them
(see `screening.scoring`).
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz.distance import Indel

from screening.nicknames import same_given_name

# A familiar form is the same given name: as alike as a word with one slip.
NICKNAME_SIMILARITY = 0.85
# A given name cut short after at least this many letters ("Chris", "Abdul").
MIN_PREFIX_LETTERS = 3
PREFIX_SIMILARITY = 0.75

# Spellings that romanisations of one sound use, folded to one (longest first).
_SOUNDS = (
    ("tsch", "ch"),
    ("sch", "sh"),
    ("dzh", "j"),
    ("zh", "j"),
    ("kh", "h"),
    ("ph", "f"),
    ("ck", "k"),
    ("hs", "s"),
    ("ts", "c"),
    ("tz", "c"),
    ("ou", "u"),
    ("oo", "u"),
    ("ee", "i"),
    ("w", "v"),
    ("z", "s"),
    ("x", "s"),
    ("q", "k"),
    ("y", "i"),
)
_SOUND = re.compile("|".join(spelling for spelling, _ in _SOUNDS))
_FOLDED = dict(_SOUNDS)
_DOUBLED = re.compile(r"(.)\1")


@lru_cache(maxsize=1 << 14)
def spoken_key(word: str) -> str:
    """`word` with the spellings romanisations mix folded to one and doubled letters single.

    "wolodymyr" and "volodimir", "selenskyj" and "zelenskii", "hsiao" and "xiao"
    each get one key. Only for comparing two words already paired as a person's
    name; as a look-up key it would join too many different names.
    """
    folded = _SOUND.sub(lambda found: _FOLDED[found.group(0)], word)
    # "j" between vowels or at the end is the "y" of a German or Polish romanisation.
    folded = re.sub(r"(?<=[aeiou])j(?=[aeiou]|$)", "i", folded)
    return _DOUBLED.sub(r"\1", folded)


# A query's word meets the same listed words in many candidates.
@lru_cache(maxsize=1 << 16)
def near_similarity(first: str, second: str) -> float:
    """How alike two words of a name are, 0..1 (1.0 only when they are equal)."""
    if first == second:
        return 1.0
    if not (first.isalpha() and second.isalpha()):
        return 0.0
    if same_given_name(first, second):
        return NICKNAME_SIMILARITY
    similarity = max(
        Indel.normalized_similarity(first, second),
        Indel.normalized_similarity(spoken_key(first), spoken_key(second)),
    )
    shorter, longer = sorted((first, second), key=len)
    if len(shorter) >= MIN_PREFIX_LETTERS and longer.startswith(shorter):
        similarity = max(similarity, PREFIX_SIMILARITY)
    return min(similarity, 0.99)
