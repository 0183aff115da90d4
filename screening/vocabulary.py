"""Every token of every indexed name, with a typo-tolerant lookup.

Typos are found with a deletion index (the "symmetric delete" idea): each
known word is stored under itself with one letter removed, and a query word
looks up itself with one letter removed. That finds every known word within
one insertion, deletion, substitution or swap of neighbours, with a few dict
look-ups instead of a scan of the whole vocabulary.
"""

from __future__ import annotations

from rapidfuzz.distance import OSA

# Words shorter than this must match exactly: one edit in "ZTE" is another company.
MIN_FUZZY_LENGTH = 4
MAX_EDITS = 1


class Vocabulary:
    """Word <-> id, document frequencies and typo-tolerant look-up."""

    def __init__(self) -> None:
        self.words: list[str] = []
        self._ids: dict[str, int] = {}
        # Spellings a typo is compared with: every word, plus variants that map to a word.
        self._spellings: list[tuple[str, int]] = []
        self._deletes: dict[str, list[int]] = {}

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
        return word_id

    def add_spelling(self, spelling: str, word_id: int) -> None:
        """Let typos of `spelling` ("enterprises") find `word_id` ("enterprise")."""
        if not _fuzzy_allowed(spelling):
            return
        number = len(self._spellings)
        self._spellings.append((spelling, word_id))
        for variant in {spelling, *_deletions(spelling)}:
            self._deletes.setdefault(variant, []).append(number)

    def id_of(self, word: str) -> int | None:
        return self._ids.get(word)

    def similar(self, word: str) -> dict[int, float]:
        """Ids of known words equal or one edit away from `word`, with a similarity 0..1."""
        found: dict[int, float] = {}
        exact = self._ids.get(word)
        if exact is not None:
            found[exact] = 1.0
        if not _fuzzy_allowed(word):
            return found
        for number in self._fuzzy_candidates(word):
            spelling, word_id = self._spellings[number]
            distance = OSA.distance(word, spelling, score_cutoff=MAX_EDITS)
            if distance <= MAX_EDITS:
                similarity = 1.0 - distance / max(len(word), len(spelling))
                found[word_id] = max(similarity, found.get(word_id, 0.0))
        return found

    def _fuzzy_candidates(self, word: str) -> set[int]:
        # Known spellings with one letter more, the same length, or one letter less.
        candidates: set[int] = set()
        for variant in {word, *_deletions(word)}:
            candidates.update(self._deletes.get(variant, ()))
        return candidates


def _fuzzy_allowed(word: str) -> bool:
    return len(word) >= MIN_FUZZY_LENGTH and not any(ch.isdigit() for ch in word)


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}
