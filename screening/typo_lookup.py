"""Every token of every indexed name, with a typo-tolerant lookup.

Typos are found with a deletion index (the "symmetric delete" idea): each
known word is stored under itself with one letter removed, and a query word
looks up itself with one letter removed. That finds every known word within
one insertion, deletion, substitution or swap of neighbours, with a few dict
look-ups instead of a scan of the whole vocabulary.

Long words get a second chance: a word of `MIN_TWO_EDIT_LENGTH` letters or
more that is not known as typed is compared, in C (rapidfuzz), with the known
words of about its length and with its first letter, and may be two edits
away. Two edits in a short word make another word; in "Administration" they
are still a typo.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rapidfuzz import process
from rapidfuzz.distance import OSA

from screening.memory import remembered

# Words shorter than this must match exactly: one edit in "ZTE" is another company.
MIN_FUZZY_LENGTH = 4
MAX_EDITS = 1
MIN_TWO_EDIT_LENGTH = 8
MAX_LONG_EDITS = 2
# Look-up answers remembered per vocabulary (`Vocabulary.similar`, and word splits).
MAX_REMEMBERED_ANSWERS = 50_000
# Both words at least this long for a sound-key match (see `sound_key`).
MIN_SOUND_LENGTH = 5


class Vocabulary:
    """Word <-> id, document frequencies and typo-tolerant look-up."""

    def __init__(self, *, fuzzy: bool = True) -> None:
        # Without `fuzzy` (addresses: house numbers, unit letters) words match only exactly.
        self._fuzzy = fuzzy
        self.words: list[str] = []
        self._ids: dict[str, int] = {}
        # Spellings a typo is compared with: every word, plus variants that map to a word.
        self._spellings: list[tuple[str, int]] = []
        self._deletes: dict[str, list[int]] = {}
        # (length, first letter) -> long spellings and their numbers, for the two-edit
        # look-up; people rarely get a long word's first letter wrong.
        self._long: dict[tuple[int, str], list[int]] = {}
        self._long_words: dict[tuple[int, str], list[str]] = {}
        # Sound key -> words: spellings of one sound that are two edits apart.
        self._by_sound: dict[str, list[int]] = {}
        self._answers: dict[tuple[str, bool], dict[int, float]] = {}
        # How a typed word (as written, as spelled) splits into known words, remembered
        # for `screening.query`, which works it out.
        self.splits: dict[tuple[str, str], list[tuple[int, ...]]] = {}

    def __len__(self) -> int:
        return len(self.words)

    def add(self, word: str) -> int:
        known = self._ids.get(word)
        if known is not None:
            return known
        word_id = len(self.words)
        self._ids[word] = word_id
        self.words.append(word)
        self.add_spelling(word, word_id)
        if self._fuzzy:
            for spelling in transliterations(word):
                self.add_spelling(spelling, word_id)
            if len(word) >= MIN_SOUND_LENGTH and _fuzzy_allowed(word):
                self._by_sound.setdefault(sound_key(word), []).append(word_id)
        return word_id

    def add_spelling(self, spelling: str, word_id: int) -> None:
        """Let typos of `spelling` ("enterprises") find `word_id` ("enterprise")."""
        self._answers.clear()
        self.splits.clear()
        if not self._fuzzy or not _fuzzy_allowed(spelling):
            return
        number = len(self._spellings)
        self._spellings.append((spelling, word_id))
        # Half a million keys at build: no throw-away default list per key.
        deletes = self._deletes
        for variant in _deletions(spelling):
            numbers = deletes.get(variant)
            if numbers is None:
                deletes[variant] = [number]
            else:
                numbers.append(number)
        if len(spelling) >= MIN_TWO_EDIT_LENGTH - MAX_LONG_EDITS:
            bucket = (len(spelling), spelling[0])
            self._long.setdefault(bucket, []).append(number)
            self._long_words.setdefault(bucket, []).append(spelling)

    def id_of(self, word: str) -> int | None:
        return self._ids.get(word)

    def ids_of(self, words: Iterable[str]) -> list[int | None]:
        """`id_of` of each of `words`, in C."""
        return list(map(self._ids.get, words))

    def similar(self, word: str, *, two_edits: bool = True) -> dict[int, float]:
        """Ids of known words equal or one edit away from `word`, with a similarity 0..1.

        With `two_edits`, a long word also finds words two edits away, and a word of
        `MIN_SOUND_LENGTH` letters or more finds the words with its `sound_key`. The
        answer is shared between calls: do not change it.
        """
        # Queries repeat their words ("trading", "china", a counterparty file screened
        # again on every list change): a look-up costs tens of microseconds, a dict hit
        # well under one. The vocabulary never changes once built, so answers stay true.
        key = (word, two_edits)
        known = self._answers.get(key)
        if known is None:
            answer = self._similar(word, two_edits=two_edits)
            known = remembered(self._answers, key, answer, limit=MAX_REMEMBERED_ANSWERS)
        return known

    def _similar(self, word: str, *, two_edits: bool) -> dict[int, float]:
        found: dict[int, float] = {}
        exact = self._ids.get(word)
        if exact is not None:
            found[exact] = 1.0
        if not self._fuzzy:
            return found
        if exact is None and two_edits and _digits_for_letters(word):
            for spelling in _letters_for_digits(word):
                for word_id, similarity in self.similar(spelling, two_edits=False).items():
                    similarity *= LEET_FACTOR
                    found[word_id] = max(similarity, found.get(word_id, 0.0))
        if not _fuzzy_allowed(word):
            return found
        for number in self._fuzzy_candidates(word):
            spelling, word_id = self._spellings[number]
            distance = OSA.distance(word, spelling, score_cutoff=MAX_EDITS)
            if distance <= MAX_EDITS:
                similarity = 1.0 - distance / max(len(word), len(spelling))
                found[word_id] = max(similarity, found.get(word_id, 0.0))
        if two_edits and exact is None and len(word) >= MIN_TWO_EDIT_LENGTH:
            self._add_two_edit_matches(word, found)
        if two_edits and len(word) >= MIN_SOUND_LENGTH:
            self._add_same_sound(word, found)
        return found

    def _add_same_sound(self, word: str, found: dict[int, float]) -> None:
        # Another spelling of the same sound counts as one typo, whatever its edits.
        for word_id in self._by_sound.get(sound_key(word), ()):
            if word_id not in found:
                found[word_id] = 1.0 - 1.0 / max(len(word), len(self.words[word_id]))

    def _add_two_edit_matches(self, word: str, found: dict[int, float]) -> None:
        for length in range(len(word) - MAX_LONG_EDITS, len(word) + MAX_LONG_EDITS + 1):
            spellings = self._long_words.get((length, word[0]))
            if not spellings:
                continue
            numbers = self._long[(length, word[0])]
            for _, distance, at in process.extract(
                word, spellings, scorer=OSA.distance, score_cutoff=MAX_LONG_EDITS, limit=None
            ):
                word_id = self._spellings[numbers[at]][1]
                similarity = 1.0 - distance / max(len(word), length)
                found[word_id] = max(similarity, found.get(word_id, 0.0))

    def _fuzzy_candidates(self, word: str) -> set[int]:
        # Known spellings with one letter more, the same length, or one letter less.
        candidates: set[int] = set()
        for variant in _deletions(word):
            candidates.update(self._deletes.get(variant, ()))
        return candidates


def transliterations(word: str) -> set[str]:
    """Other Latin spellings of a transliterated word that are more than one typo away.

    Russian "кс" before a vowel is written "ks" or "x" ("Aleksandrov", "Alexandrov";
    "Eksport", "Export"): two edits, which the typo look-up gives only to long words
    that are not themselves known. Only before a vowel: at the end of a word "ks" is
    an English plural ("Marks", "Banks"), not "x". The other common alternations
    ("kh"/"h", "iy"/"y", "ts"/"tz") are one edit and found as typos.
    """
    found: set[str] = set()
    if "ks" in word:
        found.add(_KS_BEFORE_VOWEL.sub("x", word))
    if "x" in word:
        found.add(_X_BEFORE_VOWEL.sub("ks", word))
    found.discard(word)
    return found


def sound_key(word: str) -> str:
    """One spelling for the spellings that transliterations mix.

    Vowels: "ee" and "i" ("Kareem", "Karim"), "oo", "ou" and "u" ("Mahmood", "Mahmud";
    "Yousuf", "Yusuf"), and a final "ii", "iy", "yy" or "ij" and "y" ("Dmitrii",
    "Dmitriy", "Dmitry") are the same sound, two edits apart, which the typo look-up
    allows only in long words. Russian letters rendered the English, German or Polish
    way: "kh" and "h", "ts" and "c" ("Tsentr", "Centr"), "zh", "sh" and "sch",
    "w" and "v", "j" and "y" ("Juzhnyj", "Yuzhnyy"), and "yo", "ye", "jo" and "je" for
    "e" after the first letter ("Obyedinyonnaya", "Obedinennaya"; "Wojentelekom").
    Doubled letters stay: folded too, "Still" and "Steel" would be one word. Short words
    are left out (`MIN_SOUND_LENGTH`): "Ship" is not "Sheep".
    """
    # Every word of every listed name passes here at build: str methods, not regexes.
    key = word
    if key.endswith(_FINAL_YE):
        key = key[:-3] + "ye"
    elif key.endswith(_FINAL_I):
        key = key[:-2] + "y"
    key = key.replace("ee", "i").replace("oo", "u").replace("ou", "u")
    if "yo" in key or "ye" in key or "jo" in key or "je" in key:
        key = key[0] + _IOTATED_E.sub("e", key[1:])
    for spelling, folded in _RUSSIAN_SPELLINGS:
        if spelling in key:
            key = key.replace(spelling, folded)
    return key.translate(_RUSSIAN_LETTERS)


_RUSSIAN_SPELLINGS = (
    ("shch", "sh"),
    ("sch", "sh"),
    ("zh", "sh"),
    ("kh", "h"),
    ("ts", "c"),
    ("tz", "c"),
)
_RUSSIAN_LETTERS = str.maketrans({"w": "v", "j": "y"})
_IOTATED_E = re.compile(r"[yj][oe]")
# The plural ending of a Russian adjective ("-yje", "-yye", "-yie", "-ije") and the final
# "-ii", "-iy", "-yy", "-ij", "-yj" of a name, each one spelling.
_FINAL_YE = ("yje", "yye", "yie", "ije")
_FINAL_I = ("ii", "iy", "yy", "ij", "yj")
_KS_BEFORE_VOWEL = re.compile(r"ks(?=[aeiouy])")
_X_BEFORE_VOWEL = re.compile(r"x(?=[aeiouy])")


# Digits typed for the letters they look like ("Ig0r", "Sech1n"): a word of letters
# with a digit or two among them, read back as letters, counts as one slip.
LEET_FACTOR = 0.9
_LETTERS_FOR_DIGITS = {
    "0": "o",
    "1": "il",
    "3": "e",
    "4": "a",
    "5": "s",
    "7": "t",
    "8": "b",
    "9": "g",
}


def _digits_for_letters(word: str) -> bool:
    # Not a model number ("MP3", "A1", "X5") nor a number with a letter ("7B"): a
    # trailing digit needs four letters before it ("Alexe1").
    digits = sum(ch.isdigit() for ch in word)
    letters = len(word) - digits
    return 1 <= digits <= 2 and letters >= (3 if word[-1].isalpha() else 4)


def _letters_for_digits(word: str) -> set[str]:
    spellings = {""}
    for ch in word:
        letters = _LETTERS_FOR_DIGITS.get(ch, ch) if ch.isdigit() else ch
        spellings = {spelling + letter for spelling in spellings for letter in letters}
    return {spelling for spelling in spellings if spelling.isalpha()}


def _fuzzy_allowed(word: str) -> bool:
    return len(word) >= MIN_FUZZY_LENGTH and not any(ch.isdigit() for ch in word)


def _deletions(word: str) -> set[str]:
    """`word` itself and `word` with each one letter left out."""
    found = {word[:i] + word[i + 1 :] for i in range(len(word))}
    found.add(word)
    return found
