"""How much each token counts: rarer words more, legal forms and filler words less.

A token's weight is its kind's factor times its rarity among all indexed
names (inverse document frequency, clipped). When a name has no content word
at all ("Industrial Group", "D Company"), its other words are all it has, so
they count fully. Two more cases where a word's kind undersells it:

- a generic word before the first content word is part of the name
  ("International Pacific Trading", "General Atomics"), not a description of
  the business after it ("Pacific Trading"), so it counts as a content word;
- a place or country word after the first content word names a subsidiary or
  a branch ("Banco Ejemplo Mexico", "Hikvision USA"), and in a name with at
  most one content or generic word it is a good part of what tells the party apart
  ("China Gas", "Iranian Tanker"): either way it counts more than a city
  prefix ("Hangzhou Hikvision") that people leave out.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache
from operator import mul
from typing import cast

from screening.memory import forgotten_with_the_rest
from screening.normalize import Kind, Token

KIND_FACTORS: dict[Kind, float] = {
    Kind.CONTENT: 1.0,
    Kind.GENERIC: 0.25,
    Kind.PLACE: 0.2,
    Kind.QUALIFIER: 0.1,
    Kind.STOP: 0.1,
    Kind.LEGAL: 0.0,
}
# Rarity is log(N / df) divided by this, then clipped to [MIN_RARITY, MAX_RARITY].
RARITY_SCALE = 5.0
MIN_RARITY = 0.3
MAX_RARITY = 1.5
# A small index (a watchlist, a test) says nothing about how common a word is:
# rarity is computed as if the index held at least this many names.
MIN_CORPUS_NAMES = 10_000
_NAMING_KINDS = (Kind.GENERIC, Kind.PLACE, Kind.QUALIFIER)
# A place word's factor when it is more than a prefix (see above).
PLACE_AS_NAME = 0.6
# A number beside words that name the party ("Admiral Shipping 9", "Plant No. 7") counts
# a unit of the family the words name: less than the words, which say whose it is.
NUMBER_FACTOR = 0.5


class TokenWeights:
    """Weights for tokens, given how many indexed names contain each word id."""

    def __init__(
        self, *, document_counts: Sequence[int], names: int, number_factor: float = NUMBER_FACTOR
    ) -> None:
        # Addresses pass 1.0: a house number is no unit of a family.
        self._number_factor = number_factor
        self._names = max(names, MIN_CORPUS_NAMES)
        # Once per word, not once per token of every name (a fifth of a build, measured).
        self._rarities = [self._rarity_of(count) for count in document_counts]
        self._unseen = self._rarity_of(0)

    def _rarity_of(self, count: int) -> float:
        value = math.log((self._names + 1) / (count + 1)) / RARITY_SCALE
        return min(MAX_RARITY, max(MIN_RARITY, value))

    def rarity(self, word_id: int | None) -> float:
        return self._unseen if word_id is None else self._rarities[word_id]

    def weigh(self, tokens: Sequence[Token], word_ids: Sequence[int | None]) -> tuple[float, ...]:
        factors = _factors_of(*_shape(tokens), self._number_factor)
        if None not in word_ids:
            # Every indexed name (all its words are known): in C, the same products.
            # A zero factor gives 0.0 either way, as rarities are positive.
            known = cast("Sequence[int]", word_ids)
            return tuple(map(mul, factors, map(self._rarities.__getitem__, known)))
        return tuple(
            factor * self.rarity(word_id) if factor else 0.0
            for factor, word_id in zip(factors, word_ids, strict=True)
        )


def effective_factors(
    tokens: Sequence[Token], *, number_factor: float = NUMBER_FACTOR
) -> list[float]:
    """Kind factors, promoted when a name has nothing better to be known by, and a
    number beside words lowered to `number_factor`."""
    return list(_factors_of(*_shape(tokens), number_factor))


def _shape(tokens: Sequence[Token]) -> tuple[tuple[Kind, ...], tuple[int, ...]]:
    # All that the factors depend on: each token's kind, and which content words are
    # numbers. Names share a few thousand shapes between them. Plain loops: compiled,
    # they read the attributes natively, where `map(attrgetter(...))` went through
    # Python's getattr (callgrind, one build: -6 % compiled, -2 % as source).
    kinds = tuple([token.kind for token in tokens])
    numbers = tuple(
        [
            position
            for position, token in enumerate(tokens)
            if token.kind is Kind.CONTENT and token.text[0].isdigit()
        ]
    )
    return kinds, numbers


# Every indexed name and every query is weighed: the factors are worked out once per
# shape (worked out per name, they took about 5 % of an index build: cProfile).
@lru_cache(maxsize=1 << 14)
def _factors_of(
    kinds: tuple[Kind, ...], numbers_at: tuple[int, ...], number_factor: float
) -> tuple[float, ...]:
    return tuple(_factors(list(kinds), set(numbers_at), number_factor))


forgotten_with_the_rest(_factors_of.cache_clear)


def _factors(kinds: list[Kind], numbers_at: set[int], number_factor: float) -> list[float]:
    if Kind.CONTENT in kinds:
        first_content = kinds.index(Kind.CONTENT)
        short = kinds.count(Kind.CONTENT) + kinds.count(Kind.GENERIC) == 1
        factors = [KIND_FACTORS[kind] for kind in kinds]
        numbers: list[int] = []
        for position, kind in enumerate(kinds):
            if kind is Kind.GENERIC and position < first_content:
                factors[position] = KIND_FACTORS[Kind.CONTENT]
            elif kind is Kind.PLACE and (short or position > first_content):
                factors[position] = PLACE_AS_NAME
            elif position in numbers_at:
                numbers.append(position)
        if numbers and len(numbers) < kinds.count(Kind.CONTENT):
            for position in numbers:
                factors[position] = number_factor
        return factors
    if any(kind in _NAMING_KINDS for kind in kinds):
        return [1.0 if kind in _NAMING_KINDS else KIND_FACTORS[kind] for kind in kinds]
    return [1.0 for _ in kinds]
