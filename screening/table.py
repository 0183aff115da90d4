"""A searchable table of tokenized texts (names, or addresses), each owned by an entry.

The vocabulary (typos included), the token weights and an inverted index over
the words that count. `candidates` gathers the texts that share a distinctive
word with a query, pre-ranks them cheaply and returns the best few for full
alignment. The screening index keeps one table for names and aliases and one
for addresses.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable
from itertools import repeat
from typing import cast

from screening.acronyms import (
    MAX_LETTERS,
    MIN_LOOKUP_LETTERS,
    initials_keys,
    initials_of,
)
from screening.names import NameVariant
from screening.normalize import Token, token_text, tokenize
from screening.query import PreparedQuery, Tokenizer, prepare_query
from screening.scoring import INITIALS_SIMILARITY, QUERY_SHARE, IndexedName
from screening.typo_lookup import Vocabulary
from screening.weights import NUMBER_FACTOR, TokenWeights
from screening.word_lists import CANONICAL

# Texts aligned in full per query, after the cheap pre-ranking. 32 keeps the development
# set's recall of 40 (99.56 % against 99.62 %, one query of 1,837) and every listed name's
# own match, and pays for the alignment's initials, near words and sounds (issue 21's
# second round: 10,000 queries back to the first round's CPU time).
MAX_CANDIDATES = 32
# Postings longer than this are not walked for tail words (see `_add_tail_gains`).
MAX_TAIL_POSTINGS = 4000
# Rough scores up to this many are sorted whole; more go through a heap (`_best_rough`).
SORT_ALL_UP_TO = 2000


class NameTable:
    def __init__(
        self,
        *,
        names: list[IndexedName],
        vocabulary: Vocabulary,
        weights: TokenWeights,
        postings: list[list[int]],
        tokenizer: Tokenizer = tokenize,
        initials: dict[str, list[int]] | None = None,
    ) -> None:
        self.tokenizer = tokenizer
        self._initials = initials or {}
        self.names = names
        self.vocabulary = vocabulary
        self.weights = weights
        self._postings = postings
        self._totals = [name.total for name in names]

    @classmethod
    def build(
        cls,
        variants: Iterable[tuple[int, NameVariant]],
        *,
        fuzzy: bool = True,
        tokenizer: Tokenizer = tokenize,
    ) -> NameTable:
        """A table of (entry number, variant) pairs; `fuzzy=False` matches words exactly.

        `tokenizer` is how queries against the table are split (the variants come
        tokenized).
        """
        vocabulary = Vocabulary(fuzzy=fuzzy)
        found: list[tuple[int, NameVariant, tuple[int, ...]]] = []
        # Most names hold only words seen before: looked up in C, without `add`'s work.
        ids_of = vocabulary.ids_of
        for number, variant in variants:
            ids = ids_of(map(token_text, variant.tokens))
            word_ids = (
                cast("tuple[int, ...]", tuple(ids))
                if None not in ids
                else tuple(vocabulary.add(token.text) for token in variant.tokens)
            )
            found.append((number, variant, word_ids))
        for spelling, word in CANONICAL.items():
            word_id = vocabulary.id_of(word)
            if word_id is not None:
                vocabulary.add_spelling(spelling, word_id)
        counts = [0] * len(vocabulary)
        for _, _, word_ids in found:
            for word_id in set(word_ids):
                counts[word_id] += 1
        weights = TokenWeights(
            # Addresses (matched exactly) keep house numbers at full weight.
            document_counts=counts,
            names=len(found),
            number_factor=NUMBER_FACTOR if fuzzy else 1.0,
        )
        names = [
            _indexed(number, variant, word_ids, weights) for number, variant, word_ids in found
        ]
        postings: list[list[int]] = [[] for _ in range(len(vocabulary))]
        for position, name in enumerate(names):
            for word_id in {w for w, wt in zip(name.word_ids, name.weights, strict=True) if wt > 0}:
                postings[word_id].append(position)
        return cls(
            names=names,
            vocabulary=vocabulary,
            weights=weights,
            postings=postings,
            tokenizer=tokenizer,
            initials=_by_initials(names) if fuzzy else None,
        )

    def prepare(self, query: object) -> PreparedQuery:
        return prepare_query(
            query, vocabulary=self.vocabulary, weights=self.weights, tokenizer=self.tokenizer
        )

    def prepare_tokens(self, text: str, tokens: tuple[Token, ...]) -> PreparedQuery:
        """A query already tokenized (a part of a pasted list name, cut as the list's)."""
        return prepare_query(
            text,
            vocabulary=self.vocabulary,
            weights=self.weights,
            tokenizer=lambda _: [*tokens],
            initials=False,
        )

    def candidates(self, query: PreparedQuery) -> list[int]:
        """Positions in `names` worth aligning with `query`, most promising first."""
        # The hot loop of every search: defaultdict and a precomputed score per position
        # instead of a key function per position (same arithmetic, same order of ties).
        gathered: defaultdict[int, float] = defaultdict(float)
        postings = self._postings
        for term in query.terms:
            if not term.drives:
                continue
            term_weight = sum(query.weights[p] for p in term.positions)
            for word_id, similarity in term.matches.items():
                gain = term_weight * similarity
                if not gathered:
                    # The first word's names are added in C (0.0 + gain is gain).
                    gathered.update(zip(postings[word_id], repeat(gain)))
                    continue
                for position in postings[word_id]:
                    gathered[position] += gain
        names = self.names
        for query_position, parts in query.splits:
            weight = query.weights[query_position]
            if len(parts) == 2:
                # A name with both halves outranks the many that hold only a common
                # first half ("Engineeringsolutions": every "Engineering ..." name).
                first, second = parts
                for position in postings[first]:
                    both = second in names[position].word_ids
                    gathered[position] += weight if both else weight / 2
                continue
            # Three parts begin with a particle ("van", "de") that thousands of names
            # hold: only names with every part, walked from the rarest.
            rarest = min(parts, key=lambda part: len(postings[part]))
            if len(postings[rarest]) > MAX_TAIL_POSTINGS:
                continue
            for position in postings[rarest]:
                word_ids = names[position].word_ids
                if all(part in word_ids for part in parts):
                    gathered[position] += weight
        self._add_initials_gains(query, gathered)
        self._add_tail_gains(query, gathered)
        return self._best_rough(query, gathered)

    def _add_initials_gains(self, query: PreparedQuery, gathered: dict[int, float]) -> None:
        # A query that is a party's initials ("PLA") shares no word with its name, and a
        # name written out shares none with a listed acronym; initials that stand for
        # more than a few listed names say nothing about which.
        found: list[tuple[list[int], float]] = []
        for position in query.initials_at:
            text = query.tokens[position].text
            if len(text) >= MIN_LOOKUP_LETTERS:
                found.append((self._initials.get(text, []), query.weights[position]))
        spelled_out = initials_of(query.tokens, query.weights) if query.runs_by_initials else ""
        if MIN_SPELLED_OUT_LETTERS <= len(spelled_out) <= MAX_LETTERS:
            word_id = self.vocabulary.id_of(spelled_out)
            if word_id is not None:
                found.append((self._postings[word_id], query.total))
        for positions, weight in found:
            if 0 < len(positions) <= MAX_INITIALS_NAMES:
                for position in positions:
                    gathered[position] += weight * INITIALS_SIMILARITY

    def _best_rough(self, query: PreparedQuery, gathered: dict[int, float]) -> list[int]:
        # Lists and zip instead of a dict of scores: the same arithmetic and order of
        # ties, a third less time on a common word's thousands of postings.
        positions = list(gathered)
        share = QUERY_SHARE / query.total
        rest = 1.0 - QUERY_SHARE
        totals = map(self._totals.__getitem__, positions)
        rough = [
            share * found + (rest * (found / total if found < total else 1.0) if total else 0.0)
            for found, total in zip(gathered.values(), totals, strict=True)
        ]
        order = range(len(positions))
        # The same answer either way (nlargest is documented as sorted()[:n], ties in
        # order); sorting everything in C is faster up to a few thousand (timeit).
        if len(positions) <= SORT_ALL_UP_TO:
            best = sorted(order, key=rough.__getitem__, reverse=True)[:MAX_CANDIDATES]
        else:
            best = heapq.nlargest(MAX_CANDIDATES, order, key=rough.__getitem__)
        return [positions[number] for number in best]

    def _add_tail_gains(self, query: PreparedQuery, gathered: dict[int, float]) -> None:
        # Generic and place words find no candidates of their own, but among the names
        # a content word found they tell near-identical family members apart
        # ("<Brand> Technologies <Country> S.A." a hundred times over).
        if len(gathered) <= MAX_CANDIDATES:
            return
        for term in query.terms:
            if term.drives:
                continue
            term_weight = sum(query.weights[p] for p in term.positions)
            for word_id, similarity in term.matches.items():
                postings = self._postings[word_id]
                if len(postings) > MAX_TAIL_POSTINGS:
                    continue
                gain = term_weight * similarity
                # The intersection is taken in C; each name gets its own addition, so
                # the order among names does not change any sum.
                for position in gathered.keys() & postings:
                    gathered[position] += gain


# A name written out finds a listed acronym of this many letters or more: the three
# letters of an ordinary "Pacific Coast Fasteners" are some listed party's "PCF".
MIN_SPELLED_OUT_LETTERS = 4
# Initials shared by more listed names than this find none of them.
MAX_INITIALS_NAMES = 3


def _by_initials(names: list[IndexedName]) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for position, name in enumerate(names):
        for letters in initials_keys(name.tokens, name.weights):
            found.setdefault(letters, []).append(position)
    return found


def _indexed(
    entry: int, variant: NameVariant, word_ids: tuple[int, ...], weights: TokenWeights
) -> IndexedName:
    token_weights = weights.weigh(variant.tokens, word_ids)
    return IndexedName(
        entry=entry,
        text=variant.text,
        is_alias=variant.is_alias,
        tokens=variant.tokens,
        word_ids=word_ids,
        weights=token_weights,
        total=sum(token_weights),
    )
