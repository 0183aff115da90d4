"""The in-memory screening index: every name and alias of every entry, searchable.

Build once per list snapshot (about a second for the full CSL); `search` is
read-only, so one index can serve many threads. A search looks each query
word up in the vocabulary (typos included), gathers the names that share a
distinctive word through an inverted index, pre-ranks them cheaply, aligns
the best few in full and keeps each entry's best-scoring name.
"""

from __future__ import annotations

import gc
import heapq
from collections.abc import Iterable

from screening.bands import DEFAULT_THRESHOLDS, REPORT_FLOOR, Thresholds
from screening.entries import ScreeningEntry
from screening.explain import explain
from screening.names import NameVariant, name_variants
from screening.query import PreparedQuery, prepare_query
from screening.results import ScreeningResult
from screening.scoring import QUERY_SHARE, Alignment, IndexedName, align, rescore_for_entity_type
from screening.vocab import CANONICAL
from screening.vocabulary import Vocabulary
from screening.weights import TokenWeights

# Names aligned in full per query, after the cheap pre-ranking.
MAX_CANDIDATES = 100
# Postings longer than this are not walked for tail words (see `_add_tail_gains`).
MAX_TAIL_POSTINGS = 4000


class ScreeningIndex:
    def __init__(
        self,
        *,
        entries: tuple[ScreeningEntry, ...],
        names: list[IndexedName],
        vocabulary: Vocabulary,
        weights: TokenWeights,
        postings: list[list[int]],
    ) -> None:
        self._entries = entries
        self._names = names
        self._vocabulary = vocabulary
        self._weights = weights
        self._postings = postings

    @classmethod
    def build(cls, entries: Iterable[ScreeningEntry]) -> ScreeningIndex:
        # Building allocates hundreds of thousands of small objects and no cycles worth
        # collecting; the cyclic GC would walk them again and again (measured: a quarter
        # of the build time on the 2022 snapshot).
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            return cls._build(entries)
        finally:
            if was_enabled:
                gc.enable()

    @classmethod
    def _build(cls, entries: Iterable[ScreeningEntry]) -> ScreeningIndex:
        frozen = tuple(entries)
        vocabulary = Vocabulary()
        found: list[tuple[int, NameVariant, tuple[int, ...]]] = []
        for number, entry in enumerate(frozen):
            for variant in _entry_variants(entry):
                word_ids = tuple(vocabulary.add(token.text) for token in variant.tokens)
                found.append((number, variant, word_ids))
        for spelling, word in CANONICAL.items():
            word_id = vocabulary.id_of(word)
            if word_id is not None:
                vocabulary.add_spelling(spelling, word_id)
        counts = [0] * len(vocabulary)
        for _, _, word_ids in found:
            for word_id in set(word_ids):
                counts[word_id] += 1
        weights = TokenWeights(document_counts=counts, names=len(found))
        names = [
            _indexed(number, variant, word_ids, weights) for number, variant, word_ids in found
        ]
        postings: list[list[int]] = [[] for _ in range(len(vocabulary))]
        for position, name in enumerate(names):
            for word_id in {w for w, wt in zip(name.word_ids, name.weights, strict=True) if wt > 0}:
                postings[word_id].append(position)
        return cls(
            entries=frozen, names=names, vocabulary=vocabulary, weights=weights, postings=postings
        )

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def name_count(self) -> int:
        """How many names and aliases (after splitting a.k.a. parts) are indexed."""
        return len(self._names)

    def search(
        self, query: str, *, limit: int = 10, thresholds: Thresholds | None = None
    ) -> list[ScreeningResult]:
        """Ranked candidates for `query`, best first, one per entry.

        Raises an `InvalidQueryError` subclass for input that cannot be screened.
        """
        bands = thresholds or DEFAULT_THRESHOLDS
        prepared = prepare_query(query, vocabulary=self._vocabulary, weights=self._weights)
        best: dict[int, tuple[Alignment, IndexedName]] = {}
        for position in self._candidates(prepared):
            name = self._names[position]
            entry = self._entries[name.entry]
            alignment = rescore_for_entity_type(
                align(prepared, name), query=prepared, entity_type=entry.entity_type
            )
            current = best.get(name.entry)
            if current is None or alignment.score > current[0].score:
                best[name.entry] = (alignment, name)
        ranked = sorted(best.values(), key=lambda item: self._rank_key(*item))
        floor = min(REPORT_FLOOR, bands.review)
        return [
            self._result(prepared, alignment, name, bands)
            for alignment, name in ranked[: max(limit, 0)]
            if alignment.score >= floor
        ]

    def _candidates(self, query: PreparedQuery) -> list[int]:
        gathered: dict[int, float] = {}
        for term in query.terms:
            if not term.drives:
                continue
            term_weight = sum(query.weights[p] for p in term.positions)
            for word_id, similarity in term.matches.items():
                gain = term_weight * similarity
                for position in self._postings[word_id]:
                    gathered[position] = gathered.get(position, 0.0) + gain
        for query_position, first, _ in query.splits:
            for position in self._postings[first]:
                gathered[position] = gathered.get(position, 0.0) + query.weights[query_position]
        self._add_tail_gains(query, gathered)
        names = self._names

        def rough_score(position: int) -> float:
            found = gathered[position]
            name_part = min(1.0, found / names[position].total) if names[position].total else 0.0
            return QUERY_SHARE * found / query.total + (1.0 - QUERY_SHARE) * name_part

        return heapq.nlargest(MAX_CANDIDATES, gathered, key=rough_score)

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
                for position in postings:
                    if position in gathered:
                        gathered[position] += gain

    def _rank_key(self, alignment: Alignment, name: IndexedName) -> tuple[float, bool, int, int]:
        # Ties: the list name before an alias, then the shorter name and entry.
        entry_name = self._entries[name.entry].name
        return (-round(alignment.score, 4), name.is_alias, len(name.tokens), len(entry_name))

    def _result(
        self, query: PreparedQuery, alignment: Alignment, name: IndexedName, bands: Thresholds
    ) -> ScreeningResult:
        score = round(alignment.score, 4)
        return ScreeningResult(
            entry=self._entries[name.entry],
            matched_name=name.text,
            score=score,
            band=bands.band(score),
            explanation=explain(query, name, alignment),
        )


def _entry_variants(entry: ScreeningEntry) -> list[NameVariant]:
    seen: set[tuple[str, ...]] = set()
    variants: list[NameVariant] = []
    for number, text in enumerate(entry.all_names):
        for variant in name_variants(text, is_alias=number > 0):
            key = tuple(token.text for token in variant.tokens)
            if key not in seen:
                seen.add(key)
                variants.append(variant)
    return variants


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
