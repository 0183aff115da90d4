"""A listed person's whole name by its consonants: romanisations that share no word.

"Hsieh Kuo-chiang" and "Xie Guoqiang" (Wade-Giles and pinyin), "Iwan
Shurawljow" and "Ivan Zhuravlyov" (German and English renderings of one
Russian name) have no word in common, so no word look-up finds one from the
other; yet romanisations differ mostly in how they spell a consonant of one
class (x, hs, s, sh; k, g, q; p, b; w, v) and in vowels. The skeleton here
keeps one digit per consonant class, drops vowels, "h" and "y" and doubled
classes, and reads the name's words joined, in order and with the last word
first (a surname written last). "j" is a consonant in pinyin and a "y" in
German and Polish, so each name gets a skeleton both ways.

Two names with one skeleton and vowels not too far apart are a review, never a
match: the skeleton is coarse on purpose.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rapidfuzz.distance import Indel

from screening.near_words import spoken_key
from screening.normalize import Token
from screening.query import PreparedQuery
from screening.scoring import SOUNDS_ALIKE, Alignment, IndexedName, TokenPair

_CONSONANT_CLASSES = {
    **dict.fromkeys("bfpvw", "1"),
    **dict.fromkeys("cgkqsxz", "2"),
    **dict.fromkeys("dt", "3"),
    "l": "4",
    **dict.fromkeys("mn", "5"),
    "r": "6",
}
_DROPPED = dict.fromkeys("aeiouhy")
# Tables for str.translate: a build reads every listed person's name.
_J_CONSONANT = str.maketrans({**_CONSONANT_CLASSES, "j": "2", **_DROPPED})
_J_VOWEL = str.maketrans({**_CONSONANT_CLASSES, "j": None, **_DROPPED})
_DOUBLES = tuple((digit * 2, digit) for digit in "123456")
# A skeleton of fewer classes than this fits too many names. Calibrated with the next
# on the development pairs and the ordinary people in the full 2022 list: 3 and 0.75
# find 98.2 % of the pairs and put 4.5 % of ordinary people in review (0.7: 98.6 % and
# 6.3 %; 0.5: 99.6 % and 31.5 %).
MIN_SKELETON = 3
SOUND_SCORE = 0.75
MAX_SOUND_NAMES = 10
MIN_PERSON_WORDS = 2
MAX_PERSON_WORDS = 5
# The letters must agree this far as well (vowels included; as written or with the
# romanisations' spellings folded, `spoken_key`), so that "Karimov" and "Kuramov" stay
# apart however alike their consonants.
MIN_LETTER_SIMILARITY = 0.75


def skeleton(text: str, *, j_is_consonant: bool) -> str:
    digits = text.translate(_J_CONSONANT if j_is_consonant else _J_VOWEL)
    # A class twice in a row is one ("mm", "ks", "ck"); str methods beat a regex here.
    for double, single in _DOUBLES:
        while double in digits:
            digits = digits.replace(double, single)
    return digits


def _orders(words: Sequence[str]) -> list[str]:
    joined = "".join(words)
    if len(words) < 2:
        return [joined]
    return [joined, "".join((words[-1], *words[:-1]))]


def skeletons(words: Sequence[str]) -> set[str]:
    """The name's skeletons: each word order, "j" read both ways."""
    found: set[str] = set()
    for text in _orders(words):
        if not text.isalpha():
            continue
        found.add(skeleton(text, j_is_consonant=True))
        if "j" in text:
            found.add(skeleton(text, j_is_consonant=False))
    return {key for key in found if len(key) >= MIN_SKELETON}


def _words(tokens: Sequence[Token], weights: Sequence[float]) -> list[str]:
    return [token.text for token, weight in zip(tokens, weights, strict=True) if weight]


class PersonSounds:
    """Skeletons of the listed persons' names, to find and score romanisations."""

    def __init__(self, names: Sequence[IndexedName], persons: Iterable[int]) -> None:
        self._by_skeleton: dict[str, list[int]] = {}
        self._of_name: dict[int, frozenset[str]] = {}
        for position in persons:
            name = names[position]
            keys = skeletons(_words(name.tokens, name.weights))
            if keys:
                self._of_name[position] = frozenset(keys)
            for key in keys:
                self._by_skeleton.setdefault(key, []).append(position)

    @staticmethod
    def keys_of(query: PreparedQuery) -> frozenset[str]:
        """The query's skeletons, once per query; none for what cannot be a person's name
        (a legal form, a single word, more words than people have)."""
        words = _words(query.tokens, query.naming_weights)
        if query.names_a_company or not MIN_PERSON_WORDS <= len(words) <= MAX_PERSON_WORDS:
            return frozenset()
        return frozenset(skeletons(words))

    def candidates(self, keys: frozenset[str]) -> list[int]:
        """Listed persons' names that share a skeleton with the query; none from a
        skeleton so common that it names more than `MAX_SOUND_NAMES`."""
        found: dict[int, None] = {}
        for key in keys:
            positions = self._by_skeleton.get(key, ())
            if len(positions) <= MAX_SOUND_NAMES:
                found.update(dict.fromkeys(positions))
        return list(found)

    def rescore(
        self,
        alignment: Alignment,
        *,
        query: PreparedQuery,
        keys: frozenset[str],
        position: int,
        name: IndexedName,
    ) -> Alignment:
        """`alignment`, or a review when the two names sound alike as wholes."""
        if alignment.score >= SOUND_SCORE or alignment.company_vs_person:
            return alignment
        if keys.isdisjoint(self._of_name.get(position, ())):
            return alignment
        asked = _words(query.tokens, query.naming_weights)
        listed_text = "".join(_words(name.tokens, name.weights))
        letters = max(
            max(
                Indel.normalized_similarity(text, listed_text),
                Indel.normalized_similarity(spoken_key(text), spoken_key(listed_text)),
            )
            for text in _orders(asked)
        )
        if letters < MIN_LETTER_SIMILARITY:
            return alignment
        query_positions = tuple(p for p, w in enumerate(query.naming_weights) if w)
        name_positions = tuple(p for p, w in enumerate(name.weights) if w)
        pair = TokenPair(query_positions, name_positions, SOUND_SCORE, partial=SOUNDS_ALIKE)
        return Alignment(SOUND_SCORE, (pair,), at_most_review=True)
